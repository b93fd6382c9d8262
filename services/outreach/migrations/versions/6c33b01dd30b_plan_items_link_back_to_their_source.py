"""plan items link back to their source

Revision ID: 6c33b01dd30b
Revises: d4b2f8e61a37
Create Date: 2026-12-07 12:25:41.143223

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '6c33b01dd30b'
down_revision: Union[str, Sequence[str], None] = 'd4b2f8e61a37'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_link', sa.String(length=300), nullable=True))
    # The links known from the source's id alone; a trip report's items get theirs with the report's next event.
    for source, prefix in (("agreement", "/api/v1/agreements/"), ("agreement_renewal", "/api/v1/agreements/"),
                           ("visit", "/api/v1/visits/")):
        op.execute(sa.text("UPDATE plan_items SET source_link = :prefix || source_id WHERE source = :source")
                   .bindparams(prefix=prefix, source=source))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_column('source_link')
