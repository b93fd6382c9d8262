"""The notifications worker's periodic tasks (docs/decisions/0004)."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import Gauge

from services.notifications.operations.waiting import escalate_overdue, waiting_counts
from shared.service import PeriodicTask
from shared.uow import UnitOfWork

# Set by the worker's sweep alone: the most recent value is the figure.
WAITING = Gauge("chancery_decisions_waiting", "Decisions waiting, per role awaited and whether past their due time",
                ["role", "state"], multiprocess_mode="mostrecent")


def escalate_and_count(work: UnitOfWork, now: datetime) -> None:
    """Escalate the decisions waiting past their due time, then count what waits per role (decision 0125)."""
    escalate_overdue(work, now)
    counts = waiting_counts(work, now)
    for role in {rule.awaiting for rule in work.settings.escalations} | set(counts):
        waiting, overdue = counts.get(role, (0, 0))
        WAITING.labels(role, "waiting").set(waiting)
        WAITING.labels(role, "overdue").set(overdue)


PERIODIC_TASKS = [PeriodicTask("escalate-waiting-decisions", 60, escalate_and_count)]
