"""procurement plan lines

Revision ID: 60fe15fba6cc
Revises: f9c2d957f5de
Create Date: 2026-11-24 07:01:46.715902

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '60fe15fba6cc'
down_revision: Union[str, Sequence[str], None] = 'f9c2d957f5de'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('plan_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('budget_amount', sa.BigInteger(), nullable=False),  # whole cents
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('cpv_code', sa.String(length=10), nullable=False),
    sa.Column('procurement_method', sa.String(length=30), nullable=False),
    sa.Column('planned_tender_on', sa.Date(), nullable=False),
    sa.Column('planned_delivery_by', sa.Date(), nullable=False),
    sa.Column('programme', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_lines_cpv_code'), ['cpv_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_lines_planned_tender_on'), ['planned_tender_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_lines_procurement_method'), ['procurement_method'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_lines_programme'), ['programme'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_lines_status'), ['status'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_lines_status'))
        batch_op.drop_index(batch_op.f('ix_plan_lines_programme'))
        batch_op.drop_index(batch_op.f('ix_plan_lines_procurement_method'))
        batch_op.drop_index(batch_op.f('ix_plan_lines_planned_tender_on'))
        batch_op.drop_index(batch_op.f('ix_plan_lines_cpv_code'))

    op.drop_table('plan_lines')
