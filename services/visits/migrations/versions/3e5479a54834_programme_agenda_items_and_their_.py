"""programme: agenda items and their participants

Revision ID: 3e5479a54834
Revises: 4aed5318ed7f
Create Date: 2026-11-24 07:09:04.691617

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3e5479a54834'
down_revision: Union[str, Sequence[str], None] = '4aed5318ed7f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('agenda_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('venue_key', sa.String(length=300), nullable=True),
    sa.Column('responsible_staff', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_ends_at'), ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_venue_key'), ['venue_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_visit_id'), ['visit_id'], unique=False)

    op.create_table('agenda_participants',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('official', sa.String(length=200), nullable=True),
    sa.Column('official_key', sa.String(length=200), nullable=True),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['delegation_members.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_participants_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_participants_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_participants_official_key'), ['official_key'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('agenda_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_participants_official_key'))
        batch_op.drop_index(batch_op.f('ix_agenda_participants_member_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_participants_item_id'))

    op.drop_table('agenda_participants')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_visit_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_venue_key'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_starts_at'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_kind'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_ends_at'))

    op.drop_table('agenda_items')
