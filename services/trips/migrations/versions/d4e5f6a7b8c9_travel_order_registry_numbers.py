"""travel order registry numbers

Revision ID: d4e5f6a7b8c9
Revises: c3a1d2e4f5a6
Create Date: 2026-12-02 03:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from shared.plumbing_migrations import create_registry_counters_v1


# revision identifiers, used by Alembic.
revision: str = 'd4e5f6a7b8c9'
down_revision: Union[str, Sequence[str], None] = 'c3a1d2e4f5a6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_registry_counters_v1()
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('travel_order_number', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_trips_travel_order_number'), ['travel_order_number'])
    # Requests submitted before the registry existed are registered now, in the order they were created.
    connection = op.get_bind()
    submitted = connection.execute(sa.text(
        "SELECT id, created_at FROM trips WHERE approval_chain <> '' ORDER BY created_at, id")).all()
    last: dict[int, int] = {}
    for trip_id, created_at in submitted:
        year = int(str(created_at)[:4])
        last[year] = last.get(year, 0) + 1
        connection.execute(sa.text("UPDATE trips SET travel_order_number = :number WHERE id = :id"),
                           {"number": f"TO-{year}-{last[year]:05d}", "id": trip_id})
    for year, number in last.items():
        connection.execute(sa.text("INSERT INTO registry_counters (registry, year, last_number) "
                                   "VALUES ('travel-orders', :year, :number)"), {"year": year, "number": number})


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_trips_travel_order_number'), type_='unique')
        batch_op.drop_column('travel_order_number')
    op.drop_table('registry_counters')
