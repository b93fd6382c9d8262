"""The analytics read model: folding the other services' events as they come, and rebuilding it from its log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.outreach.events import contents
from services.outreach.store.analytics import feeds_analytics, log_and_fold, rebuild
from shared.uow import UnitOfWork


def fold_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Log and fold an event that feeds the analytics; others, and ones without data or time, are not kept."""
    if feeds_analytics(event["type"]) and isinstance(event.get("data"), dict) and event.get("time"):
        log_and_fold(uow.session, event["id"], event["type"], datetime.fromisoformat(event["time"]), event["data"])


def rebuild_analytics(uow: UnitOfWork) -> dict[str, int]:
    """Throw the read model away and fold every logged event again; what was folded."""
    events, facts = rebuild(uow.session)
    data = contents.analytics(events, facts)
    uow.emit("chancery.outreach.analytics.rebuilt.v1", "analytics", data)
    uow.audit("analytics.rebuilt", "analytics", "analytics", data)
    return data
