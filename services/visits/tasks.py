"""The visits worker's periodic tasks (docs/decisions/0004)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.visits.api.invitations import event_data
from services.visits.api.visa_letters import emit as visa_letter_event
from services.visits.domain.invitation import OPEN_STATES
from services.visits.domain.visa_letters import PERSONAL_FIELDS, purge_due
from services.visits.operations.checklist import report_overdue_tasks
from services.visits.domain.visit import VisitStatus
from services.visits.store.models import Invitation, VisaLetter, Visit
from shared.service import PeriodicTask
from shared.uow import UnitOfWork


def report_overdue_checklist_tasks(work: UnitOfWork, now: datetime) -> None:
    report_overdue_tasks(work, now)


def report_overdue_invitations(work: UnitOfWork, now: datetime) -> None:
    """Emit `invitation.overdue` once for each open invitation past its deadline (again after a new deadline)."""
    today = now.date()
    late = work.session.scalars(select(Invitation).where(
        Invitation.status.in_([state.value for state in OPEN_STATES]), Invitation.deadline < today,
        Invitation.overdue_reported_at.is_(None))).all()
    for invitation in late:
        invitation.overdue_reported_at = now
        work.emit("chancery.visits.invitation.overdue.v1", invitation.id, event_data(invitation, today))
        work.audit("invitation.overdue", "invitation", invitation.id, {"deadline": invitation.deadline.isoformat()})


def purge_visa_letter_personal_data(work: UnitOfWork, now: datetime) -> None:
    """Erase the passport data of letters whose visit ended more than CHANCERY_PII_RETENTION_DAYS ago."""
    retention = work.runtime.settings.pii_retention_days
    rows = work.session.execute(
        select(VisaLetter, Visit).join(Visit, Visit.id == VisaLetter.visit_id)
        .where(VisaLetter.personal_data_purged_at.is_(None), Visit.ends_on < now.date())).all()
    for letter, visit in rows:
        if purge_due(visit.ends_on, now.date(), retention):
            for name in PERSONAL_FIELDS:
                setattr(letter, name, None)
            letter.personal_data_purged_at, letter.version = now, letter.version + 1
            work.audit("personal-data.purged", "visa-letter", letter.id,
                       {"visit_id": visit.id, "fields": list(PERSONAL_FIELDS)})
            visa_letter_event(work, visit, letter, "purged", {"retention_days": retention})


PERIODIC_TASKS = [PeriodicTask("overdue-checklist-tasks", 300, report_overdue_checklist_tasks),
                  PeriodicTask("overdue-invitations", 300, report_overdue_invitations),
                  PeriodicTask("purge-visa-letter-personal-data", 3600, purge_visa_letter_personal_data)]
