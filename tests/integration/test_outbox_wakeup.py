"""The relay is woken by each commit that adds to the outbox, on PostgreSQL and on SQLite (decision 0077)."""

import threading
import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.visits.events import CATALOG
from services.visits.operations.visits import create_visit
from shared.bus.outbox import Outbox
from shared.bus.wakeup import OutboxWakeup
from shared.config import load_settings
from shared.db import Database, utcnow
from shared.migrations import upgrade
from shared.suite import spec_of
from shared.uow import UnitOfWork
from tests.support.processes import VISIT, eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def visits_database(database_url):
    upgrade(spec_of("visits"), load_settings("visits", {"VISITS_DATABASE_URL": database_url}))
    database = Database(database_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def wakeup_watching(visits_database):
    wakeup, stop = OutboxWakeup(visits_database.url, poll_seconds=0.02), threading.Event()
    wakeup.start(stop)
    eventually(lambda: wakeup.watching, timeout=30, message="the wake-up watching")
    wakeup.wait()  # the wake-up given on starting to listen, for what was committed before
    yield wakeup
    stop.set()
    wakeup.join()


def record_an_event(database: Database, *, commit: bool) -> None:
    outbox, visit_id = Outbox("visits", spec_of("visits").tables, CATALOG), str(uuid.uuid4())
    with database.engine.connect() as connection, Session(connection) as session:
        outbox.record(session, "chancery.visits.visit.created.v1", visit_id,
                      {"id": visit_id, **VISIT, "status": "draft", "status_reason": None, "version": 1})
        if commit:
            session.commit()


def test_a_commit_that_adds_to_the_outbox_wakes_the_relay(visits_database, wakeup_watching):
    record_an_event(visits_database, commit=True)
    assert wakeup_watching.wait() is True


def test_an_outbox_row_rolled_back_wakes_no_one(visits_database, wakeup_watching):
    record_an_event(visits_database, commit=False)
    assert wakeup_watching.wait() is False


def test_a_changes_event_and_audit_record_go_in_one_statement_on_postgresql_and_wake_the_relay(
        visits_database, wakeup_watching):
    spec, statements = spec_of("visits"), []
    event.listen(visits_database.engine, "before_cursor_execute",
                 lambda _connection, _cursor, statement, *_: statements.append(statement))
    runtime = SimpleNamespace(spec=spec, outbox=Outbox("visits", spec.tables, CATALOG), clock=utcnow)
    with visits_database.session() as session:
        uow = UnitOfWork(session, runtime, "alice", frozenset({"protocol"}), "request-1")  # type: ignore[arg-type]
        visit = create_visit(uow, {**VISIT, "starts_on": date(2027, 3, 10), "ends_on": date(2027, 3, 12)},
                             {"delegation_name": VISIT["delegation_name"]})

    assert wakeup_watching.wait() is True
    with visits_database.read_session() as session:
        recorded = session.execute(select(spec.tables.outbox.c.type, spec.tables.outbox.c.data)).one()
        audited = session.execute(select(spec.tables.audit.c.action, spec.tables.audit.c.record_id,
                                         spec.tables.audit.c.roles, spec.tables.audit.c.changes)).one()
    assert recorded.type == "chancery.visits.visit.created.v1" and recorded.data["id"] == visit.id
    assert tuple(audited) == ("visit.created", visit.id, "protocol", {"delegation_name": VISIT["delegation_name"]})
    writes = [statement for statement in statements if "INSERT INTO outbox" in statement
              or "INSERT INTO audit_records" in statement]
    assert len(writes) == (1 if visits_database.url.startswith("postgresql") else 2)
