"""Partners and contacts from the city's registry: their registry id and the registry's time applied last

Revision ID: 5d2f0a7c91b3
Revises: 4073b4ecee98
Create Date: 2026-12-02 03:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5d2f0a7c91b3'
down_revision: Union[str, Sequence[str], None] = '4073b4ecee98'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = {'partners': 'uq_partners_registry_id', 'partner_contacts': 'uq_partner_contacts_registry_id'}


def upgrade() -> None:
    """Upgrade schema."""
    for table, constraint in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('registry_id', sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column('registry_updated_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.create_unique_constraint(constraint, ['registry_id'])


def downgrade() -> None:
    """Downgrade schema."""
    for table, constraint in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(constraint, type_='unique')
            batch_op.drop_column('registry_updated_at')
            batch_op.drop_column('registry_id')
