"""The protocol checklist of each visit: tasks with owners and due dates, done once, reported once overdue."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import select

from services.visits.domain.checklist import is_overdue, needs_overdue_report
from services.visits.domain.visit import VisitStatus
from services.visits.events import contents
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import find_visit, open_visit
from services.visits.store.models import ChecklistItem, Visit
from shared.kit.refusals import Conflict
from shared.uow import UnitOfWork


def record_task_change(uow: UnitOfWork, visit: Visit, task: ChecklistItem, action: str, changes: dict[str, Any],
                       today: date) -> None:
    overdue = is_overdue(task.due_on, task.done_at, today)
    uow.record_change("checklist-task", action, task, partial(contents.checklist_task, visit=visit, overdue=overdue),
                      changes, part_of=visit)


def find_task(uow: UnitOfWork, visit: Visit, task_id: str, expected_version: frozenset[int] | None) -> ChecklistItem:
    return find_current(uow.session, ChecklistItem, task_id, "checklist task", expected_version, visit_id=visit.id)


def add_task(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> ChecklistItem:
    visit = open_visit(uow.session, visit_id)
    task = ChecklistItem(visit_id=visit.id, version=1, **fields)
    uow.session.add(task)
    record_task_change(uow, visit, task, "added", changes, uow.now().date())
    return task


def update_task(uow: UnitOfWork, visit_id: str, task_id: str, fields: dict[str, Any], changes: dict[str, Any],
                expected_version: frozenset[int] | None) -> ChecklistItem:
    visit = open_visit(uow.session, visit_id)
    task = find_task(uow, visit, task_id, expected_version)
    if not fields:
        return task
    if "due_on" in fields and fields["due_on"] != task.due_on:
        task.overdue_reported_at = None  # a new due date may fall overdue again, and is reported again
    set_fields(task, fields)
    task.version += 1
    record_task_change(uow, visit, task, "updated", changes, uow.now().date())
    return task


def complete_task(uow: UnitOfWork, visit_id: str, task_id: str, expected_version: frozenset[int] | None
                  ) -> ChecklistItem:
    visit = find_visit(uow.session, visit_id)
    task = find_task(uow, visit, task_id, expected_version)
    if task.done_at is not None:
        raise Conflict(f"the task was done by {task.done_by}", slug="illegal-transition", allowed_actions=[])
    task.done_at, task.done_by, task.version = uow.now(), uow.actor, task.version + 1
    record_task_change(uow, visit, task, "completed", {"done_by": uow.actor}, uow.now().date())
    return task


def report_overdue_tasks(uow: UnitOfWork, now: datetime) -> None:
    """`checklist-task.overdue` once for each open task of a live visit past its due date."""
    today = now.date()
    rows = uow.session.execute(
        select(ChecklistItem, Visit).join(Visit, Visit.id == ChecklistItem.visit_id)
        .where(ChecklistItem.done_at.is_(None), ChecklistItem.overdue_reported_at.is_(None),
               ChecklistItem.due_on < today, Visit.status != VisitStatus.CANCELLED.value)).all()
    for task, visit in rows:
        if needs_overdue_report(task.due_on, task.done_at, task.overdue_reported_at, today):
            task.overdue_reported_at = now
            record_task_change(uow, visit, task, "overdue", {"due_on": task.due_on.isoformat()}, today)
