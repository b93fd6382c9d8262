"""The visits worker's periodic tasks (docs/decisions/0004)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.visits.api.checklist import task_event_data
from services.visits.api.invitations import event_data
from services.visits.domain.checklist import needs_overdue_report
from services.visits.domain.invitation import OPEN_STATES
from services.visits.domain.visit import VisitStatus
from services.visits.store.models import ChecklistItem, Invitation, Visit
from shared.service import PeriodicTask
from shared.uow import UnitOfWork


def report_overdue_checklist_tasks(work: UnitOfWork, now: datetime) -> None:
    """Emit `checklist-task.overdue` once for each open task of a live visit past its due date."""
    today = now.date()
    rows = work.session.execute(
        select(ChecklistItem, Visit).join(Visit, Visit.id == ChecklistItem.visit_id)
        .where(ChecklistItem.done_at.is_(None), ChecklistItem.overdue_reported_at.is_(None),
               ChecklistItem.due_on < today, Visit.status != VisitStatus.CANCELLED.value)).all()
    for task, visit in rows:
        if needs_overdue_report(task.due_on, task.done_at, task.overdue_reported_at, today):
            task.overdue_reported_at = now
            work.emit("chancery.visits.checklist-task.overdue.v1", task.id, task_event_data(visit, task, today))
            work.audit("checklist-task.overdue", "checklist-task", task.id, {"due_on": task.due_on.isoformat()})


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


PERIODIC_TASKS = [PeriodicTask("overdue-checklist-tasks", 300, report_overdue_checklist_tasks),
                  PeriodicTask("overdue-invitations", 300, report_overdue_invitations)]
