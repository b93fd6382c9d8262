"""officials register and trips abroad

Revision ID: b7c8d9e0f1a2
Revises: 5c1e0d2b7a90
Create Date: 2026-12-07 06:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b7c8d9e0f1a2'
down_revision: Union[str, Sequence[str], None] = '5c1e0d2b7a90'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'officials',
        sa.Column('id', sa.String(length=200), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=False),
        sa.Column('offices', sa.JSON(), nullable=False),
        sa.Column('aliases', sa.JSON(), nullable=False),
        sa.Column('name_keys', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officials_name_keys'), ['name_keys'], unique=False)
    op.create_table(
        'trip_absences',
        sa.Column('trip_id', sa.String(length=36), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('countries', sa.JSON(), nullable=False),
        sa.Column('officials', sa.JSON(), nullable=False),
        sa.Column('officials_index', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('trip_id'),
    )
    with op.batch_alter_table('trip_absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_absences_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_trip_absences_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_trip_absences_ends_on'), ['ends_on'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('trip_absences')
    op.drop_table('officials')
