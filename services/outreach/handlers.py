"""What outreach does when other services' events arrive: each partner's timeline, and the annual plan fed by
agreements (contracts), trip reports (trips) and visits (visits); and with partners and contacts sent by the city's
registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from services.outreach.api.common import record_change
from services.outreach.city_registry import HANDLERS as REGISTRY_HANDLERS
from services.outreach.domain.plan import (
    CurrentItem,
    ItemStatus,
    MalformedSource,
    Source,
    SourcedActivity,
    activities_of,
    carried_by_source,
    progress_after,
    reconcile,
    visit_activities,
)
from services.outreach.domain.timeline import fact_of
from services.outreach.store.analytics import feeds_analytics, log_and_fold
from services.outreach.store.models import PlanItem, PlanSource, TimelineEntry
from services.outreach.store.plan import item_event
from shared.bus.consumer import PoisonMessage, Subscription
from shared.bus.topology import EVENTS, INBOUND
from shared.uow import UnitOfWork


def append_to_timeline(work: UnitOfWork, event: dict[str, Any]) -> None:
    fact = fact_of(event)
    if fact is None:
        return
    work.session.add(TimelineEntry(
        event_id=event["id"], partner_id=fact.partner_id, event_type=event["type"], source=fact.source,
        subject=str(event.get("subject") or "")[:200], record=fact.record, action=fact.action, title=fact.title,
        country=fact.country, occurred_at=fact.occurred_at, details=fact.details))


# --- the plan, fed by other services' records (docs/decisions/0041, 0044) ---

@dataclass(frozen=True)
class Feed:
    """How one event type describes its source's plan items: which source, its activities, whether it ended."""

    source: Source
    activities: Callable[[dict], list[SourcedActivity]]
    ended: Callable[[dict], bool] = lambda data: False


def listed(list_field: str) -> Callable[[dict], list[SourcedActivity]]:
    def read(data: dict) -> list[SourcedActivity]:
        starts_on = date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None
        return activities_of(data, list_field, starts_on)
    return read


VISIT_ACTIONS = ("created", "updated", "proposed", "invited", "confirmed", "started", "completed", "cancelled")
PLAN_FEEDS = {
    "chancery.contracts.agreement.signed.v1": Feed(Source.AGREEMENT, listed("activities")),
    "chancery.contracts.agreement.amended.v1": Feed(Source.AGREEMENT, listed("activities")),
    "chancery.contracts.agreement.terminated.v1": Feed(Source.AGREEMENT, listed("activities"), lambda data: True),
    "chancery.trips.report.submitted.v1": Feed(Source.TRIP_REPORT, listed("follow_ups")),
    **{f"chancery.visits.visit.{action}.v1": Feed(Source.VISIT, visit_activities,
                                                   lambda data: data.get("status") == "cancelled")
       for action in VISIT_ACTIONS},
}
WITHDRAWN = {
    (Source.AGREEMENT, False): "no longer among the agreement's activities",
    (Source.AGREEMENT, True): "the agreement was terminated",
    (Source.TRIP_REPORT, False): "no longer among the trip report's follow-ups",
    (Source.VISIT, False): "the visit is no longer confirmed",
    (Source.VISIT, True): "the visit was cancelled",
}


def is_latest(work: UnitOfWork, source: Source, source_id: str, event: dict[str, Any]) -> bool:
    """Record the event as the source's latest; False when a later one was applied already (it came late)."""
    occurred = datetime.fromisoformat(event["time"])
    known = work.session.get(PlanSource, (source.value, source_id))
    if known is None:
        work.session.add(PlanSource(source=source.value, source_id=source_id, last_event_at=occurred,
                                    last_event_type=event["type"]))
        return True
    if occurred < known.last_event_at:
        return False
    known.last_event_at, known.last_event_type = occurred, event["type"]
    return True


def feed_plan(work: UnitOfWork, event: dict[str, Any]) -> None:
    feed = PLAN_FEEDS[event["type"]]
    data = event.get("data")
    if not isinstance(data, dict) or not data.get("id") or not event.get("time"):
        raise PoisonMessage(f"{event['type']} without data.id or time")
    source, source_id, ended = feed.source, str(data["id"]), feed.ended(data)
    try:
        activities = feed.activities(data)
    except (MalformedSource, TypeError, ValueError) as error:
        raise PoisonMessage(f"{event['type']}: {error}") from error
    if not is_latest(work, source, source_id, event):
        return
    items = {item.source_item_id: item for item in work.session.scalars(
        select(PlanItem).where(PlanItem.source == source.value, PlanItem.source_id == source_id))}
    current = [CurrentItem(key, (item.activity, item.due_on, item.responsible_body, item.partner_id, item.starts_on),
                           ItemStatus(item.status), item.withdrawn_by_source) for key, item in items.items()]
    changes = reconcile(current, activities, ended)
    for activity in changes.create:
        item = PlanItem(source=source.value, source_id=source_id, source_item_id=activity.source_item_id,
                        status=ItemStatus.PLANNED.value, progress=0, version=1, created_by=work.actor)
        set_details(item, activity)
        work.session.add(item)
        record_change(work, "plan-item", "created", item, item_event, {"from": event["type"]})
    for activity in changes.update:
        set_details(items[activity.source_item_id], activity)
        bump(work, items[activity.source_item_id], "updated", event)
    for activity in changes.restore:
        restore(items[activity.source_item_id])
        bump(work, items[activity.source_item_id], "restored", event)
    for key in changes.withdraw:
        withdraw(items[key], WITHDRAWN[(source, ended)])
        bump(work, items[key], "cancelled", event)
    if source == Source.VISIT:
        follow_visit(work, source_id, data.get("status"), event)


def follow_visit(work: UnitOfWork, visit_id: str, visit_status: str | None, event: dict[str, Any]) -> None:
    """A visit that started starts its item; one that was completed completes it (docs/decisions/0044)."""
    item = work.session.scalar(select(PlanItem).where(PlanItem.source == Source.VISIT.value,
                                                      PlanItem.source_id == visit_id))
    target = item and carried_by_source(ItemStatus(item.status), visit_status)
    if not target:
        return
    item.status, item.progress = target.value, progress_after(target, item.progress)
    bump(work, item, "started" if target == ItemStatus.IN_PROGRESS else "completed", event)


def set_details(item: PlanItem, activity: SourcedActivity) -> None:
    item.activity, item.responsible_body, item.due_on = activity.activity, activity.responsible_body, activity.due_on
    item.partner_id, item.starts_on, item.year = activity.partner_id, activity.starts_on, activity.due_on.year


def restore(item: PlanItem) -> None:
    item.status, item.status_reason, item.progress = ItemStatus.PLANNED.value, None, 0
    item.withdrawn_by_source = False


def withdraw(item: PlanItem, reason: str) -> None:
    item.status, item.status_reason, item.withdrawn_by_source = ItemStatus.CANCELLED.value, reason, True


def bump(work: UnitOfWork, item: PlanItem, action: str, event: dict[str, Any]) -> None:
    item.version += 1
    record_change(work, "plan-item", action, item, item_event, {"from": event["type"]})


def on_event(work: UnitOfWork, event: dict[str, Any]) -> None:
    append_to_timeline(work, event)
    if feeds_analytics(event["type"]) and isinstance(event.get("data"), dict) and event.get("time"):
        log_and_fold(work.session, event["id"], event["type"], datetime.fromisoformat(event["time"]), event["data"])
    if event["type"] in PLAN_FEEDS:
        feed_plan(work, event)


SUBSCRIPTIONS = [
    *(Subscription(EVENTS, f"chancery.{service}.#", on_event) for service in ("visits", "trips", "contracts")),
    # partners and contacts from the city's registry (services/outreach/city_registry.py)
    *(Subscription(INBOUND, event_type, handler) for event_type, handler in REGISTRY_HANDLERS.items()),
]
