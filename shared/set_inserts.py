"""Rows a transaction inserts set-based: one `INSERT … VALUES` per table for everything it added that way
(decision 0200), where the ORM would insert the rows of each flush apart.

A row held by `insert_in_set` is inserted, with the others of its table, when the transaction commits, when
`insert_held_rows` is called, or before a read of its table while autoflush is on (as the ORM flushes its
pending objects before a query): reads see the rows as they saw flushed objects, and a read that does not
touch their tables (or runs under `no_autoflush`) leaves them held. The listeners are added to a session as it
first holds a row: sessions that never do pay nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ClauseElement, Table, event, insert
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.util import find_tables

_HELD = "chancery.rows_held"
_LISTENING = "chancery.rows_held.listening"


def insert_in_set(session: Session, model: type[Any], row: dict[str, Any]) -> None:
    """Hold `row` for the set insert into the table of `model` (a mapped class); every row of a table needs the
    same keys (the other columns take their defaults)."""
    if _LISTENING not in session.info:
        session.info[_LISTENING] = True
        event.listen(session, "do_orm_execute", _before_reading)
        event.listen(session, "before_commit", insert_held_rows)
        event.listen(session, "after_rollback", _drop_held_rows)
    session.info.setdefault(_HELD, {}).setdefault(model.__table__, []).append(row)


def holds_rows(session: Session) -> bool:
    return bool(session.info.get(_HELD))


def insert_held_rows(session: Session) -> None:
    """Insert every row held in the session's transaction: one statement per table, in the order the tables
    were first held."""
    held: dict[Table, list[dict[str, Any]]] = session.info.pop(_HELD, {})
    for table, rows in held.items():
        # RETURNING makes SQLAlchemy send the rows as one multi-row statement ("insertmanyvalues", split past
        # the database's limit of parameters) from one cached compilation; without it, a statement per row.
        session.execute(insert(table).returning(*table.primary_key.columns), rows)


def _before_reading(state: ORMExecuteState) -> None:
    held = state.session.info.get(_HELD)
    if held and state.session.autoflush and not state.is_insert and isinstance(state.statement, ClauseElement):
        read = {table.name for table in find_tables(state.statement, include_crud=True)}
        if any(table.name in read for table in held):
            insert_held_rows(state.session)


def _drop_held_rows(session: Session) -> None:
    session.info.pop(_HELD, None)
