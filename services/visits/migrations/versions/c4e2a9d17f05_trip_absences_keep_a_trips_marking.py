"""trip absences keep a trip's marking: a withheld trip's time without its title (decision 0190)

Revision ID: c4e2a9d17f05
Revises: a7c3e19d5b20
Create Date: 2026-12-07 15:40:00

"""
from typing import Sequence, Union

from shared.db import marking_columns
from shared.plumbing_migrations import add_columns, drop_columns

revision: str = 'c4e2a9d17f05'
down_revision: Union[str, Sequence[str], None] = 'a7c3e19d5b20'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    add_columns("trip_absences", marking_columns())


def downgrade() -> None:
    drop_columns("trip_absences", marking_columns())
