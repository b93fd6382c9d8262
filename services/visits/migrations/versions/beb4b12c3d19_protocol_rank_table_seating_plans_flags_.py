"""protocol: rank table, seating plans, flags, gifts, checklist

Revision ID: beb4b12c3d19
Revises: 3e5479a54834
Create Date: 2026-11-24 07:16:20.170683

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'beb4b12c3d19'
down_revision: Union[str, Sequence[str], None] = '3e5479a54834'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('rank_tables',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('ranks', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('checklist_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.String(length=200), nullable=True),
    sa.Column('overdue_reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_items_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_items_visit_id'), ['visit_id'], unique=False)

    op.create_table('gifts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('giver', sa.String(length=200), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('value_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('value_currency', sa.String(length=3), nullable=True),
    sa.Column('exchanged_on', sa.Date(), nullable=False),
    sa.Column('disposition', sa.String(length=30), nullable=False),
    sa.Column('disposition_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gifts_direction'), ['direction'], unique=False)
        batch_op.create_index(batch_op.f('ix_gifts_exchanged_on'), ['exchanged_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_gifts_visit_id'), ['visit_id'], unique=False)

    op.create_table('seating_plans',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('agenda_item_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('seats', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('seating_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seating_plans_visit_id'), ['visit_id'], unique=False)

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flags', sa.JSON(), nullable=False, server_default='[]'))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('flags')

    with op.batch_alter_table('seating_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seating_plans_visit_id'))

    op.drop_table('seating_plans')
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gifts_visit_id'))
        batch_op.drop_index(batch_op.f('ix_gifts_exchanged_on'))
        batch_op.drop_index(batch_op.f('ix_gifts_direction'))

    op.drop_table('gifts')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_items_visit_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_items_owner'))
        batch_op.drop_index(batch_op.f('ix_checklist_items_due_on'))

    op.drop_table('checklist_items')
    op.drop_table('rank_tables')
