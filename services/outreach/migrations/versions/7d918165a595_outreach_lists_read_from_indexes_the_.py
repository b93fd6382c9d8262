"""outreach's lists read from indexes: the sorts and filters of its growing lists (decision 0170)

Revision ID: 7d918165a595
Revises: 6c33b01dd30b
Create Date: 2026-12-07 12:46:00.364822

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '7d918165a595'
down_revision: Union[str, Sequence[str], None] = '6c33b01dd30b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_name'), ['name'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_name'))
