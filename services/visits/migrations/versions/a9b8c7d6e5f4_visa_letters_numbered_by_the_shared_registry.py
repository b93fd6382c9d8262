"""visa letters numbered by the shared registry counters

Revision ID: a9b8c7d6e5f4
Revises: c45a08910dae
Create Date: 2026-12-02 03:55:00.000000

"""
from typing import Sequence, Union

from alembic import op

from shared.plumbing_migrations import create_registry_counters_v1


# revision identifiers, used by Alembic.
revision: str = 'a9b8c7d6e5f4'
down_revision: Union[str, Sequence[str], None] = 'c45a08910dae'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_registry_counters_v1()
    # The counters go on from the letters already issued (`VL-<year>-<5 digits>`).
    op.execute("INSERT INTO registry_counters (registry, year, last_number) "
               "SELECT 'visa-letters', CAST(substr(registry_number, 4, 4) AS INTEGER), "
               "MAX(CAST(substr(registry_number, 9, 5) AS INTEGER)) FROM visa_letters "
               "WHERE registry_number IS NOT NULL GROUP BY substr(registry_number, 4, 4)")


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('registry_counters')
