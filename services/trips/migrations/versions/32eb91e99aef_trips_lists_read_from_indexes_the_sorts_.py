"""trips' lists read from indexes: the sorts and filters of its growing lists (decision 0170)

Revision ID: 32eb91e99aef
Revises: c9d0e1f2a3b4
Create Date: 2026-12-07 12:45:38.230226

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '32eb91e99aef'
down_revision: Union[str, Sequence[str], None] = 'c9d0e1f2a3b4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trips_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_title'), ['title'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trips_title'))
        batch_op.drop_index(batch_op.f('ix_trips_ends_on'))
        batch_op.drop_index(batch_op.f('ix_trips_created_at'))
