"""confidential and embargoed trips (decision 0190)

Revision ID: 5d1e8a4c7b39
Revises: 32eb91e99aef
Create Date: 2026-12-07 15:30:00

"""
from typing import Sequence, Union

from alembic import op

from shared.db import withholding_columns

revision: str = '5d1e8a4c7b39'
down_revision: Union[str, Sequence[str], None] = '32eb91e99aef'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("trips") as batch_op:
        for column in withholding_columns():
            batch_op.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("trips") as batch_op:
        for column in reversed(withholding_columns()):
            batch_op.drop_column(column.name)
