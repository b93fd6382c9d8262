"""The worker's periodic tasks: the unit of work they get, their clock, and failures that stop nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import select

from shared.observability import PERIODIC_TASK_RUNS
from shared.periodic import PeriodicRunner
from shared.service import PeriodicTask

FROZEN = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


def runtime_of(service_app):
    return service_app("visits").app.extensions["chancery"]


def runs(task: str, outcome: str) -> float:
    return PERIODIC_TASK_RUNS.labels("visits", task, outcome)._value.get()


def test_a_task_gets_the_clock_it_is_given_and_writes_its_audit_record_in_its_own_transaction(service_app):
    service = runtime_of(service_app)
    seen = []

    def sweep(work, now):
        seen.append(now)
        work.audit("visit.sweep", "visit", "v-1", {"at": now.isoformat()})

    assert PeriodicRunner(service, []).run_once(PeriodicTask("sweep", 60, sweep), now=FROZEN)
    audit = service.spec.tables.audit
    with service.database.read_session() as session:
        record = session.execute(select(audit.c.actor, audit.c.request_id, audit.c.changes)).one()
    assert seen == [FROZEN]
    assert record.actor == "worker:visits"
    assert record.request_id == "sweep"
    assert record.changes == {"at": FROZEN.isoformat()}


def test_a_failing_task_is_rolled_back_counted_and_the_others_keep_running(service_app):
    service = runtime_of(service_app)
    stop = threading.Event()
    healthy_runs = []

    def broken(work, now):
        work.audit("visit.sweep", "visit", "v-1", {})
        raise RuntimeError("the rank table is empty")

    def healthy(work, now):
        healthy_runs.append(now)
        if len(healthy_runs) == 3:
            stop.set()

    failed_before = runs("broken", "failed")
    runner = PeriodicRunner(service, [PeriodicTask("broken", 0.01, broken), PeriodicTask("healthy", 0.01, healthy)])
    worker = threading.Thread(target=runner.run, args=(stop,))
    worker.start()
    worker.join(timeout=10)

    assert not worker.is_alive()
    assert len(healthy_runs) == 3
    assert runs("broken", "failed") - failed_before >= 2
    with service.database.read_session() as session:
        assert session.execute(select(service.spec.tables.audit)).first() is None
