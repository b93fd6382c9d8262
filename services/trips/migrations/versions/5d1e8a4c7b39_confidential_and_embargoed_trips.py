"""confidential and embargoed trips (decision 0190)

Revision ID: 5d1e8a4c7b39
Revises: 32eb91e99aef
Create Date: 2026-12-07 15:30:00

"""
from typing import Sequence, Union

from shared.db import withholding_columns
from shared.plumbing_migrations import add_columns, drop_columns

revision: str = '5d1e8a4c7b39'
down_revision: Union[str, Sequence[str], None] = '32eb91e99aef'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    add_columns("trips", withholding_columns())


def downgrade() -> None:
    drop_columns("trips", withholding_columns())
