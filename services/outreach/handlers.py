"""What outreach does when other services' events arrive: each partner's timeline (and, with it, the plan)."""

from __future__ import annotations

from typing import Any

from services.outreach.domain.timeline import fact_of
from services.outreach.store.models import TimelineEntry
from shared.bus.consumer import Subscription
from shared.bus.topology import EVENTS
from shared.uow import UnitOfWork


def append_to_timeline(work: UnitOfWork, event: dict[str, Any]) -> None:
    fact = fact_of(event)
    if fact is None:
        return
    work.session.add(TimelineEntry(
        event_id=event["id"], partner_id=fact.partner_id, event_type=event["type"], source=fact.source,
        subject=str(event.get("subject") or "")[:200], record=fact.record, action=fact.action, title=fact.title,
        country=fact.country, occurred_at=fact.occurred_at, details=fact.details))


def on_event(work: UnitOfWork, event: dict[str, Any]) -> None:
    append_to_timeline(work, event)


SUBSCRIPTIONS = [Subscription(EVENTS, f"chancery.{service}.#", on_event)
                 for service in ("visits", "trips", "contracts")]
