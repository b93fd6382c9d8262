"""visit engagements keep their marking: a withheld engagement's time without its title (decision 0190)

Revision ID: 9b4f27c3e8a1
Revises: 5d1e8a4c7b39
Create Date: 2026-12-07 15:45:00

"""
from typing import Sequence, Union

from alembic import op

from shared.db import marking_columns

revision: str = '9b4f27c3e8a1'
down_revision: Union[str, Sequence[str], None] = '5d1e8a4c7b39'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("visit_engagements") as batch_op:
        for column in marking_columns():
            batch_op.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("visit_engagements") as batch_op:
        for column in reversed(marking_columns()):
            batch_op.drop_column(column.name)
