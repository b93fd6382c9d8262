"""meetings and official functions

Revision ID: 42b49760d9a1
Revises: 21e089287e60
Create Date: 2026-11-24 07:42:13.088212

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '42b49760d9a1'
down_revision: Union[str, Sequence[str], None] = '21e089287e60'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('official_functions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('press_open', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('official_functions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_functions_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_official_functions_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_official_functions_visit_id'), ['visit_id'], unique=False)

    op.create_table('function_invitees',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('function_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('rsvp', sa.String(length=20), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['function_id'], ['official_functions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('function_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_function_invitees_function_id'), ['function_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_function_invitees_rsvp'), ['rsvp'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('agenda_item_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('official', sa.String(length=200), nullable=False),
    sa.Column('guests', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('briefing_notes', sa.Text(), nullable=True),
    sa.Column('talking_points', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_official'), ['official'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_visit_id'), ['visit_id'], unique=False)

    op.create_table('press_accreditations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('function_id', sa.String(length=36), nullable=False),
    sa.Column('journalist', sa.String(length=200), nullable=False),
    sa.Column('outlet', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['function_id'], ['official_functions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('press_accreditations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_press_accreditations_function_id'), ['function_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_press_accreditations_status'), ['status'], unique=False)

    op.create_table('meeting_follow_ups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('responsible_body', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_follow_ups_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_follow_ups_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('minutes_revisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'number')
    )
    with op.batch_alter_table('minutes_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_revisions_meeting_id'), ['meeting_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('minutes_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_revisions_meeting_id'))

    op.drop_table('minutes_revisions')
    with op.batch_alter_table('meeting_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_follow_ups_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_follow_ups_due_on'))

    op.drop_table('meeting_follow_ups')
    with op.batch_alter_table('press_accreditations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_press_accreditations_status'))
        batch_op.drop_index(batch_op.f('ix_press_accreditations_function_id'))

    op.drop_table('press_accreditations')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_visit_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_status'))
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_partner_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_official'))
        batch_op.drop_index(batch_op.f('ix_meetings_country'))

    op.drop_table('meetings')
    with op.batch_alter_table('function_invitees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_function_invitees_rsvp'))
        batch_op.drop_index(batch_op.f('ix_function_invitees_function_id'))

    op.drop_table('function_invitees')
    with op.batch_alter_table('official_functions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_functions_visit_id'))
        batch_op.drop_index(batch_op.f('ix_official_functions_starts_at'))
        batch_op.drop_index(batch_op.f('ix_official_functions_kind'))

    op.drop_table('official_functions')
