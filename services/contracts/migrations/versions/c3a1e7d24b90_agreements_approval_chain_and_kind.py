"""Agreements: their kind, and the approval chain before signing (the mayor's office, the foreign ministry)

Revision ID: c3a1e7d24b90
Revises: b7d3e5f1a9c4
Create Date: 2026-12-07 06:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c3a1e7d24b90'
down_revision: Union[str, Sequence[str], None] = 'b7d3e5f1a9c4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='cooperation'))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('cleared_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('clearance_reference', sa.String(length=100), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('clearance_reference')
        batch_op.drop_column('cleared_on')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('kind')
