"""confidential and embargoed visits and meetings (decision 0190)

Revision ID: a7c3e19d5b20
Revises: 2e73896f74a4
Create Date: 2026-12-07 15:10:00

"""
from typing import Sequence, Union

from shared.db import withholding_columns
from shared.plumbing_migrations import add_columns, drop_columns

revision: str = 'a7c3e19d5b20'
down_revision: Union[str, Sequence[str], None] = '2e73896f74a4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("visits", "meetings")


def upgrade() -> None:
    for table in TABLES:
        add_columns(table, withholding_columns())


def downgrade() -> None:
    for table in TABLES:
        drop_columns(table, withholding_columns())
