"""One database per service: SQLAlchemy 2 engines, units of work, and the plumbing tables."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    func,
    text,
)
from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator

from shared.kit.departments import department_key
from shared.kit.refusals import NotFound
from shared.observability import trace_statements


class UTCDateTime(TypeDecorator):
    """A timezone-aware timestamp that comes back aware from SQLite too (which stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL wants a BIGINT sequence.
AutoIncrementId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Versioned:
    """A declarative mixin for what every record staff edit carries: its version (the ETag), who made it and
    when. The columns are those the services' migrations create (`version`, `created_by`, `created_at`,
    `updated_at`)."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


Record = TypeVar("Record")


def find(session: Session, model: type[Record], record_id: str, label: str, *, for_update: bool = False,
         **belongs_to: str) -> Record:
    """The record, or NotFound; `belongs_to` (e.g. visit_id=...) must match too, so ids cannot cross parents."""
    record = session.get(model, record_id, with_for_update=for_update)
    if record is None or any(getattr(record, name) != value for name, value in belongs_to.items()):
        raise NotFound(label, record_id)
    return record


def same_department(column: Any, department: str) -> ColumnElement[bool]:
    """A column naming a department, as the `department` claim is compared (decision 0080): ignoring case and
    spacing."""
    return func.lower(func.replace(column, " ", "")) == department_key(department).replace(" ", "")


def grouped(session: Session, statement: Select, ids: list[Any]) -> dict[Any, list[Row]]:
    """The rows of a Core statement whose first column is one of `ids` (a page's records' parts, e.g. a trip's
    destinations: `select(Destination.trip_id, Destination.country, ...)`), by that column, each group in the
    statement's order. One statement for a whole page, and rows rather than ORM objects."""
    groups: dict[Any, list[Row]] = {}
    if ids:
        for row in session.execute(_among_ids(statement), {"ids": ids}):
            groups.setdefault(row[0], []).append(row)
    return groups


@lru_cache(maxsize=256)
def _among_ids(statement: Select) -> Select:
    """The statement narrowed to the rows whose first column is among the parameter `ids`: built once for each
    (module-level) statement rather than at every call."""
    return statement.where(statement.selected_columns[0].in_(bindparam("ids", expanding=True)))


def finder(model: type[Record], label: str) -> Callable[..., Record]:
    """`find` for one model: `(session, record_id, *, for_update=False)`, the record or NotFound naming `label`."""
    def find_one(session: Session, record_id: str, *, for_update: bool = False) -> Record:
        return find(session, model, record_id, label, for_update=for_update)
    return find_one


class PlumbingTables:
    """The outbox, inbox, audit and idempotency tables every service keeps in its own database."""

    def __init__(self, metadata: MetaData):
        self.outbox = Table(
            "outbox", metadata,
            Column("position", AutoIncrementId, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False, unique=True),
            Column("type", String(200), nullable=False),
            Column("subject", String(200), nullable=False),
            Column("data", JSON, nullable=False),
            Column("occurred_at", UTCDateTime(), nullable=False),
            Column("traceparent", String(100)),
            Column("published_at", UTCDateTime()),
        )
        Index("ix_outbox_unsent", self.outbox.c.position,
              sqlite_where=self.outbox.c.published_at.is_(None),
              postgresql_where=self.outbox.c.published_at.is_(None))
        self.inbox = Table(
            "inbox", metadata,
            Column("consumer", String(100), primary_key=True),
            Column("event_id", String(36), primary_key=True),
            Column("processed_at", UTCDateTime(), nullable=False),
        )
        self.audit = Table(
            "audit_records", metadata,
            Column("id", AutoIncrementId, primary_key=True, autoincrement=True),
            Column("at", UTCDateTime(), nullable=False, index=True),
            Column("actor", String(200), nullable=False, index=True),
            Column("roles", String(500), nullable=False),
            Column("action", String(200), nullable=False),
            Column("record_type", String(100), nullable=False),
            Column("record_id", String(100), nullable=False, index=True),
            Column("changes", JSON, nullable=False),
            Column("request_id", String(100)),
        )
        self.idempotency = Table(
            "idempotency_keys", metadata,
            Column("actor", String(200), primary_key=True),
            Column("key", String(200), primary_key=True),
            Column("fingerprint", String(64), nullable=False),
            Column("status_code", Integer, nullable=False),
            Column("body", Text, nullable=False),
            Column("headers", JSON, nullable=False),
            Column("created_at", UTCDateTime(), nullable=False),
        )


def _lower(value):
    return None if value is None else str(value).lower()


def _configure_sqlite(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's own lower() folds ASCII only; PostgreSQL's folds every script, so searches agree on both.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A writer takes the lock up front: a deferred transaction that upgrades to a write
        # fails at once with "database is locked" instead of waiting for the busy timeout.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, *, immediate: bool = True) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine, immediate)
    else:
        # No pre-ping (a round trip per checkout): a dropped connection fails one transaction (503 or a
        # consumer retry) and SQLAlchemy then replaces the whole pool.
        engine = create_engine(url, pool_size=5, max_overflow=10, pool_recycle=1800)
    trace_statements(engine)
    return engine


class Database:
    """The engines and units of work of one service; nothing connects until first use."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = make_engine(url, immediate=True)
        # On SQLite, readers use deferred transactions so that polling never takes the write lock.
        self.reader_engine = make_engine(url, immediate=False) if self.is_sqlite else self.engine
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.reader_engine, expire_on_commit=False)

    def listen(self, event_name: str, listener: Callable[..., Any]) -> None:
        """A SQLAlchemy session event (`after_flush`, `before_commit`, ...) on every write session."""
        event.listen(self._sessions, event_name, listener)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    def try_exclusive(self, session: Session, name: str) -> bool:
        """Take a transaction-scoped lock named `name`; False when another process holds it.

        SQLite's writer transactions are already exclusive, so only PostgreSQL needs the lock.
        """
        if self.is_sqlite:
            return True
        key = zlib.crc32(name.encode())
        return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar())

    def ping(self) -> None:
        with self.reader_engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose(close=False)
        if self.reader_engine is not self.engine:
            self.reader_engine.dispose(close=False)
