"""trips lists read from indexes in every order: the sorts of proposals (decision 0215)

Revision ID: a4cb6649b0c3
Revises: 9b4f27c3e8a1
Create Date: 2026-12-07 18:23:49.258173

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a4cb6649b0c3'
down_revision: Union[str, Sequence[str], None] = '9b4f27c3e8a1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('function_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_function_proposals_created_at_starts_on', ['created_at', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)
        batch_op.create_index('ix_function_proposals_function_name_starts_on', ['function_name', sa.literal_column('starts_on DESC'), sa.literal_column('id DESC')], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('function_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_function_proposals_function_name_starts_on')
        batch_op.drop_index('ix_function_proposals_created_at_starts_on')
