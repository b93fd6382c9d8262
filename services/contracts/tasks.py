"""The contracts worker's periodic tasks (docs/decisions/0004): expiry ahead, due and overdue, announced once."""

from __future__ import annotations

from datetime import datetime

from services.contracts.operations import agreements, commitments
from services.contracts.settings import contracts_settings
from shared.service import PeriodicTask
from shared.uow import UnitOfWork


def with_own_settings(work: UnitOfWork) -> UnitOfWork:
    """`shared.worker.run_worker` builds the worker's runtime without the service's own settings: read them from
    the environment the first time (the web app's runtime has them from `create_app`)."""
    if work.settings is None:
        work.runtime.own_settings = contracts_settings(None)
    return work


def announce_expiring_agreements(work: UnitOfWork, now: datetime) -> None:
    agreements.announce_expiring_agreements(with_own_settings(work), now.date())


def announce_due_and_overdue_commitments(work: UnitOfWork, now: datetime) -> None:
    commitments.announce_due_and_overdue_commitments(with_own_settings(work), now.date())


PERIODIC_TASKS = [PeriodicTask("expiring-agreements", 3600, announce_expiring_agreements),
                  PeriodicTask("due-commitments", 3600, announce_due_and_overdue_commitments)]
