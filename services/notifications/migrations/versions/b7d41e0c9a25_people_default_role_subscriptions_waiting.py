"""people from their sign-in and the directory, default role subscriptions per role, decisions waiting

Revision ID: b7d41e0c9a25
Revises: 5f0e9a1c2b59
Create Date: 2026-12-07 06:00:00.000000

"""
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'b7d41e0c9a25'
down_revision: Union[str, Sequence[str], None] = '5f0e9a1c2b59'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The defaults as shipped with this revision (decision 0127); notification admins change them through the API.
DEFAULTS = Path(__file__).parents[2] / "defaults" / "role-subscriptions.json"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('department', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('known_from', sa.String(length=20), server_default='api', nullable=False))
    with op.batch_alter_table('role_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=20), server_default='all', nullable=False))
    op.create_table('waiting_decisions',
    sa.Column('id', sa.String(length=250), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('record_version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('awaiting', sa.String(length=50), nullable=True),
    sa.Column('department', sa.String(length=200), nullable=True),
    sa.Column('since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalate_to', sa.String(length=50), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('waiting_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waiting_decisions_awaiting'), ['awaiting'], unique=False)
        batch_op.create_index('ix_waiting_decisions_due', ['escalated_at', 'due_at'], unique=False)
    _add_default_role_subscriptions()


def _add_default_role_subscriptions() -> None:
    """Each default a role does not hear yet (an admin may have set up the same already)."""
    table = sa.table('role_subscriptions', sa.column('id'), sa.column('role'), sa.column('pattern'),
                     sa.column('scope'), sa.column('created_by'), sa.column('created_at'))
    bind = op.get_bind()
    existing = set(bind.execute(sa.select(table.c.role, table.c.pattern)).all())
    now = datetime.now(UTC)
    rows = [{"id": str(uuid.uuid4()), "created_by": "defaults", "created_at": now, **entry}
            for entry in json.loads(DEFAULTS.read_text(encoding="utf-8"))
            if (entry["role"], entry["pattern"]) not in existing]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM role_subscriptions WHERE created_by = 'defaults'")
    with op.batch_alter_table('waiting_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_waiting_decisions_due')
        batch_op.drop_index(batch_op.f('ix_waiting_decisions_awaiting'))
    op.drop_table('waiting_decisions')
    with op.batch_alter_table('role_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('scope')
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.drop_column('known_from')
        batch_op.drop_column('department')
        batch_op.drop_column('display_name')
