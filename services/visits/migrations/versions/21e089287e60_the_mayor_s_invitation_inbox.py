"""the mayor's invitation inbox

Revision ID: 21e089287e60
Revises: 3e427233a343
Create Date: 2026-11-24 07:32:13.870179

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '21e089287e60'
down_revision: Union[str, Sequence[str], None] = '3e427233a343'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('invitations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('inviting_party', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_document_id', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assignee', sa.String(length=200), nullable=True),
    sa.Column('assignee_kind', sa.String(length=20), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('attending_official', sa.String(length=200), nullable=True),
    sa.Column('answer_note', sa.Text(), nullable=True),
    sa.Column('reply_language', sa.String(length=2), nullable=True),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('overdue_reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_document_id')
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_assignee'), ['assignee'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_location'), ['location'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_status'), ['status'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_status'))
        batch_op.drop_index(batch_op.f('ix_invitations_starts_on'))
        batch_op.drop_index(batch_op.f('ix_invitations_partner_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_location'))
        batch_op.drop_index(batch_op.f('ix_invitations_deadline'))
        batch_op.drop_index(batch_op.f('ix_invitations_country'))
        batch_op.drop_index(batch_op.f('ix_invitations_assignee'))

    op.drop_table('invitations')
