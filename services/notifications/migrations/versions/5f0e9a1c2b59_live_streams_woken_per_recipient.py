"""live streams woken per recipient: notifications notify chancery_inbox with their recipients at commit

Revision ID: 5f0e9a1c2b59
Revises: c5e1a9d3f7b2
Create Date: 2026-12-07 03:00:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '5f0e9a1c2b59'
down_revision: Union[str, Sequence[str], None] = 'c5e1a9d3f7b2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """On PostgreSQL, each statement that adds in-app notifications notifies `chancery_inbox` once per recipient,
    sent when its transaction commits (decision 0059). SQLite's web processes watch `data_version` instead."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION chancery_inbox_arrivals() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('chancery_inbox', recipient)
               FROM (SELECT DISTINCT recipient FROM arrived WHERE channel = 'in-app') AS concerned;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER inbox_arrivals AFTER INSERT ON notifications REFERENCING NEW TABLE AS arrived "
               "FOR EACH STATEMENT EXECUTE FUNCTION chancery_inbox_arrivals()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER inbox_arrivals ON notifications")
    op.execute("DROP FUNCTION chancery_inbox_arrivals()")
