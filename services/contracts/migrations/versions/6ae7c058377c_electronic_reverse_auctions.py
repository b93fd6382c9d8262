"""electronic reverse auctions

Revision ID: 6ae7c058377c
Revises: 1428f97c7422
Create Date: 2026-11-24 07:12:15.881877

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '6ae7c058377c'
down_revision: Union[str, Sequence[str], None] = '1428f97c7422'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('auctions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tender_id', sa.String(length=36), nullable=False),
    sa.Column('lot_id', sa.String(length=36), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('minimum_step_amount', sa.BigInteger(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('round_seconds', sa.Integer(), nullable=False),
    sa.Column('rounds', sa.Integer(), nullable=False),
    sa.Column('bids_placed', sa.Integer(), nullable=False),
    sa.Column('best_amount', sa.BigInteger(), nullable=True),
    sa.Column('leader_id', sa.String(length=36), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lot_id'], ['tender_lots.id'], ),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lot_id')
    )
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auctions_tender_id'), ['tender_id'], unique=False)

    op.create_table('auction_participants',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('auction_id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('bid_id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('last_amount', sa.BigInteger(), nullable=False),
    sa.Column('last_round', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['auction_id'], ['auctions.id'], ),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], ),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('auction_id', 'label'),
    sa.UniqueConstraint('auction_id', 'supplier_id')
    )
    with op.batch_alter_table('auction_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auction_participants_auction_id'), ['auction_id'], unique=False)

    op.create_table('auction_bids',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('auction_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('took_lead', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('placed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['auction_id'], ['auctions.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['auction_participants.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('auction_id', 'sequence')
    )
    with op.batch_alter_table('auction_bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auction_bids_auction_id'), ['auction_id'], unique=False)

    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_amount', sa.BigInteger(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_column('final_amount')

    with op.batch_alter_table('auction_bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auction_bids_auction_id'))

    op.drop_table('auction_bids')
    with op.batch_alter_table('auction_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auction_participants_auction_id'))

    op.drop_table('auction_participants')
    with op.batch_alter_table('auctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auctions_tender_id'))

    op.drop_table('auctions')
