"""OCDS releases stored as published

Revision ID: b7d3e5f1a9c4
Revises: 0a77e1b1c003
Create Date: 2026-12-07 00:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b7d3e5f1a9c4'
down_revision: Union[str, Sequence[str], None] = '0a77e1b1c003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('ocds_releases',
    sa.Column('position', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('ocid', sa.String(length=100), nullable=False),
    sa.Column('tender_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=60), nullable=False),
    sa.Column('date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], ),
    sa.PrimaryKeyConstraint('position'),
    sa.UniqueConstraint('id'),
    sa.UniqueConstraint('ocid', 'sequence')
    )
    with op.batch_alter_table('ocds_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ocds_releases_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_ocds_releases_ocid'), ['ocid'], unique=False)
        batch_op.create_index(batch_op.f('ix_ocds_releases_tender_id'), ['tender_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('ocds_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ocds_releases_tender_id'))
        batch_op.drop_index(batch_op.f('ix_ocds_releases_ocid'))
        batch_op.drop_index(batch_op.f('ix_ocds_releases_date'))
    op.drop_table('ocds_releases')
