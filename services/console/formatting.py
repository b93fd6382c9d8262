"""Template filters: dates and times the person's way (Babel), and the services' codes in their language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_time, get_locale, lazy_gettext

from services.console.forms import FormState

STATUS_NAMES = {
    "draft": lazy_gettext("draft"), "proposed": lazy_gettext("proposed"), "invited": lazy_gettext("invited"),
    "confirmed": lazy_gettext("confirmed"), "in_progress": lazy_gettext("in progress"),
    "completed": lazy_gettext("completed"), "cancelled": lazy_gettext("cancelled"),
    "received": lazy_gettext("received"), "under_review": lazy_gettext("under review"),
    "assigned": lazy_gettext("assigned"), "delegated": lazy_gettext("delegated"),
    "accepted": lazy_gettext("accepted"), "declined": lazy_gettext("declined"),
    "in_city": lazy_gettext("in the city"), "abroad": lazy_gettext("abroad"),
}
ACTION_NAMES = {
    "propose": lazy_gettext("Propose"), "invite": lazy_gettext("Invite"), "confirm": lazy_gettext("Confirm"),
    "start": lazy_gettext("Start"), "complete": lazy_gettext("Complete"), "cancel": lazy_gettext("Cancel"),
}
ROLE_NAMES = {"head": lazy_gettext("head"), "member": lazy_gettext("member"),
              "accompanying": lazy_gettext("accompanying"), "security": lazy_gettext("security")}


def _parse(value) -> datetime | date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    text = str(value).replace("Z", "+00:00")
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def date_short(value) -> str:
    parsed = _parse(value)
    return format_date(parsed, "medium") if parsed else ""


def datetime_short(value) -> str:
    """In the time it carries (a programme item's venue time), not converted to the server's zone."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return date_short(value)
    return f"{format_date(parsed.date(), 'medium')} {format_time(parsed.time(), 'short')}"


def time_short(value) -> str:
    parsed = _parse(value)
    return format_time(parsed.time(), "short") if isinstance(parsed, datetime) else ""


def install_formatting(app: Flask) -> None:
    app.add_template_filter(date_short)
    app.add_template_filter(datetime_short)
    app.add_template_filter(time_short)
    app.add_template_filter(lambda code: STATUS_NAMES.get(code, code), "status_name")
    app.add_template_filter(lambda code: ACTION_NAMES.get(code, code), "action_name")
    app.add_template_filter(lambda code: ROLE_NAMES.get(code, code), "role_name")
    app.jinja_env.globals.update(current_language=lambda: str(get_locale() or "en"), blank=FormState())
