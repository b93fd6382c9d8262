"""the inbox read from its own indexes: a person's in-app notifications newest first, and the unread ones (issue 19)

Revision ID: bb5f0e862192
Revises: b7d41e0c9a25
Create Date: 2026-12-07 18:45:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'bb5f0e862192'
down_revision: Union[str, Sequence[str], None] = 'b7d41e0c9a25'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UNREAD = sa.text('read_at IS NULL')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_inbox', ['recipient', 'channel', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_notifications_unread', ['recipient', 'channel', 'created_at', 'id'], unique=False,
                              postgresql_where=UNREAD, sqlite_where=UNREAD)
        batch_op.drop_index('ix_notifications_recipient')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_recipient', ['recipient'], unique=False)
        batch_op.drop_index('ix_notifications_unread')
        batch_op.drop_index('ix_notifications_inbox')
