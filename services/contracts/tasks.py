"""The contracts worker's periodic tasks (docs/decisions/0004): expiry ahead, due and overdue, announced once; a
tender's tenderers released once its submission deadline has passed (decision 0038); agreements whose embargo has
passed announced as released, once (decision 0190)."""

from __future__ import annotations

from datetime import datetime

from services.contracts.events import contents
from services.contracts.operations import agreements, commitments, ocds
from services.contracts.store.models import Agreement
from shared.service import PeriodicTask
from shared.uow import UnitOfWork, release_embargoes


def announce_expiring_agreements(work: UnitOfWork, now: datetime) -> None:
    agreements.announce_expiring_agreements(work, now.date())


def announce_due_and_overdue_commitments(work: UnitOfWork, now: datetime) -> None:
    commitments.announce_due_and_overdue_commitments(work, now.date())


def release_closed_tenders(work: UnitOfWork, now: datetime) -> None:
    ocds.release_closed_tenders(work.session, work.settings, now)


def release_passed_embargoes(work: UnitOfWork, now: datetime) -> None:
    release_embargoes(work, Agreement, "agreement", contents.agreement, now)


PERIODIC_TASKS = [PeriodicTask("release-embargoes", 30, release_passed_embargoes),
                  PeriodicTask("expiring-agreements", 3600, announce_expiring_agreements),
                  PeriodicTask("due-commitments", 3600, announce_due_and_overdue_commitments),
                  # The feed shows a closed tender's tenderers within a minute of its deadline.
                  PeriodicTask("closed-tenders", 60, release_closed_tenders)]
