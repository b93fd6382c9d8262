"""Contacts' e-mail and phone encrypted at rest; contacts of societies, NGOs, offices abroad and missions, the
register of an office's staff, participants of compatriot programmes

Revision ID: 7c41d2e9a0b5
Revises: 5d2f0a7c91b3
Create Date: 2026-12-02 03:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from shared.config import load_settings
from shared.pii import install_keys, keyring


# revision identifiers, used by Alembic.
revision: str = '7c41d2e9a0b5'
down_revision: Union[str, Sequence[str], None] = '5d2f0a7c91b3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CONTACT_TABLES = ('partner_contacts', 'media_contacts')
CONTACT_DETAILS = ('email', 'phone')


def contact_columns():
    return [sa.Column('name', sa.String(length=200), nullable=False),
            sa.Column('email', sa.Text(), nullable=True),
            sa.Column('phone', sa.Text(), nullable=True),
            sa.Column('languages', sa.JSON(), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False),
            sa.Column('created_by', sa.String(length=200), nullable=False),
            sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False)]


def rewrite_contact_details(convert) -> None:
    """Every stored e-mail and phone through `convert` (encrypt going up, decrypt going down)."""
    install_keys(load_settings('outreach'))
    connection = op.get_bind()
    for table_name in CONTACT_TABLES:
        table = sa.table(table_name, sa.column('id', sa.String), *(sa.column(c, sa.Text) for c in CONTACT_DETAILS))
        for row in connection.execute(sa.select(table)).all():
            values = {c: convert(getattr(row, c)) for c in CONTACT_DETAILS if getattr(row, c) is not None}
            if values:
                connection.execute(table.update().where(table.c.id == row.id).values(**values))


def upgrade() -> None:
    """Upgrade schema."""
    for table_name in CONTACT_TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for column in CONTACT_DETAILS:
                batch_op.alter_column(column, type_=sa.Text(), existing_nullable=True)
    rewrite_contact_details(lambda value: keyring().encrypt(value.encode()).decode())

    op.create_table('organisation_contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('society_id', sa.String(length=36), nullable=True),
    sa.Column('office_id', sa.String(length=36), nullable=True),
    sa.Column('mission_id', sa.String(length=36), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=True),
    *contact_columns(),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ),
    sa.ForeignKeyConstraint(['society_id'], ['societies.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_contacts_mission_id'), ['mission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_contacts_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_contacts_society_id'), ['society_id'], unique=False)

    op.create_table('office_staff',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('employed_from', sa.Date(), nullable=False),
    sa.Column('employed_until', sa.Date(), nullable=True),
    *contact_columns(),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('office_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_staff_employed_from'), ['employed_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_staff_office_id'), ['office_id'], unique=False)

    op.create_table('programme_participants',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('programme_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('organisation', sa.String(length=300), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=False),
    *contact_columns(),
    sa.ForeignKeyConstraint(['programme_id'], ['compatriot_programmes.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('programme_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_participants_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_participants_programme_id'), ['programme_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('programme_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_participants_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_participants_country'))
    op.drop_table('programme_participants')
    with op.batch_alter_table('office_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_staff_office_id'))
        batch_op.drop_index(batch_op.f('ix_office_staff_employed_from'))
    op.drop_table('office_staff')
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_society_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_office_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_mission_id'))
    op.drop_table('organisation_contacts')

    rewrite_contact_details(lambda token: keyring().decrypt(token.encode()).decode())
    for table_name in CONTACT_TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column('email', type_=sa.String(length=254), existing_nullable=True)
            batch_op.alter_column('phone', type_=sa.String(length=50), existing_nullable=True)
