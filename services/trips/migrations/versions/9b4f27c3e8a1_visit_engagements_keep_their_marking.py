"""visit engagements keep their marking: a withheld engagement's time without its title (decision 0190)

Revision ID: 9b4f27c3e8a1
Revises: 5d1e8a4c7b39
Create Date: 2026-12-07 15:45:00

"""
from typing import Sequence, Union

from shared.db import marking_columns
from shared.plumbing_migrations import add_columns, drop_columns

revision: str = '9b4f27c3e8a1'
down_revision: Union[str, Sequence[str], None] = '5d1e8a4c7b39'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    add_columns("visit_engagements", marking_columns())


def downgrade() -> None:
    drop_columns("visit_engagements", marking_columns())
