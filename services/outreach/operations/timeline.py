"""Each partner's timeline: what the other services' events say happened with it."""

from __future__ import annotations

from typing import Any

from services.outreach.domain.timeline import fact_of
from services.outreach.store.models import TimelineEntry
from shared.uow import UnitOfWork


def append_to_timeline(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Keep the event on its partner's timeline, if it is about one."""
    fact = fact_of(event)
    if fact is None:
        return
    uow.session.add(TimelineEntry(
        event_id=event["id"], partner_id=fact.partner_id, event_type=event["type"], source=fact.source,
        subject=str(event.get("subject") or "")[:200], record=fact.record, action=fact.action, title=fact.title,
        country=fact.country, occurred_at=fact.occurred_at, details=fact.details))
