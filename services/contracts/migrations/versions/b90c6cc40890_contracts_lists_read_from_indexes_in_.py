"""contracts lists read from indexes in every order: plan lines, suppliers, tenders, contracts, agreements, commitments (decision 0215)

Revision ID: b90c6cc40890
Revises: d5e2a8c41f07
Create Date: 2026-12-07 18:23:49.641453

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b90c6cc40890'
down_revision: Union[str, Sequence[str], None] = 'd5e2a8c41f07'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index('ix_agreements_created_at_valid_until', ['created_at', 'valid_until', 'id'], unique=False)
        batch_op.create_index('ix_agreements_partner_name_valid_until', ['partner_name', 'valid_until', 'id'], unique=False)
        batch_op.create_index('ix_agreements_signed_on_valid_until', ['signed_on', 'valid_until', 'id'], unique=False)
        batch_op.create_index('ix_agreements_valid_from_valid_until', ['valid_from', 'valid_until', 'id'], unique=False)

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index('ix_commitments_created_at_due_on', ['created_at', 'due_on', 'id'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_amount_period_start', ['amount', sa.literal_column('period_start DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_contracts_created_at_period_start', ['created_at', sa.literal_column('period_start DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_contracts_period_start_id', ['period_start', 'id'], unique=False)

    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.create_index('ix_plan_lines_budget_amount_planned_tender_on', ['budget_amount', 'planned_tender_on', 'id'], unique=False)
        batch_op.create_index('ix_plan_lines_created_at_planned_tender_on', ['created_at', 'planned_tender_on', 'id'], unique=False)
        batch_op.create_index('ix_plan_lines_planned_delivery_by_planned_tender_on', ['planned_delivery_by', 'planned_tender_on', 'id'], unique=False)
        batch_op.create_index('ix_plan_lines_title_planned_tender_on', ['title', 'planned_tender_on', 'id'], unique=False)

    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index('ix_suppliers_created_at_legal_name', ['created_at', 'legal_name', 'id'], unique=False)

    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.create_index('ix_tenders_created_at_submission_deadline', ['created_at', sa.literal_column('submission_deadline DESC'), sa.literal_column('id DESC')], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_index('ix_tenders_created_at_submission_deadline')

    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index('ix_suppliers_created_at_legal_name')

    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_lines_title_planned_tender_on')
        batch_op.drop_index('ix_plan_lines_planned_delivery_by_planned_tender_on')
        batch_op.drop_index('ix_plan_lines_created_at_planned_tender_on')
        batch_op.drop_index('ix_plan_lines_budget_amount_planned_tender_on')

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_period_start_id')
        batch_op.drop_index('ix_contracts_created_at_period_start')
        batch_op.drop_index('ix_contracts_amount_period_start')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index('ix_commitments_created_at_due_on')

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index('ix_agreements_valid_from_valid_until')
        batch_op.drop_index('ix_agreements_signed_on_valid_until')
        batch_op.drop_index('ix_agreements_partner_name_valid_until')
        batch_op.drop_index('ix_agreements_created_at_valid_until')
