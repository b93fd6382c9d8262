"""Need-to-know: which roles may hear about which service's events, and what a notification says."""

from __future__ import annotations

from shared.kit.departments import same_department

# The departments whose staff may hear about each service's records.
AUDIENCE_OF_SERVICE = {
    "visits": {"protocol", "mayor-office"},
    "trips": {"travel", "mayor-office", "department-head"},
    "contracts": {"procurement"},
    "outreach": {"outreach", "mayor-office"},
    "notifications": {"notifications-admin"},
}
# Records some more roles hear about beyond their service's departments (issue 18: agreements reach outreach
# and the mayor's office, whose work they are).
AUDIENCE_OF_RECORD = {("contracts", "agreement"): {"outreach", "mayor-office"}}
# Roles that hear a service's events only about their own department's records: the event's data names the
# department (`department`, or `awaiting_department` for the step awaited), compared as trips compares it
# (decision 0080); an event naming no department reaches none of them.
DEPARTMENT_NARROWED = {"trips": frozenset({"department-head"})}
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


def audience_of(pattern: str, service: str) -> set[str]:
    """The roles that may hear events matching `pattern` of `service`: the service's, and a record's own."""
    parts = pattern.split(".")
    record = parts[2] if len(parts) >= 3 else ""
    return AUDIENCE_OF_SERVICE[service] | AUDIENCE_OF_RECORD.get((service, record), set())


def check_pattern_allowed(pattern: str, roles: frozenset[str]) -> None:
    """Refuse a subscription to events outside the subscriber's departments (admins may hear everything)."""
    if "admin" in roles:
        return
    service = service_of_pattern(pattern)
    if service is None:
        raise PatternNotAllowed("subscribe to one service's events, e.g. chancery.visits.#")
    if not roles & audience_of(pattern, service):
        raise PatternNotAllowed(f"your roles may not hear about {service}")


def is_confidential(data: dict) -> bool:
    return data.get("confidential") is True or data.get("embargoed") is True


def may_receive(event_type: str, roles: frozenset[str], confidential: bool = False, data: dict | None = None,
                department: str | None = None, person: str | None = None) -> bool:
    """Checked again at delivery: roles change after a subscription is made. A role narrowed to its department
    (a department head) hears only about the records of `department`, its person's department. An event about a
    withheld record reaches the cleared roles and whoever its `need_to_know` names (decision 0190)."""
    if confidential:
        named = (data or {}).get("need_to_know") or {}
        return bool(roles & (CLEARED_ROLES | set(named.get("roles", ())))) or person in named.get("people", ())
    service = service_of_pattern(event_type)
    if "admin" in roles or service is None:
        return "admin" in roles
    heard_as = roles & audience_of(event_type, service)
    if heard_as - DEPARTMENT_NARROWED.get(service, frozenset()):
        return True
    return bool(heard_as) and of_department(data or {}, department)


def of_department(data: dict, department: str | None) -> bool:
    return any(same_department(data.get(name), department) for name in ("department", "awaiting_department"))


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


def addressed_role(event: dict) -> str | None:
    """A decision escalated is addressed to everyone holding the role it escalates to (decision 0125), whatever
    their subscriptions and the deciding service's departments."""
    if event["type"].startswith("chancery.notifications.decision.escalated."):
        return (event.get("data") or {}).get("escalated_to")
    return None
