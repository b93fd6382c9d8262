"""visits' lists read from indexes: the sorts and filters of its growing lists (decision 0170)

Revision ID: 2e73896f74a4
Revises: efda416729df
Create Date: 2026-12-07 12:45:26.700038

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '2e73896f74a4'
down_revision: Union[str, Sequence[str], None] = 'efda416729df'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_received_on'), ['received_on'], unique=False)

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_country'))
        batch_op.drop_index(batch_op.f('ix_visits_host_official'))
        batch_op.drop_index(batch_op.f('ix_visits_partner_id'))
        batch_op.drop_index(batch_op.f('ix_visits_starts_on'))
        batch_op.drop_index(batch_op.f('ix_visits_status'))
        batch_op.create_index('ix_visits_country_starts_on', ['country', 'starts_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_delegation_name'), ['delegation_name'], unique=False)
        batch_op.create_index('ix_visits_host_official_starts_on', ['host_official', 'starts_on', 'id'], unique=False)
        batch_op.create_index('ix_visits_partner_id_starts_on', ['partner_id', 'starts_on', 'id'], unique=False)
        batch_op.create_index('ix_visits_starts_on_id', ['starts_on', 'id'], unique=False)
        batch_op.create_index('ix_visits_status_starts_on', ['status', 'starts_on', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_status_starts_on')
        batch_op.drop_index('ix_visits_starts_on_id')
        batch_op.drop_index('ix_visits_partner_id_starts_on')
        batch_op.drop_index('ix_visits_host_official_starts_on')
        batch_op.drop_index(batch_op.f('ix_visits_delegation_name'))
        batch_op.drop_index(batch_op.f('ix_visits_created_at'))
        batch_op.drop_index('ix_visits_country_starts_on')
        batch_op.create_index(batch_op.f('ix_visits_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_host_official'), ['host_official'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_country'), ['country'], unique=False)

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_received_on'))
        batch_op.drop_index(batch_op.f('ix_invitations_created_at'))
