"""visits lists read from indexes in every order: the sorts of agenda items, gifts, checklist tasks, interpretation needs (decision 0215)

Revision ID: c997c8525ad1
Revises: c4e2a9d17f05
Create Date: 2026-12-07 18:23:14.980447

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c997c8525ad1'
down_revision: Union[str, Sequence[str], None] = 'c4e2a9d17f05'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_items_title_starts_at', ['title', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_items_venue_starts_at', ['venue', 'starts_at', 'id'], unique=False)

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_done_at_due_on', ['done_at', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_checklist_items_title_due_on', ['title', 'due_on', 'id'], unique=False)

    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.create_index('ix_gifts_declaration_due_on_exchanged_on', ['declaration_due_on', sa.literal_column('exchanged_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_gifts_disposition_exchanged_on', ['disposition', sa.literal_column('exchanged_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_gifts_value_amount_exchanged_on', ['value_amount', sa.literal_column('exchanged_on DESC'), sa.literal_column('id DESC')], unique=False)

    with op.batch_alter_table('interpretation_needs', schema=None) as batch_op:
        batch_op.create_index('ix_interpretation_needs_created_at_id', ['created_at', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('interpretation_needs', schema=None) as batch_op:
        batch_op.drop_index('ix_interpretation_needs_created_at_id')

    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.drop_index('ix_gifts_value_amount_exchanged_on')
        batch_op.drop_index('ix_gifts_disposition_exchanged_on')
        batch_op.drop_index('ix_gifts_declaration_due_on_exchanged_on')

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_title_due_on')
        batch_op.drop_index('ix_checklist_items_done_at_due_on')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_items_venue_starts_at')
        batch_op.drop_index('ix_agenda_items_title_starts_at')
