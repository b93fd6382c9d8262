"""The visits worker's periodic tasks (docs/decisions/0004)."""

from __future__ import annotations

from datetime import datetime

from services.visits.events import contents
from services.visits.operations.checklist import report_overdue_tasks
from services.visits.operations.invitations import report_overdue_invitations
from services.visits.operations.visa_letters import purge_personal_data
from services.visits.store.models import Meeting, Visit
from shared.service import PeriodicTask
from shared.uow import UnitOfWork, release_embargoes


def purge_visa_letter_personal_data(work: UnitOfWork, now: datetime) -> None:
    """Erase the passport data of letters whose visit ended more than CHANCERY_PII_RETENTION_DAYS ago."""
    purge_personal_data(work, now, work.runtime.settings.pii_retention_days)


def release_passed_embargoes(work: UnitOfWork, now: datetime) -> None:
    """Announce visits and meetings whose embargo has passed as released (decision 0190)."""
    release_embargoes(work, Visit, "visit", contents.visit, now)
    release_embargoes(work, Meeting, "meeting", contents.meeting, now)


PERIODIC_TASKS = [PeriodicTask("release-embargoes", 30, release_passed_embargoes),
                  PeriodicTask("overdue-checklist-tasks", 300, report_overdue_tasks),
                  PeriodicTask("overdue-invitations", 300, report_overdue_invitations),
                  PeriodicTask("purge-visa-letter-personal-data", 3600, purge_visa_letter_personal_data)]
