"""interpreters and interpretation needs

Revision ID: 3e427233a343
Revises: beb4b12c3d19
Create Date: 2026-11-24 07:27:52.683317

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3e427233a343'
down_revision: Union[str, Sequence[str], None] = 'beb4b12c3d19'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('interpreters',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('pairs', sa.JSON(), nullable=False),
    sa.Column('search_index', sa.Text(), nullable=False),
    sa.Column('modes', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('interpretation_needs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('agenda_item_id', sa.String(length=36), nullable=False),
    sa.Column('language_pair', sa.String(length=10), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('interpreter_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interpreter_id'], ['interpreters.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('interpretation_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interpretation_needs_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interpretation_needs_interpreter_id'), ['interpreter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interpretation_needs_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_interpretation_needs_visit_id'), ['visit_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('interpretation_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interpretation_needs_visit_id'))
        batch_op.drop_index(batch_op.f('ix_interpretation_needs_status'))
        batch_op.drop_index(batch_op.f('ix_interpretation_needs_interpreter_id'))
        batch_op.drop_index(batch_op.f('ix_interpretation_needs_agenda_item_id'))

    op.drop_table('interpretation_needs')
    op.drop_table('interpreters')
