"""Each partner's timeline, appended from the visits, trips and contracts events

Revision ID: 3a92716fcdc5
Revises: 581f761c20ff
Create Date: 2026-11-24 07:05:08.578850

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3a92716fcdc5'
down_revision: Union[str, Sequence[str], None] = '581f761c20ff'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('timeline_entries',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('record', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('timeline_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_entries_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_entries_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_entries_source'), ['source'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('timeline_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timeline_entries_source'))
        batch_op.drop_index(batch_op.f('ix_timeline_entries_partner_id'))
        batch_op.drop_index(batch_op.f('ix_timeline_entries_occurred_at'))

    op.drop_table('timeline_entries')
