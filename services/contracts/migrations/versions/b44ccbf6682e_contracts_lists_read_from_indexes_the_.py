"""contracts' lists read from indexes: the sorts and filters of its growing lists (decision 0170)

Revision ID: b44ccbf6682e
Revises: c3a1e7d24b90
Create Date: 2026-12-07 12:45:49.715564

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'b44ccbf6682e'
down_revision: Union[str, Sequence[str], None] = 'c3a1e7d24b90'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenders_title'), ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenders_value_amount'), ['value_amount'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenders_value_amount'))
        batch_op.drop_index(batch_op.f('ix_tenders_title'))
