"""Information campaigns, their materials in en/ru/bg, media contacts and accreditations

Revision ID: d1b314827c96
Revises: 190885618b9f
Create Date: 2026-11-24 07:19:47.353616

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'd1b314827c96'
down_revision: Union[str, Sequence[str], None] = '190885618b9f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('campaigns',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('audiences', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_starts_on'), ['starts_on'], unique=False)

    op.create_table('media_contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('media_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_contacts_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_contacts_outlet'), ['outlet'], unique=False)

    op.create_table('accreditations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('media_contact_id', sa.String(length=36), nullable=False),
    sa.Column('event_name', sa.String(length=300), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.ForeignKeyConstraint(['media_contact_id'], ['media_contacts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accreditations_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accreditations_media_contact_id'), ['media_contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accreditations_status'), ['status'], unique=False)

    op.create_table('materials',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('submitted_by', sa.String(length=200), nullable=True),
    sa.Column('published_by', sa.String(length=200), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_status'), ['status'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_status'))
        batch_op.drop_index(batch_op.f('ix_materials_kind'))
        batch_op.drop_index(batch_op.f('ix_materials_campaign_id'))

    op.drop_table('materials')
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accreditations_status'))
        batch_op.drop_index(batch_op.f('ix_accreditations_media_contact_id'))
        batch_op.drop_index(batch_op.f('ix_accreditations_campaign_id'))

    op.drop_table('accreditations')
    with op.batch_alter_table('media_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_contacts_outlet'))
        batch_op.drop_index(batch_op.f('ix_media_contacts_country'))

    op.drop_table('media_contacts')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_starts_on'))
        batch_op.drop_index(batch_op.f('ix_campaigns_partner_id'))

    op.drop_table('campaigns')
