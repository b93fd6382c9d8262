"""the relay is woken by each outbox commit

Revision ID: 0a77e1b1c002
Revises: e5f6a7b8c9d0
Create Date: 2026-12-02 10:40:00.000000

"""
from typing import Sequence, Union

from shared.plumbing_migrations import create_outbox_wakeup_v1, drop_outbox_wakeup_v1


# revision identifiers, used by Alembic.
revision: str = '0a77e1b1c002'
down_revision: Union[str, Sequence[str], None] = 'e5f6a7b8c9d0'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    create_outbox_wakeup_v1()


def downgrade() -> None:
    """Downgrade schema."""
    drop_outbox_wakeup_v1()
