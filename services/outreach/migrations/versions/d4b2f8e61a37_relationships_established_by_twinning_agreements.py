"""Relationships established by twinning agreements

Revision ID: d4b2f8e61a37
Revises: 0a77e1b1c004
Create Date: 2026-12-07 06:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'd4b2f8e61a37'
down_revision: Union[str, Sequence[str], None] = '0a77e1b1c004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('partner_relationships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_id', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_partner_relationships_agreement_id', ['agreement_id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('partner_relationships', schema=None) as batch_op:
        batch_op.drop_constraint('uq_partner_relationships_agreement_id', type_='unique')
        batch_op.drop_column('agreement_id')
