"""The worker's periodic tasks (overdue sweeps, retention purges): each in its own transaction, one runner at a time."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from shared.db import utcnow
from shared.observability import PERIODIC_TASK_RUNS
from shared.service import PeriodicTask, ServiceRuntime
from shared.uow import worker_unit_of_work

log = logging.getLogger(__name__)


class PeriodicRunner:
    def __init__(self, service: ServiceRuntime, tasks: list[PeriodicTask]):
        self.service = service
        self.tasks = tasks

    def run_once(self, task: PeriodicTask, now: datetime | None = None) -> bool:
        """Run `task` now; False when another worker holds its lock (it is running there)."""
        database = self.service.database
        with database.session() as session:
            if not database.try_exclusive(session, f"periodic:{self.service.spec.name}:{task.name}"):
                return False
            task.run(worker_unit_of_work(self.service, session, task.name), now or utcnow())
        return True

    def run(self, stop: threading.Event) -> None:
        due = {task.name: time.monotonic() for task in self.tasks}
        while not stop.is_set():
            for task in self.tasks:
                if time.monotonic() >= due[task.name]:
                    self._run_logged(task)
                    due[task.name] = time.monotonic() + task.every_seconds
            stop.wait(max(0.05, min(due.values()) - time.monotonic()))

    def _run_logged(self, task: PeriodicTask) -> None:
        # A failing task must not stop the worker (the relay and consumer run beside it): count it, log it,
        # and try again at its next turn.
        try:
            outcome = "ran" if self.run_once(task) else "skipped"
        except Exception:
            log.exception("periodic task %s failed", task.name)
            outcome = "failed"
        PERIODIC_TASK_RUNS.labels(self.service.spec.name, task.name, outcome).inc()
