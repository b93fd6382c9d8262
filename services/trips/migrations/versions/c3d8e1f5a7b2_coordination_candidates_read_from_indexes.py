"""the coordination check's candidates read from an index: other departments' live trips (decision 0225)

Revision ID: c3d8e1f5a7b2
Revises: a4cb6649b0c3
Create Date: 2026-12-07 19:10:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'c3d8e1f5a7b2'
down_revision: Union[str, Sequence[str], None] = 'a4cb6649b0c3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.create_index('ix_trips_status_department_ends_on', ['status', 'department', 'ends_on'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_index('ix_trips_status_department_ends_on')
