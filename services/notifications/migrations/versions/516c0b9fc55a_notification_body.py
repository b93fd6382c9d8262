"""notification body

Revision ID: 516c0b9fc55a
Revises: fdb58e455ea9
Create Date: 2026-11-24 07:02:11.718543

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '516c0b9fc55a'
down_revision: Union[str, Sequence[str], None] = 'fdb58e455ea9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('body')
