"""confidential and embargoed cooperation agreements (decision 0190)

Revision ID: d5e2a8c41f07
Revises: b44ccbf6682e
Create Date: 2026-12-07 15:30:00

"""
from typing import Sequence, Union

from shared.db import withholding_columns
from shared.plumbing_migrations import add_columns, drop_columns

revision: str = 'd5e2a8c41f07'
down_revision: Union[str, Sequence[str], None] = 'b44ccbf6682e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    add_columns("agreements", withholding_columns())


def downgrade() -> None:
    drop_columns("agreements", withholding_columns())
