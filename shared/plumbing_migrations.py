"""The plumbing tables' migrations, frozen per version: every service's history calls them.

A later change to `shared.db.PlumbingTables` adds a `..._v2` here and a revision in every service.
"""

import sqlalchemy as sa
from alembic import op

from shared.bus.wakeup import OUTBOX_WAKEUP_CHANNEL


def create_plumbing_tables_v1() -> None:
    op.create_table('audit_records',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.String(length=500), nullable=False),
    sa.Column('action', sa.String(length=200), nullable=False),
    sa.Column('record_type', sa.String(length=100), nullable=False),
    sa.Column('record_id', sa.String(length=100), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('request_id', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_records_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_records_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_records_record_id'), ['record_id'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('actor', 'key')
    )
    op.create_table('inbox',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id')
    )
    op.create_table('outbox',
    sa.Column('position', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('traceparent', sa.String(length=100), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('position'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unsent', ['position'], unique=False,
                              sqlite_where=sa.text('published_at IS NULL'),
                              postgresql_where=sa.text('published_at IS NULL'))


def drop_plumbing_tables_v1() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent', sqlite_where=sa.text('published_at IS NULL'),
                            postgresql_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
    op.drop_table('inbox')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_records_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_records_at'))
        batch_op.drop_index(batch_op.f('ix_audit_records_actor'))

    op.drop_table('audit_records')


def create_registry_counters_v1() -> None:
    """The registry counters of `shared.registry`, in the services that number documents."""
    op.create_table('registry_counters',
    sa.Column('registry', sa.String(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('registry', 'year')
    )



OUTBOX_WAKEUP_V1 = (  # also what the benchmarks' same-work baseline creates (tests/bench/baseline_app.py)
    f"""
        CREATE FUNCTION chancery_outbox_wakeup() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{OUTBOX_WAKEUP_CHANNEL}', '');
            RETURN NULL;
        END $$""",
    "CREATE TRIGGER outbox_wakeup AFTER INSERT ON outbox "
    "FOR EACH STATEMENT EXECUTE FUNCTION chancery_outbox_wakeup()",
)


def create_outbox_wakeup_v1() -> None:
    """On PostgreSQL, a commit that added outbox rows notifies `chancery_outbox`, on which the relay listens
    (decision 0077). One notification per statement, sent at commit. SQLite has no NOTIFY: its relay watches
    the database's `data_version` instead, which needs nothing in the schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in OUTBOX_WAKEUP_V1:
        op.execute(statement)


def drop_outbox_wakeup_v1() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER outbox_wakeup ON outbox")
    op.execute("DROP FUNCTION chancery_outbox_wakeup()")


def add_columns(table: str, columns: list[sa.Column]) -> None:
    """Add `columns` to `table` (a batch, so that SQLite can too): e.g. a record's marking (decision 0190)."""
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.add_column(column)


def drop_columns(table: str, columns: list[sa.Column]) -> None:
    """Undo `add_columns`, the last column first."""
    with op.batch_alter_table(table) as batch_op:
        for column in reversed(columns):
            batch_op.drop_column(column.name)
