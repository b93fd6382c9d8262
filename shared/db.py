"""One database per service: SQLAlchemy 2 engines, units of work, and the plumbing tables."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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
    column,
    create_engine,
    event,
    false,
    func,
    or_,
    text,
    true,
)
from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator

from shared.kit.departments import department_key
from shared.kit.refusals import NotFound
from shared.kit.withholding import (
    CONFIDENTIAL,
    OPEN,
    SEES_EVERYTHING,
    Viewer,
    is_withheld_data,
    listed_names,
    may_know,
    names_list,
)
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


class Marking:
    """A declarative mixin: the columns of a record's marking (decision 0190). `need_to_know` is kept as two
    `,a,b,` text columns so that one LIKE finds a name on either database."""

    confidentiality: Mapped[str] = mapped_column(String(20), default=OPEN)
    embargoed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    known_to_people: Mapped[str] = mapped_column(Text, default="")
    known_to_roles: Mapped[str] = mapped_column(Text, default="")

    @property
    def need_to_know(self) -> dict[str, list[str]]:
        return {"people": listed_names(self.known_to_people), "roles": listed_names(self.known_to_roles)}

    @need_to_know.setter
    def need_to_know(self, named: dict[str, list[str]] | None) -> None:
        self.known_to_people = names_list((named or {}).get("people", ()))
        self.known_to_roles = names_list((named or {}).get("roles", ()))


def row_as_record(row: Mapping[str, Any], **more: Any) -> SimpleNamespace:
    """A table's row (and `more`, e.g. its parts) read as its record is: a marking's `need_to_know` included."""
    values = {**row, **more}
    if "known_to_people" in values:
        values["need_to_know"] = {"people": listed_names(values["known_to_people"]),
                                  "roles": listed_names(values["known_to_roles"])}
    return SimpleNamespace(**values)


class Withholdable(Marking):
    """A declarative mixin for a record that can be confidential or embargoed (decision 0190).
    `withheld_announced` says whether the record's last event was withheld: its release is then announced once."""

    created_by: Mapped[str] = mapped_column(String(200))  # who always knows of it (every such record keeps it)
    withheld_announced: Mapped[bool] = mapped_column(Boolean, default=False)


class HeardMarking(Marking):
    """A declarative mixin for a read model of another service's record (an official's busy time): the marking
    its newest event told, so that whoever may not know of the record is shown only that the time is taken
    (decision 0190). Its creator is among the people a withheld record's events name."""

    created_by = ""

    @property
    def heard_withheld(self) -> bool:
        return self.confidentiality == CONFIDENTIAL or self.embargoed_until is not None

    def hear_marking(self, data: dict[str, Any]) -> None:
        """Keep the marking of an event's `data`: none (open) unless the event is about a withheld record."""
        until = data.get("embargoed_until") if is_withheld_data(data) else None
        self.confidentiality = CONFIDENTIAL if data.get("confidential") else OPEN
        self.embargoed_until = datetime.fromisoformat(until) if until else None
        self.need_to_know = data.get("need_to_know")

    def released_by(self, data: dict[str, Any]) -> bool:
        """Whether `data`, an event of the version kept, releases the withheld record kept: a `released` event
        has the version of the record's last change, and comes after it (a late withheld one changes nothing)."""
        return self.heard_withheld and not is_withheld_data(data)


def marking_columns() -> list[Column]:
    """The columns of `Marking`, for a migration adding them to a read model's table."""
    return [Column("confidentiality", String(20), nullable=False, server_default=OPEN),
            Column("embargoed_until", UTCDateTime(), nullable=True),
            Column("known_to_people", Text, nullable=False, server_default=""),
            Column("known_to_roles", Text, nullable=False, server_default="")]


def withholding_columns() -> list[Column]:
    """The columns of `Withholdable`, for a migration adding them to a table."""
    return [*marking_columns(), Column("withheld_announced", Boolean, nullable=False, server_default=false())]


def visible_to(model: Any, viewer: Viewer | None) -> ColumnElement[bool]:
    """The records of `model` that `viewer` may know of (`may_know` as SQL): the one predicate every list, count,
    calendar and export of a withholdable record applies."""
    if viewer is None or SEES_EVERYTHING in viewer.roles:
        return true()
    return or_(withheld_from_none(model, viewer.now),
               model.created_by == viewer.subject,
               model.known_to_people.contains(f",{viewer.subject},", autoescape=True),
               *(model.known_to_roles.contains(f",{role},", autoescape=True) for role in sorted(viewer.roles)))


def withheld_from_none(model: Any, now: datetime | ColumnElement[Any]) -> ColumnElement[bool]:
    """The records of `model` that are not withheld at `now`: open, and out of any embargo (decision 0190). `now`
    may be a bound parameter, for a statement built once."""
    return (model.confidentiality == OPEN) & (model.embargoed_until.is_(None) | (model.embargoed_until <= now))


def viewer_of(session: Session) -> Viewer | None:
    """Who the session reads for: set by the request's unit of work (`shared.http.work`); none in the worker."""
    return session.info.get("viewer")


Record = TypeVar("Record")


def find(session: Session, model: type[Record], record_id: str, label: str, *, for_update: bool = False,
         **belongs_to: str) -> Record:
    """The record, or NotFound; `belongs_to` (e.g. visit_id=...) must match too, so ids cannot cross parents; a
    withheld record the session's viewer may not know of is not found either (decision 0190)."""
    record = session.get(model, record_id, with_for_update=for_update)
    if record is None or any(getattr(record, name) != value for name, value in belongs_to.items()):
        raise NotFound(label, record_id)
    if isinstance(record, Withholdable) and not may_know(record, viewer_of(session)):
        raise NotFound(label, record_id)
    return record


def same_department(column: Any, department: str) -> ColumnElement[bool]:
    """A column naming a department, as the `department` claim is compared (decision 0080): ignoring case and
    spacing."""
    return func.lower(func.replace(column, " ", "")) == department_key(department).replace(" ", "")


def grouped(session: Session, statement: Select, ids: list[Any], **params: Any) -> dict[Any, list[Row]]:
    """The rows of a Core statement whose first column is one of `ids` (a page's records' parts, e.g. a trip's
    destinations: `select(Destination.trip_id, Destination.country, ...)`), by that column, each group in the
    statement's order. One statement for a whole page, and rows rather than ORM objects. `params`: the values of the
    statement's own bound parameters."""
    groups: dict[Any, list[Row]] = {}
    if ids:
        for row in session.execute(_among_ids(statement), {"ids": ids, **params}):
            groups.setdefault(row[0], []).append(row)
    return groups


@lru_cache(maxsize=256)
def _among_ids(statement: Select) -> Select:
    """The statement narrowed to the rows whose first column is among the parameter `ids`: built once for each
    (module-level) statement rather than at every call."""
    return statement.where(statement.selected_columns[0].in_(bindparam("ids", expanding=True)))


def list_index(table: str, *order: str) -> Index:
    """An index holding a list's records in the list's order (decisions 0170, 0215): the order's columns ("-" for
    descending), each once, then the id in the direction of the last unless the order names it. For a sort by a
    field the order is that field then the list's default order, as `apply_sort` orders: the ascending sort reads
    the index forwards, ties and all, and the descending one backwards."""
    names: list[str] = []
    for name in order:
        if name.lstrip("-") not in {known.lstrip("-") for known in names}:
            names.append(name)
    if names[-1].lstrip("-") != "id":
        names.append("-id" if names[-1].startswith("-") else "id")
    columns: list[Any] = [column(name[1:]).desc() if name.startswith("-") else name for name in names]
    return Index(f"ix_{table}_{names[0].lstrip('-')}_{names[1].lstrip('-')}", *columns)


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
        # consumer retry) and SQLAlchemy then replaces the whole pool. Every statement is planned for its
        # parameters (decision 0210): a generic plan of a prepared statement may walk a whole table for a rare value.
        engine = create_engine(url, pool_size=5, max_overflow=10, pool_recycle=1800,
                               connect_args={"options": "-c plan_cache_mode=force_custom_plan"})
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
