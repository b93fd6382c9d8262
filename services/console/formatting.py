"""Template filters: dates and times the person's way (Babel), and the services' codes in their language."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask
from flask_babel import format_currency, format_date, format_decimal, format_time, get_locale, lazy_gettext

from services.console.forms import FormState

STATUS_NAMES = {
    "draft": lazy_gettext("draft"), "proposed": lazy_gettext("proposed"), "invited": lazy_gettext("invited"),
    "confirmed": lazy_gettext("confirmed"), "in_progress": lazy_gettext("in progress"),
    "completed": lazy_gettext("completed"), "cancelled": lazy_gettext("cancelled"),
    "received": lazy_gettext("received"), "under_review": lazy_gettext("under review"),
    "assigned": lazy_gettext("assigned"), "delegated": lazy_gettext("delegated"),
    "accepted": lazy_gettext("accepted"), "declined": lazy_gettext("declined"),
    "in_city": lazy_gettext("in the city"), "abroad": lazy_gettext("abroad"),
    "in_review": lazy_gettext("in review"), "approved": lazy_gettext("approved"), "issued": lazy_gettext("issued"),
    "given": lazy_gettext("given"), "not_required": lazy_gettext("no declaration needed"),
    "pending": lazy_gettext("to be declared"), "declared": lazy_gettext("declared"), "booked": lazy_gettext("booked"),
    "requested": lazy_gettext("requested"), "consecutive": lazy_gettext("consecutive"),
    "simultaneous": lazy_gettext("simultaneous"), "planned": lazy_gettext("planned"), "held": lazy_gettext("held"),
    "scheduled": lazy_gettext("scheduled"),
    "submitted": lazy_gettext("submitted"), "returned": lazy_gettext("sent back"), "closed": lazy_gettext("closed"),
    "tendered": lazy_gettext("tendered"), "planning": lazy_gettext("in preparation"), "active": lazy_gettext("active"),
    "complete": lazy_gettext("complete"), "unsuccessful": lazy_gettext("unsuccessful"),
    "terminated": lazy_gettext("terminated"), "signed": lazy_gettext("signed"),
    "open": lazy_gettext("open"), "fulfilled": lazy_gettext("fulfilled"), "breached": lazy_gettext("breached"),
    "met": lazy_gettext("met"), "notMet": lazy_gettext("not met"), "partiallyMet": lazy_gettext("partly met"),
    "running": lazy_gettext("running"), "ended": lazy_gettext("ended, result not posted"),
    "finished": lazy_gettext("finished"), "withdrawn": lazy_gettext("withdrawn"), "valid": lazy_gettext("valid"),
    "published": lazy_gettext("published"), "done": lazy_gettext("completed"),
    "rejected": lazy_gettext("rejected"), "superseded": lazy_gettext("superseded"),
    "cleared": lazy_gettext("cleared with the foreign ministry"),
}
# Awards and contracts are pending through the standstill and until both sides sign, not "to be declared".
PROCUREMENT_STATUS_NAMES = {**STATUS_NAMES, "pending": lazy_gettext("pending")}
ACTION_NAMES = {
    "propose": lazy_gettext("Propose"), "invite": lazy_gettext("Invite"), "confirm": lazy_gettext("Confirm"),
    "start": lazy_gettext("Start"), "complete": lazy_gettext("Complete"), "cancel": lazy_gettext("Cancel"),
    "submit": lazy_gettext("Submit for approval"), "approve": lazy_gettext("Approve"), "issue": lazy_gettext("Issue"),
    "return": lazy_gettext("Send back"),
    "send-back": lazy_gettext("Send back"), "recall": lazy_gettext("Recall"), "close": lazy_gettext("Close"),
    "reopen": lazy_gettext("Reopen"), "publish": lazy_gettext("Publish"), "fail": lazy_gettext("Declare unsuccessful"),
    "activate": lazy_gettext("Confirm the award"), "terminate": lazy_gettext("Terminate"),
    "breach": lazy_gettext("Record a breach"),
    "withdraw": lazy_gettext("Withdraw"),
    "accept": lazy_gettext("Accept"), "resubmit": lazy_gettext("Submit again"), "reject": lazy_gettext("Reject"),
    "restore": lazy_gettext("Restore"),
}
ROLE_NAMES = {"head": lazy_gettext("head"), "member": lazy_gettext("member"),
              "accompanying": lazy_gettext("accompanying"), "security": lazy_gettext("security")}
STAFF_ROLE_NAMES = {
    "protocol": lazy_gettext("protocol staff"), "travel": lazy_gettext("travel staff"),
    "procurement": lazy_gettext("procurement staff"), "outreach": lazy_gettext("outreach staff"),
    "mayor-office": lazy_gettext("the mayor's office"), "department-head": lazy_gettext("head of a department"),
    "notifications-admin": lazy_gettext("notifications administrator"), "operator": lazy_gettext("operator"),
    "auditor": lazy_gettext("auditor"), "admin": lazy_gettext("administrator"),
}
TRAVELLER_CATEGORIES = {"staff": lazy_gettext("staff member"), "deputy_mayor": lazy_gettext("deputy mayor"),
                        "mayor": lazy_gettext("mayor")}
TRAVEL_MODES = {"air": lazy_gettext("air"), "rail": lazy_gettext("rail"), "road": lazy_gettext("road"),
                "sea": lazy_gettext("sea")}
COST_CATEGORIES = {
    "per_diem": lazy_gettext("per diem"), "accommodation": lazy_gettext("accommodation"),
    "transport": lazy_gettext("transport"), "visa": lazy_gettext("visa"), "insurance": lazy_gettext("insurance"),
    "registration": lazy_gettext("registration fee"), "hospitality": lazy_gettext("hospitality"),
    "other": lazy_gettext("other"),
}
COST_KINDS = {"expected": lazy_gettext("expected"), "actual": lazy_gettext("actual")}
DOCUMENT_KINDS = {"passport": lazy_gettext("passport"), "visa": lazy_gettext("visa"),
                  "insurance": lazy_gettext("insurance"), "travel_order": lazy_gettext("travel order")}
DOCUMENT_STATUSES = {"missing": lazy_gettext("missing"), "requested": lazy_gettext("requested"),
                     "obtained": lazy_gettext("obtained"), "not_required": lazy_gettext("not required")}
SIDE_NAMES = {"host": lazy_gettext("hosts"), "guest": lazy_gettext("guests")}
# The kinds of record a plan item comes from (outreach's `origin.kind`, decision 0155).
ORIGIN_NAMES = {"visit": lazy_gettext("visit"), "visit_report": lazy_gettext("visit report"),
                "meeting_follow_up": lazy_gettext("meeting's follow-up"), "trip": lazy_gettext("trip"),
                "trip_report": lazy_gettext("trip report"), "agreement": lazy_gettext("agreement"),
                "agreement_renewal": lazy_gettext("agreement to renew")}
# The template filters that name a service's code in the person's language; a code a map lacks is shown as it is
# (a test walking every page fails on one: docs/console.md, "How to add a page").
LABELS = {"status_name": STATUS_NAMES, "procurement_status": PROCUREMENT_STATUS_NAMES, "action_name": ACTION_NAMES,
          "role_name": ROLE_NAMES, "staff_role_name": STAFF_ROLE_NAMES, "side_name": SIDE_NAMES,
          "cost_category": COST_CATEGORIES, "cost_kind": COST_KINDS, "document_kind": DOCUMENT_KINDS,
          "document_status": DOCUMENT_STATUSES, "travel_mode": TRAVEL_MODES,
          "traveller_category": TRAVELLER_CATEGORIES, "origin_name": ORIGIN_NAMES}


def _parse(value) -> datetime | date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    text = str(value).replace("Z", "+00:00")
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def date_short(value) -> str:
    parsed = _parse(value)
    if isinstance(parsed, datetime):  # converted to the person's zone first: not cached
        return format_date(parsed, "medium")
    return _medium_date(parsed, str(get_locale())) if parsed else ""


@functools.lru_cache(maxsize=4096)
def _medium_date(day: date, locale: str) -> str:
    """A list of 25 trips shows 50 dates: Babel's formatting was a tenth of the page's CPU (docs/performance.md)."""
    return babel_dates.format_date(day, "medium", locale=locale)


def datetime_short(value) -> str:
    """In the time it carries (a programme item's venue time), not converted to the server's zone."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return date_short(value)
    return f"{format_date(parsed.date(), 'medium')} {format_time(parsed.time(), 'short')}"


def weekday_name(day: date) -> str:
    return format_date(day, "EEE")


def time_short(value) -> str:
    parsed = _parse(value)
    return format_time(parsed.time(), "short") if isinstance(parsed, datetime) else ""


def in_zone(value, zone: str) -> str:
    """A stored instant (UTC) as the wall-clock time of the venue's zone."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return date_short(value)
    local = parsed.astimezone(ZoneInfo(zone))
    return f"{format_date(local.date(), 'medium')} {format_time(local.time(), 'short')}"


def local_input(value, zone: str) -> str:
    """A stored instant as a datetime-local input's value in the venue's zone."""
    parsed = _parse(value)
    return parsed.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M") if isinstance(parsed, datetime) else ""


def money(amount, currency: str | None) -> str:
    return format_currency(Decimal(str(amount)), currency) if currency else format_decimal(Decimal(str(amount)))


def install_formatting(app: Flask) -> None:
    app.add_template_filter(date_short)
    app.add_template_filter(datetime_short)
    app.add_template_filter(time_short)
    for name, names in LABELS.items():
        app.add_template_filter(lambda code, names=names: names.get(code, code), name)
    app.add_template_filter(lambda one: f"{one['due_on']}; {one['responsible_body']}; {one['title']}",
                            "follow_up_line")
    app.add_template_filter(
        lambda one: f"{one['due_on']}; {one['owner']}; {one['department'] or ''}; {one['title']}",
        "visit_follow_up_line")
    app.add_template_filter(lambda first, second: list(zip(first, second, strict=False)), "zip_with")
    for extra in (in_zone, local_input, money, weekday_name):
        app.add_template_filter(extra)
    app.jinja_env.globals.update(current_language=lambda: str(get_locale() or "en"), blank=FormState(),
                                 today_iso=lambda: date.today().isoformat())
