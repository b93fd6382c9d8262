"""trip absences keep a trip's marking: a withheld trip's time without its title (decision 0190)

Revision ID: c4e2a9d17f05
Revises: a7c3e19d5b20
Create Date: 2026-12-07 15:40:00

"""
from typing import Sequence, Union

from alembic import op

from shared.db import marking_columns

revision: str = 'c4e2a9d17f05'
down_revision: Union[str, Sequence[str], None] = 'a7c3e19d5b20'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("trip_absences") as batch_op:
        for column in marking_columns():
            batch_op.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("trip_absences") as batch_op:
        for column in reversed(marking_columns()):
            batch_op.drop_column(column.name)
