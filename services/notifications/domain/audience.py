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


def may_receive(event_type: str, roles: frozenset[str]) -> bool:
    """Checked again at delivery: roles change after a subscription is made."""
    service = service_of_pattern(event_type)
    return "admin" in roles or (service is not None and bool(roles & AUDIENCE_OF_SERVICE[service]))
