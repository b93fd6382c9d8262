"""webhook secrets encrypted at rest, and the previous secret kept while a rotation overlaps

Revision ID: c5e1a9d3f7b2
Revises: 0a77e1b1c005
Create Date: 2026-12-07 00:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from shared.config import load_settings
from shared.pii import decrypt, encrypt, install_keys, rewrite_values


# revision identifiers, used by Alembic.
revision: str = 'c5e1a9d3f7b2'
down_revision: Union[str, Sequence[str], None] = '0a77e1b1c005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.alter_column('secret', type_=sa.Text(), existing_nullable=False)
        batch_op.add_column(sa.Column('previous_secret', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_expires_at', sa.DateTime(timezone=True), nullable=True))
    install_keys(load_settings('notifications'))
    rewrite_values(op.get_bind(), 'webhooks', ('secret',), encrypt)


def downgrade() -> None:
    """Downgrade schema: the secrets in plain text again; an overlapping previous secret is dropped."""
    install_keys(load_settings('notifications'))
    rewrite_values(op.get_bind(), 'webhooks', ('secret',), decrypt)
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_column('previous_secret_expires_at')
        batch_op.drop_column('previous_secret')
        batch_op.alter_column('secret', type_=sa.String(length=100), existing_nullable=False)
