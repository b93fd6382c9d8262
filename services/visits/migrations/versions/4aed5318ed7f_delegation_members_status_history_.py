"""delegation members, status history, partner

Revision ID: 4aed5318ed7f
Revises: f1d8d778a1e5
Create Date: 2026-11-24 07:01:12.161275

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '4aed5318ed7f'
down_revision: Union[str, Sequence[str], None] = 'f1d8d778a1e5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('delegation_members',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name_original', sa.String(length=200), nullable=False),
    sa.Column('name_latin', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('rank', sa.String(length=100), nullable=True),
    sa.Column('organisation', sa.String(length=300), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('dietary_needs', sa.Text(), nullable=True),
    sa.Column('access_needs', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegation_members_role'), ['role'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegation_members_visit_id'), ['visit_id'], unique=False)

    op.create_table('visit_status_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_status_changes_visit_id'), ['visit_id'], unique=False)

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_visits_partner_id'), ['partner_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_partner_id'))
        batch_op.drop_column('partner_id')

    with op.batch_alter_table('visit_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_status_changes_visit_id'))

    op.drop_table('visit_status_changes')
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_members_visit_id'))
        batch_op.drop_index(batch_op.f('ix_delegation_members_role'))

    op.drop_table('delegation_members')
