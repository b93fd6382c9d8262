"""official travellers and visit engagements

Revision ID: c9d0e1f2a3b4
Revises: 0a77e1b1c002
Create Date: 2026-12-07 06:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c9d0e1f2a3b4'
down_revision: Union[str, Sequence[str], None] = '0a77e1b1c002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('trip_travellers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('official_id', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_trip_travellers_official_id'), ['official_id'], unique=False)
    op.create_table(
        'visit_engagements',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('record', sa.String(length=20), nullable=False),
        sa.Column('visit_id', sa.String(length=36), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('time_zone', sa.String(length=64), nullable=False),
        sa.Column('officials', sa.JSON(), nullable=False),
        sa.Column('officials_index', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('visit_engagements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_engagements_visit_id'), ['visit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_engagements_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_engagements_ends_at'), ['ends_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('visit_engagements')
    with op.batch_alter_table('trip_travellers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_travellers_official_id'))
        batch_op.drop_column('official_id')
