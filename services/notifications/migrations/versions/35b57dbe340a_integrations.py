"""integrations

Revision ID: 35b57dbe340a
Revises: 7ce3698bfd86
Create Date: 2026-11-24 07:55:02.054952

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '35b57dbe340a'
down_revision: Union[str, Sequence[str], None] = '7ce3698bfd86'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('integrations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('patterns', sa.JSON(), nullable=False),
    sa.Column('declared_patterns', sa.JSON(), nullable=True),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('integrations')
