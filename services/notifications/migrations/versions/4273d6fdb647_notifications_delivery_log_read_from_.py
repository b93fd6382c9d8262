"""notifications delivery log read from indexes in every order (decision 0215)

Revision ID: 4273d6fdb647
Revises: bb5f0e862192
Create Date: 2026-12-07 18:38:39.755311

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '4273d6fdb647'
down_revision: Union[str, Sequence[str], None] = 'bb5f0e862192'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_deliveries_due_at_created_at', ['due_at', sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_due_at_created_at')
        batch_op.drop_index('ix_deliveries_created_at_id')
