"""The analytics read model: the events it is folded from, and one fact per record

Revision ID: 4073b4ecee98
Revises: ee00f4ab4e44
Create Date: 2026-11-24 07:33:11.849858

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '4073b4ecee98'
down_revision: Union[str, Sequence[str], None] = 'ee00f4ab4e44'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('analytics_events',
    sa.Column('position', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=200), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('position'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('analytics_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analytics_events_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('analytics_facts',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('amount', sa.String(length=24), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('responsible_body', sa.String(length=200), nullable=True),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('as_of_position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'record_id')
    )
    with op.batch_alter_table('analytics_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analytics_facts_year'), ['year'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('analytics_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analytics_facts_year'))

    op.drop_table('analytics_facts')
    with op.batch_alter_table('analytics_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analytics_events_occurred_at'))

    op.drop_table('analytics_events')
