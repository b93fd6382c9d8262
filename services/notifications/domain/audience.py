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
LANGUAGES = ("en", "ru", "bg")


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


_ACTIONS = {
    "created": {"en": "registered", "ru": "зарегистрирован", "bg": "регистриран"},
    "updated": {"en": "changed", "ru": "изменён", "bg": "променен"},
    "proposed": {"en": "proposed", "ru": "предложен", "bg": "предложен"},
    "invited": {"en": "invited", "ru": "приглашён", "bg": "поканен"},
    "confirmed": {"en": "confirmed", "ru": "подтверждён", "bg": "потвърден"},
    "started": {"en": "started", "ru": "начат", "bg": "започнал"},
    "completed": {"en": "completed", "ru": "завершён", "bg": "завършен"},
    "cancelled": {"en": "cancelled", "ru": "отменён", "bg": "отменен"},
}
_RECORDS = {"visit": {"en": "Visit", "ru": "Визит", "bg": "Посещение"}}


def title(event_type: str, data: dict, language: str) -> str:
    """A one-line title in the subscriber's language (full templates arrive with the templates issue)."""
    _, _, record, action, _ = event_type.split(".")
    record_word = _RECORDS.get(record, {}).get(language, record)
    action_word = _ACTIONS.get(action, {}).get(language, action)
    name = data.get("delegation_name") or data.get("name") or data.get("title") or ""
    return f"{record_word} {action_word}: {name}".rstrip(": ")
