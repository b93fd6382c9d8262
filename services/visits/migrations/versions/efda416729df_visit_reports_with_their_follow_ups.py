"""visit reports with their follow-ups

Revision ID: efda416729df
Revises: b7c8d9e0f1a2
Create Date: 2026-12-07 12:21:18.699404

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'efda416729df'
down_revision: Union[str, Sequence[str], None] = 'b7c8d9e0f1a2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('visit_reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('agreements', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('visit_id')
    )
    with op.batch_alter_table('visit_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_reports_status'), ['status'], unique=False)

    op.create_table('visit_report_follow_ups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['visit_reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit_report_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_report_follow_ups_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visit_report_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_report_follow_ups_report_id'))

    op.drop_table('visit_report_follow_ups')
    with op.batch_alter_table('visit_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_reports_status'))

    op.drop_table('visit_reports')
