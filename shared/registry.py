"""Registry numbers: a gapless sequence per registry and year, like an office's outgoing registry.

A service that numbers documents keeps a `registry_counters` table (`registry_counters(metadata)`, created
by `shared.plumbing_migrations.create_registry_counters_v1()` in its migration) and takes each number with
`next_in_registry` inside the transaction that registers the document: a rolled-back transaction gives its
number back, so the sequence has no holes, and concurrent transactions queue on the counter's row
(PostgreSQL row lock; SQLite writes one transaction at a time), so no number is given twice.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def registry_counters(metadata: MetaData) -> Table:
    return Table(
        "registry_counters", metadata,
        Column("registry", String(50), primary_key=True),
        Column("year", Integer, primary_key=True),
        Column("last_number", Integer, nullable=False),
    )


def next_in_registry(session: Session, counters: Table, registry: str, year: int) -> int:
    """The next number of `registry` in `year` (1, 2, 3 …), taken in the session's transaction."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(counters).values(registry=registry, year=year, last_number=0)
                    .on_conflict_do_nothing(index_elements=["registry", "year"]))
    # An UPDATE takes the row's lock: a concurrent registration waits for this transaction, then reads on.
    return session.execute(update(counters)
                           .where(counters.c.registry == registry, counters.c.year == year)
                           .values(last_number=counters.c.last_number + 1)
                           .returning(counters.c.last_number)).scalar_one()

