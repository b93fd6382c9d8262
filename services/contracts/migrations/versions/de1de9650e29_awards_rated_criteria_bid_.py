"""awards, rated criteria, bid disqualification reasons

Revision ID: de1de9650e29
Revises: 6ae7c058377c
Create Date: 2026-11-24 07:20:16.724148

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'de1de9650e29'
down_revision: Union[str, Sequence[str], None] = '6ae7c058377c'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('awards',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tender_id', sa.String(length=36), nullable=False),
    sa.Column('lot_id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=True),
    sa.Column('bid_id', sa.String(length=36), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('award_criteria', sa.String(length=20), nullable=False),
    sa.Column('evaluation', sa.JSON(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('standstill_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['tender_lots.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], ),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_tender_id'), ['tender_id'], unique=False)

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=True))

    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criteria', sa.JSON(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_column('criteria')

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_column('status_reason')

    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_tender_id'))
        batch_op.drop_index(batch_op.f('ix_awards_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_awards_status'))
        batch_op.drop_index(batch_op.f('ix_awards_lot_id'))

    op.drop_table('awards')
