"""department heads decide their own department's staff

Revision ID: c3a1d2e4f5a6
Revises: b8dd8fc28195
Create Date: 2026-12-02 03:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c3a1d2e4f5a6'
down_revision: Union[str, Sequence[str], None] = 'b8dd8fc28195'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_department', sa.String(length=200), nullable=True))
    with op.batch_alter_table('trip_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=200), nullable=True))
    # A request already waiting for a department head now waits for its first staff traveller's department.
    op.execute("UPDATE trips SET awaiting_department = (SELECT department FROM trip_travellers "
               "WHERE trip_travellers.trip_id = trips.id AND category = 'staff' ORDER BY position LIMIT 1) "
               "WHERE awaiting = 'department-head'")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('trip_decisions', schema=None) as batch_op:
        batch_op.drop_column('department')
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_column('awaiting_department')
