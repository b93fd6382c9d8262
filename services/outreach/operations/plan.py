"""The annual plan's items: entered by staff, moved through their lifecycle, and kept in step with the other
services' records they come from (agreements, trips and their reports, visits, visit reports and meetings'
follow-ups: docs/decisions/0041, 0044, 0155)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.outreach.domain.plan import (
    ITEM_LIFECYCLE,
    CurrentItem,
    ItemStatus,
    Source,
    SourcedActivity,
    budget_cents,
    carried_by_source,
    check_progress,
    progress_after,
    reconcile,
)
from services.outreach.events import contents
from services.outreach.operations.changes import record_change, refuse_clearing
from services.outreach.store.models import PlanItem, PlanSource
from shared.db import find
from shared.kit.departments import department_key
from shared.kit.refusals import Conflict, Invalid, NotFound, require_version
from shared.uow import UnitOfWork

SOURCE_FIELDS = ("activity", "responsible_body", "partner_id", "starts_on", "due_on")
REQUIRED = ("activity", "responsible_body", "due_on")


def record_item_change(uow: UnitOfWork, item: PlanItem, action: str, changes: dict[str, Any]) -> None:
    record_change(uow, "plan-item", action, item, contents.plan_item, changes)


def find_item(session: Session, item_id: str, scope: str | None = None) -> PlanItem:
    """The item, or NotFound: also another department's, for a reader of one department's only (`scope`, as
    `caller_scope` gives it; decision 0136), so that a head cannot learn which ids exist."""
    item = find(session, PlanItem, item_id, "plan item")
    if scope is not None and (not scope or department_key(item.responsible_body) != department_key(scope)):
        raise NotFound("plan item", item_id)
    return item


def create_item(uow: UnitOfWork, fields: dict[str, Any], budget: Decimal | None, changes: dict[str, Any]) -> PlanItem:
    """A plan item entered by hand."""
    item = PlanItem(**fields, year=fields["due_on"].year, budget_cents=budget_cents(budget),
                    source=Source.MANUAL.value, status=ItemStatus.PLANNED.value, progress=0, version=1,
                    created_by=uow.actor)
    uow.session.add(item)
    record_item_change(uow, item, "created", changes)
    return item


def update_item(uow: UnitOfWork, item_id: str, fields: dict[str, Any], changes: dict[str, Any],
                expected_version: frozenset[int] | None) -> PlanItem:
    """Change an item's details; what an item from another service holds from its source follows the source."""
    refuse_clearing(fields, REQUIRED)
    item = find_item(uow.session, item_id)
    require_version(item.version, expected_version)
    sourced = sorted(set(fields) & set(SOURCE_FIELDS)) if item.source != Source.MANUAL.value else []
    if sourced:
        raise Conflict(f"{', '.join(sourced)} of an item from a {item.source} change only when its source does",
                       slug="follows-source", fields=sourced)
    if not fields:
        return item
    fields = dict(fields)
    if "budget_amount" in fields:
        fields["budget_cents"] = budget_cents(fields.pop("budget_amount"))
    for name, value in fields.items():
        setattr(item, name, value)
    if item.starts_on is not None and item.due_on < item.starts_on:
        raise Invalid("due_on", "due_on must not be before starts_on")
    if (item.budget_cents is None) != (item.budget_currency is None):
        raise Invalid("budget_currency", "budget_amount and budget_currency go together")
    item.year, item.version = item.due_on.year, item.version + 1
    record_item_change(uow, item, "updated", changes)
    return item


def move_item(uow: UnitOfWork, item_id: str, action: str, reason: str | None,
              expected_version: frozenset[int] | None, scope: str | None = None) -> PlanItem:
    """Take a lifecycle action on an item (a department head: on its department's); staff's action is staff's,
    no longer the source's withdrawal."""
    item = find_item(uow.session, item_id, scope)
    require_version(item.version, expected_version)
    previous = ITEM_LIFECYCLE.advance(item, action, reason)
    item.progress, item.withdrawn_by_source = progress_after(ItemStatus(item.status), item.progress), False
    record_item_change(uow, item, ITEM_LIFECYCLE.past_tense(action),
                       {"status": [previous, item.status], "reason": item.status_reason})
    return item


def report_progress(uow: UnitOfWork, item_id: str, progress: int, note: str | None,
                    expected_version: frozenset[int] | None, scope: str | None = None) -> PlanItem:
    """Report how far an item in progress is (a department head: one of its department's)."""
    item = find_item(uow.session, item_id, scope)
    require_version(item.version, expected_version)
    check_progress(ItemStatus(item.status))
    previous = item.progress
    item.progress, item.version = progress, item.version + 1
    record_item_change(uow, item, "progressed", {"progress": [previous, progress], "note": note})
    return item


# --- items fed by another service's record ---

WITHDRAWN = {
    (Source.AGREEMENT, False): "no longer among the agreement's activities",
    (Source.AGREEMENT, True): "the agreement was terminated",
    (Source.TRIP_REPORT, False): "no longer among the trip report's follow-ups",
    (Source.VISIT, False): "the visit is no longer confirmed",
    (Source.VISIT, True): "the visit was cancelled",
    (Source.AGREEMENT_RENEWAL, False): "the agreement was extended",
    (Source.AGREEMENT_RENEWAL, True): "the agreement was terminated",
    (Source.VISIT_REPORT, False): "no longer among the visit report's follow-ups",
    (Source.MEETING_FOLLOW_UP, True): "the follow-up was removed from its meeting",
    (Source.TRIP, False): "the trip is no longer approved",
    (Source.TRIP, True): "the trip was cancelled",
}


@dataclass(frozen=True)
class SourceChange:
    """What one event of another service says about its record's plan items."""

    source: Source
    source_id: str
    event_type: str
    occurred_at: datetime
    activities: list[SourcedActivity]
    ended: bool
    source_status: str | None  # a visit's, trip's or follow-up's status, which carries its item along
    link: str  # the source record's path in its service's API, which the items link back to (decision 0155)


def is_latest(uow: UnitOfWork, change: SourceChange) -> bool:
    """Record the event as the source's latest; False when a later one was applied already (it came late)."""
    known = uow.session.get(PlanSource, (change.source.value, change.source_id))
    if known is None:
        uow.session.add(PlanSource(source=change.source.value, source_id=change.source_id,
                                   last_event_at=change.occurred_at, last_event_type=change.event_type))
        return True
    if change.occurred_at < known.last_event_at:
        return False
    known.last_event_at, known.last_event_type = change.occurred_at, change.event_type
    return True


def follow_source(uow: UnitOfWork, change: SourceChange) -> None:
    """Bring the source's items in step with it: create, update, restore and withdraw (docs/decisions/0041)."""
    if not is_latest(uow, change):
        return
    items = {str(item.source_item_id): item for item in uow.session.scalars(select(PlanItem).where(
        PlanItem.source == change.source.value, PlanItem.source_id == change.source_id))}
    current = [CurrentItem(key, (item.activity, item.due_on, item.responsible_body, item.partner_id, item.starts_on),
                           ItemStatus(item.status), item.withdrawn_by_source) for key, item in items.items()]
    changes = reconcile(current, change.activities, change.ended)
    cause = {"from": change.event_type}
    for activity in changes.create:
        item = PlanItem(source=change.source.value, source_id=change.source_id,
                        source_item_id=activity.source_item_id, source_link=change.link,
                        status=ItemStatus.PLANNED.value, progress=0, version=1, created_by=uow.actor)
        set_details(item, activity)
        uow.session.add(item)
        record_item_change(uow, item, "created", cause)
    for item in items.values():
        item.source_link = change.link
    for activity in changes.update:
        set_details(items[activity.source_item_id], activity)
        bump(uow, items[activity.source_item_id], "updated", cause)
    for activity in changes.restore:
        restore(items[activity.source_item_id])
        bump(uow, items[activity.source_item_id], "restored", cause)
    for key in changes.withdraw:
        withdraw(items[key], WITHDRAWN[(change.source, change.ended)])
        bump(uow, items[key], "cancelled", cause)
    follow_progress(uow, change, cause)


def follow_progress(uow: UnitOfWork, change: SourceChange, cause: dict[str, Any]) -> None:
    """A visit that started starts its item, one completed completes it (docs/decisions/0044); a closed trip and
    a follow-up done complete theirs (0155)."""
    for item in uow.session.scalars(select(PlanItem).where(PlanItem.source == change.source.value,
                                                           PlanItem.source_id == change.source_id)):
        target = carried_by_source(change.source, ItemStatus(item.status), change.source_status)
        if target:
            item.status, item.progress = target.value, progress_after(target, item.progress)
            bump(uow, item, "started" if target == ItemStatus.IN_PROGRESS else "completed", cause)


def set_details(item: PlanItem, activity: SourcedActivity) -> None:
    item.activity, item.responsible_body, item.due_on = activity.activity, activity.responsible_body, activity.due_on
    item.partner_id, item.starts_on, item.year = activity.partner_id, activity.starts_on, activity.due_on.year


def restore(item: PlanItem) -> None:
    item.status, item.status_reason, item.progress = ItemStatus.PLANNED.value, None, 0
    item.withdrawn_by_source = False


def withdraw(item: PlanItem, reason: str) -> None:
    item.status, item.status_reason, item.withdrawn_by_source = ItemStatus.CANCELLED.value, reason, True


def bump(uow: UnitOfWork, item: PlanItem, action: str, cause: dict[str, Any]) -> None:
    item.version += 1
    record_item_change(uow, item, action, cause)
