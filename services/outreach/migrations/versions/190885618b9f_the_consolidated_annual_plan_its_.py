"""The consolidated annual plan: items, the sources feeding them, versions decided by the mayor's office

Revision ID: 190885618b9f
Revises: 3a92716fcdc5
Create Date: 2026-11-24 07:10:19.690850

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '190885618b9f'
down_revision: Union[str, Sequence[str], None] = '3a92716fcdc5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('plan_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=300), nullable=False),
    sa.Column('responsible_body', sa.String(length=200), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('budget_cents', sa.BigInteger(), nullable=True),
    sa.Column('budget_currency', sa.String(length=3), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.String(length=36), nullable=True),
    sa.Column('source_item_id', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('withdrawn_by_source', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id', 'source_item_id', name='uq_plan_items_source')
    )
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_items_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_responsible_body'), ['responsible_body'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_items_year'), ['year'], unique=False)

    op.create_table('plan_sources',
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.String(length=36), nullable=False),
    sa.Column('last_event_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_event_type', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('source', 'source_id')
    )
    op.create_table('plan_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'number', name='uq_plan_versions_year_number')
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_versions_year'), ['year'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_versions_year'))
        batch_op.drop_index(batch_op.f('ix_plan_versions_status'))

    op.drop_table('plan_versions')
    op.drop_table('plan_sources')
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_items_year'))
        batch_op.drop_index(batch_op.f('ix_plan_items_status'))
        batch_op.drop_index(batch_op.f('ix_plan_items_source'))
        batch_op.drop_index(batch_op.f('ix_plan_items_responsible_body'))
        batch_op.drop_index(batch_op.f('ix_plan_items_partner_id'))
        batch_op.drop_index(batch_op.f('ix_plan_items_due_on'))

    op.drop_table('plan_items')
