"""The procurement plan: adding lines, changing drafts, approving and cancelling them, tendering them."""

from __future__ import annotations

from typing import Any

from services.contracts.domain.plan import EDITABLE, PLAN_LINE_LIFECYCLE, PlanLineStatus, check_planned_dates
from services.contracts.domain.refusals import NotInThisState
from services.contracts.events import contents
from services.contracts.operations.versions import check_editable, set_fields, take_action
from services.contracts.store.models import PlanLine
from shared.db import finder
from shared.uow import UnitOfWork

find_plan_line = finder(PlanLine, "plan line")


def record_plan_line_change(uow: UnitOfWork, line: PlanLine, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("plan-line", action, line, contents.plan_line, changes)


def columns(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields as model columns: the budget value is two columns."""
    budget = fields.pop("budget", None)
    if budget is not None:
        fields.update(budget_amount=budget["amount"], currency=budget["currency"])
    return fields


def create_plan_line(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> PlanLine:
    line = PlanLine(**columns(dict(fields)), status=PlanLineStatus.DRAFT.value, version=1, created_by=uow.actor)
    uow.session.add(line)
    record_plan_line_change(uow, line, "created", changes)
    return line


def update_plan_line(uow: UnitOfWork, plan_line_id: str, fields: dict[str, Any], changes: dict[str, Any],
                     expected_version: frozenset[int] | None) -> PlanLine:
    """Change a draft line; no fields change nothing (no new version, event or audit record)."""
    line = find_plan_line(uow.session, plan_line_id)
    check_editable(line, expected_version, PLAN_LINE_LIFECYCLE, EDITABLE,
                   "a plan line that is {status} can no longer be changed")
    if not fields:
        return line
    set_fields(line, columns(dict(fields)))
    check_planned_dates(line.planned_tender_on, line.planned_delivery_by)
    record_plan_line_change(uow, line, "updated", changes)
    return line


def move_plan_line(uow: UnitOfWork, plan_line_id: str, action: str, reason: str | None,
                   expected_version: frozenset[int] | None) -> PlanLine:
    line = find_plan_line(uow.session, plan_line_id)
    changes = take_action(line, PLAN_LINE_LIFECYCLE, action, reason, expected_version)
    record_plan_line_change(uow, line, PLAN_LINE_LIFECYCLE.past_tense(action), changes)
    return line


def check_tenderable(line: PlanLine) -> None:
    if line.status != PlanLineStatus.APPROVED:
        raise NotInThisState(f"a tender is announced for an approved plan line; this one is {line.status}",
                             PLAN_LINE_LIFECYCLE.allowed_actions(PlanLineStatus(line.status)))


def mark_tendered(uow: UnitOfWork, line: PlanLine, tender_id: str) -> None:
    """Announcing a tender for an approved line marks it tendered: not an action of its own."""
    line.status, line.version = PlanLineStatus.TENDERED.value, line.version + 1
    record_plan_line_change(uow, line, "tendered", {"status": ["approved", "tendered"], "tender_id": tender_id})
