"""visa support letters

Revision ID: 88fc49a952ac
Revises: 42b49760d9a1
Create Date: 2026-11-24 07:49:25.562574

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '88fc49a952ac'
down_revision: Union[str, Sequence[str], None] = '42b49760d9a1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('visa_letters',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('consulate', sa.String(length=300), nullable=False),
    sa.Column('passport_number', sa.Text(), nullable=True),
    sa.Column('date_of_birth', sa.Text(), nullable=True),
    sa.Column('place_of_birth', sa.Text(), nullable=True),
    sa.Column('passport_expires_on', sa.Date(), nullable=True),
    sa.Column('personal_data_purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('registry_number', sa.String(length=30), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['delegation_members.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('registry_number')
    )
    with op.batch_alter_table('visa_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visa_letters_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visa_letters_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_visa_letters_visit_id'), ['visit_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visa_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visa_letters_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visa_letters_status'))
        batch_op.drop_index(batch_op.f('ix_visa_letters_member_id'))

    op.drop_table('visa_letters')
