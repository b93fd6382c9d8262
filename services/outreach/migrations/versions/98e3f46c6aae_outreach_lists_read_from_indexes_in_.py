"""outreach lists read from indexes in every order, and participants and contacts found by trigrams (decision 0215)

Revision ID: 98e3f46c6aae
Revises: c789e4594c47
Create Date: 2026-12-07 18:23:50.132479

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '98e3f46c6aae'
down_revision: Union[str, Sequence[str], None] = 'c789e4594c47'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.create_index('ix_accreditations_event_name_valid_from', ['event_name', 'valid_from', 'id'], unique=False)
        batch_op.create_index('ix_accreditations_valid_from_id', ['valid_from', 'id'], unique=False)
        batch_op.create_index('ix_accreditations_valid_until_valid_from', ['valid_until', 'valid_from', 'id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_campaigns_created_at_starts_on', ['created_at', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_campaigns_ends_on_starts_on', ['ends_on', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_campaigns_title_starts_on', ['title', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)

    with op.batch_alter_table('compatriot_programmes', schema=None) as batch_op:
        batch_op.create_index('ix_compatriot_programmes_created_at_year', ['created_at', 'year', 'id'], unique=False)
        batch_op.create_index('ix_compatriot_programmes_title_year', ['title', 'year', 'id'], unique=False)

    with op.batch_alter_table('export_events', schema=None) as batch_op:
        batch_op.create_index('ix_export_events_title_starts_on', ['title', 'starts_on', 'id'], unique=False)

    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index('ix_materials_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_materials_published_at_created_at', ['published_at', sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False)

    with op.batch_alter_table('media_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_media_contacts_created_at_outlet', ['created_at', 'outlet', 'name', 'id'], unique=False)
        batch_op.create_index('ix_media_contacts_name_outlet', ['name', 'outlet', 'id'], unique=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_created_at_member_since', ['created_at', 'member_since', 'id'], unique=False)
        batch_op.create_index('ix_memberships_member_since_id', ['member_since', 'id'], unique=False)

    with op.batch_alter_table('office_reports', schema=None) as batch_op:
        batch_op.create_index('ix_office_reports_created_at_period_from', ['created_at', 'period_from', 'id'], unique=False)
        batch_op.create_index('ix_office_reports_period_from_id', ['period_from', 'id'], unique=False)

    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_contacts_created_at_name', ['created_at', 'name', 'id'], unique=False)
        batch_op.create_index('ix_organisation_contacts_name_id', ['name', 'id'], unique=False)
        batch_op.create_index('ix_organisation_contacts_position_name', ['position', 'name', 'id'], unique=False)

    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.create_index('ix_plan_items_activity_due_on', ['activity', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_plan_items_created_at_due_on', ['created_at', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_plan_items_progress_due_on', ['progress', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_plan_items_starts_on_due_on', ['starts_on', 'due_on', 'id'], unique=False)

    with op.batch_alter_table('programme_participants', schema=None) as batch_op:
        batch_op.create_index('ix_programme_participants_joined_on_name', ['joined_on', 'name', 'id'], unique=False)
        batch_op.create_index('ix_programme_participants_name_id', ['name', 'id'], unique=False)

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index('ix_surveys_created_at_fieldwork_from', ['created_at', sa.literal_column('fieldwork_from DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_surveys_title_fieldwork_from', ['title', sa.literal_column('fieldwork_from DESC'), sa.literal_column('id DESC')], unique=False)
    if _on_postgresql():
        # pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in ('organisation_contacts', 'programme_participants'):
            op.create_index(f'ix_{table}_name_trigrams', table, [sa.text('lower(name) gin_trgm_ops')], unique=False,
                            postgresql_using='gin')


def downgrade() -> None:
    """Downgrade schema."""
    if _on_postgresql():
        for table in ('programme_participants', 'organisation_contacts'):
            op.drop_index(f'ix_{table}_name_trigrams', table_name=table)
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_surveys_title_fieldwork_from')
        batch_op.drop_index('ix_surveys_created_at_fieldwork_from')

    with op.batch_alter_table('programme_participants', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_participants_name_id')
        batch_op.drop_index('ix_programme_participants_joined_on_name')

    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_items_starts_on_due_on')
        batch_op.drop_index('ix_plan_items_progress_due_on')
        batch_op.drop_index('ix_plan_items_created_at_due_on')
        batch_op.drop_index('ix_plan_items_activity_due_on')

    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_contacts_position_name')
        batch_op.drop_index('ix_organisation_contacts_name_id')
        batch_op.drop_index('ix_organisation_contacts_created_at_name')

    with op.batch_alter_table('office_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_office_reports_period_from_id')
        batch_op.drop_index('ix_office_reports_created_at_period_from')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_member_since_id')
        batch_op.drop_index('ix_memberships_created_at_member_since')

    with op.batch_alter_table('media_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_media_contacts_name_outlet')
        batch_op.drop_index('ix_media_contacts_created_at_outlet')

    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index('ix_materials_published_at_created_at')
        batch_op.drop_index('ix_materials_created_at_id')

    with op.batch_alter_table('export_events', schema=None) as batch_op:
        batch_op.drop_index('ix_export_events_title_starts_on')

    with op.batch_alter_table('compatriot_programmes', schema=None) as batch_op:
        batch_op.drop_index('ix_compatriot_programmes_title_year')
        batch_op.drop_index('ix_compatriot_programmes_created_at_year')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index('ix_campaigns_title_starts_on')
        batch_op.drop_index('ix_campaigns_ends_on_starts_on')
        batch_op.drop_index('ix_campaigns_created_at_starts_on')

    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.drop_index('ix_accreditations_valid_until_valid_from')
        batch_op.drop_index('ix_accreditations_valid_from_id')
        batch_op.drop_index('ix_accreditations_event_name_valid_from')
