"""trips' list read from indexes for each filter and sort in its order (decisions 0170, 0215); the single-column
indexes each new one begins with dropped

Revision ID: 9b4a5ca46262
Revises: c3d8e1f5a7b2
Create Date: 2026-12-07 20:08:50.834407

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '9b4a5ca46262'
down_revision: Union[str, Sequence[str], None] = 'c3d8e1f5a7b2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trips_awaiting'))
        batch_op.drop_index(batch_op.f('ix_trips_created_at'))
        batch_op.drop_index(batch_op.f('ix_trips_department'))
        batch_op.drop_index(batch_op.f('ix_trips_ends_on'))
        batch_op.drop_index(batch_op.f('ix_trips_starts_on'))
        batch_op.drop_index(batch_op.f('ix_trips_title'))
        batch_op.create_index('ix_trips_awaiting_department_starts_on', ['awaiting_department', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_awaiting_starts_on', ['awaiting', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_created_at_starts_on', ['created_at', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_created_by_starts_on', ['created_by', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_department_starts_on', ['department', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_ends_on_starts_on', ['ends_on', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_starts_on_id', [sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_trips_title_starts_on', ['title', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_index('ix_trips_title_starts_on')
        batch_op.drop_index('ix_trips_starts_on_id')
        batch_op.drop_index('ix_trips_ends_on_starts_on')
        batch_op.drop_index('ix_trips_department_starts_on')
        batch_op.drop_index('ix_trips_created_by_starts_on')
        batch_op.drop_index('ix_trips_created_at_starts_on')
        batch_op.drop_index('ix_trips_awaiting_starts_on')
        batch_op.drop_index('ix_trips_awaiting_department_starts_on')
        batch_op.create_index(batch_op.f('ix_trips_title'), ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_trips_awaiting'), ['awaiting'], unique=False)

