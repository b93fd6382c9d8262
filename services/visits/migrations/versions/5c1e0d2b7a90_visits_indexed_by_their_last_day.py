"""visits indexed by their last day (the list's ends_from: the visits that overlap a period)

Revision ID: 5c1e0d2b7a90
Revises: 0a77e1b1c001
Create Date: 2026-12-07 02:45:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '5c1e0d2b7a90'
down_revision: Union[str, Sequence[str], None] = '0a77e1b1c001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_ends_on'), ['ends_on'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_ends_on'))
