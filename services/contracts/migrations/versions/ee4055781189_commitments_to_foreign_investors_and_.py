"""commitments to foreign investors and economic agents

Revision ID: ee4055781189
Revises: 86956e8b0e92
Create Date: 2026-11-24 07:37:44.804414

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'ee4055781189'
down_revision: Union[str, Sequence[str], None] = '86956e8b0e92'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('commitments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('obligation', sa.Text(), nullable=False),
    sa.Column('counterparty_name', sa.String(length=300), nullable=False),
    sa.Column('counterparty_kind', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('agreement_id', sa.String(length=36), nullable=True),
    sa.Column('responsible_body', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('fulfilled_on', sa.Date(), nullable=True),
    sa.Column('due_noticed_for', sa.Date(), nullable=True),
    sa.Column('overdue_noticed_for', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_counterparty_name'), ['counterparty_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_responsible_body'), ['responsible_body'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_status'), ['status'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_status'))
        batch_op.drop_index(batch_op.f('ix_commitments_responsible_body'))
        batch_op.drop_index(batch_op.f('ix_commitments_partner_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_due_on'))
        batch_op.drop_index(batch_op.f('ix_commitments_country'))
        batch_op.drop_index(batch_op.f('ix_commitments_counterparty_name'))

    op.drop_table('commitments')
