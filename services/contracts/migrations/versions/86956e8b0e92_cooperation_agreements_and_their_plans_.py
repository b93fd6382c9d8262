"""cooperation agreements and their plans of activities

Revision ID: 86956e8b0e92
Revises: 563c2d6f79f5
Create Date: 2026-11-24 07:30:39.340813

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '86956e8b0e92'
down_revision: Union[str, Sequence[str], None] = '563c2d6f79f5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('agreements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('partner_name', sa.String(length=300), nullable=False),
    sa.Column('partner_kind', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signatories', sa.Text(), nullable=True),
    sa.Column('expiry_noticed_for', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_valid_until'), ['valid_until'], unique=False)

    op.create_table('agreement_activities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('agreement_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('responsible_body', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_activities_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_amendments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('agreement_id', sa.String(length=36), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('amended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_amendments_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_documents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('agreement_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_documents_agreement_id'), ['agreement_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('agreement_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_documents_agreement_id'))

    op.drop_table('agreement_documents')
    with op.batch_alter_table('agreement_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_amendments_agreement_id'))

    op.drop_table('agreement_amendments')
    with op.batch_alter_table('agreement_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_activities_agreement_id'))

    op.drop_table('agreement_activities')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_valid_until'))
        batch_op.drop_index(batch_op.f('ix_agreements_status'))
        batch_op.drop_index(batch_op.f('ix_agreements_partner_id'))
        batch_op.drop_index(batch_op.f('ix_agreements_country'))

    op.drop_table('agreements')
