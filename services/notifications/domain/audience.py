"""Need-to-know: which roles may hear about which service's events, and what a notification says."""

from __future__ import annotations

# The departments whose staff may hear about each service's records.
AUDIENCE_OF_SERVICE = {
    "visits": {"protocol", "mayor-office"},
    "trips": {"travel", "mayor-office"},
    "contracts": {"procurement"},
    "outreach": {"outreach", "mayor-office"},
    "notifications": {"notifications-admin"},
}
# Confidential (embargoed) events reach only these roles, whatever the department (decision 0051).
CLEARED_ROLES = frozenset({"mayor-office", "admin"})
# A record one can watch, and the services whose events concern it.
WATCHABLE_RECORDS = {"visit": "visits", "trip": "trips", "contract": "contracts", "agreement": "contracts"}


class PatternNotAllowed(ValueError):
    pass


def service_of_pattern(pattern: str) -> str | None:
    """The service a pattern like `chancery.visits.#` is about, or None when it spans services."""
    parts = pattern.split(".")
    if len(parts) >= 2 and parts[0] == "chancery" and parts[1] in AUDIENCE_OF_SERVICE:
        return parts[1]
    return None


def check_pattern_allowed(pattern: str, roles: frozenset[str]) -> None:
    """Refuse a subscription to events outside the subscriber's departments (admins may hear everything)."""
    if "admin" in roles:
        return
    service = service_of_pattern(pattern)
    if service is None:
        raise PatternNotAllowed("subscribe to one service's events, e.g. chancery.visits.#")
    if not roles & AUDIENCE_OF_SERVICE[service]:
        raise PatternNotAllowed(f"your roles may not hear about {service}")


def is_confidential(data: dict) -> bool:
    return data.get("confidential") is True or data.get("embargoed") is True


def may_receive(event_type: str, roles: frozenset[str], confidential: bool = False) -> bool:
    """Checked again at delivery: roles change after a subscription is made."""
    if confidential:
        return bool(roles & CLEARED_ROLES)
    service = service_of_pattern(event_type)
    return "admin" in roles or (service is not None and bool(roles & AUDIENCE_OF_SERVICE[service]))


def record_pattern(record_type: str) -> str:
    """Watching a visit means hearing the visits service's events about it."""
    return f"chancery.{WATCHABLE_RECORDS[record_type]}.#"


def concerns(event: dict, record_type: str, record_id: str) -> bool:
    """An event concerns a record when the record is its subject, or its data points at the record
    (`visit_id` on a delegation member's event, `trip_id` on an itinerary leg's)."""
    data = event.get("data") or {}
    return event.get("subject") == record_id or data.get(f"{record_type}_id") == record_id


def owner_of(event: dict) -> str | None:
    """Events about someone's own registration (a webhook switched off) reach that person, whatever their
    subscriptions and departments."""
    if event["type"].startswith("chancery.notifications.webhook."):
        return (event.get("data") or {}).get("owner")
    return None
