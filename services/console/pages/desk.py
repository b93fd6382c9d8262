"""My desk: what waits for the signed-in person across the services, this week's programme and the inbox. Each
waiting list shows its first few and says how many more there are, linking to the whole list (`/waiting/<queue>`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext

from services.console.export import Column, Listing, date_column, export, status_column, text_column
from services.console.pages.invitations import INVITATIONS
from services.console.pages.visits import VISITS
from services.console.web import call, has_role, page_asked, person, read_all, refuse_expired, signed_in

desk_pages = Blueprint("desk", __name__)
ON_THE_DESK = 10
DUE_WITHIN = timedelta(days=7)
READERS_OF_VISITS = ("protocol", "mayor-office")
VISA_LETTER_COLUMNS = (text_column("member_name", lazy_gettext("Name")),
                       text_column("consulate", lazy_gettext("Consulate")),
                       status_column("status", lazy_gettext("Status")))
CHECKLIST_COLUMNS = (text_column("title", lazy_gettext("Title")), text_column("owner", lazy_gettext("Owner")),
                     date_column("due_on", lazy_gettext("Due")))
FOLLOW_UP_COLUMNS = (text_column("title", lazy_gettext("Title")), text_column("meeting_title", lazy_gettext("Meeting")),
                     text_column("responsible_body", lazy_gettext("Responsible body")),
                     date_column("due_on", lazy_gettext("Due")))
TRIP_COLUMNS = (text_column("title", lazy_gettext("Title")), text_column("department", lazy_gettext("Department")),
                date_column("starts_on", lazy_gettext("Starts")), date_column("ends_on", lazy_gettext("Ends")))


@dataclass(frozen=True)
class Queue:
    """One list of what waits: who sees it and the API call that fills it (given today and the person)."""

    title: str
    what: str  # named when its service does not answer
    service: str
    path: str
    params: Callable[[date, dict], dict]
    shown_to: Callable[[dict], bool]
    columns: tuple[Column, ...] = ()  # what its export holds; a queue without columns offers no export


def _awaiting_trips(who: dict) -> dict:
    if has_role("mayor-office"):
        return {"awaiting": "mayor-office"}
    return {"awaiting": "department-head", "awaiting_department": who["department"]}


def _reads_visits(who: dict) -> bool:
    return has_role(*READERS_OF_VISITS)


def _decides_trips(who: dict) -> bool:
    return has_role("mayor-office") or (has_role("department-head") and bool(who["department"]))


def _due(today: date, who: dict) -> dict:
    return {"done": "false", "due_until": (today + DUE_WITHIN).isoformat()}


QUEUES = {
    "invitations-to-triage": Queue(
        lazy_gettext("Invitations to triage"), lazy_gettext("Invitations"), "visits", "/invitations",
        lambda today, who: {"status": "received"}, _reads_visits, INVITATIONS.columns),
    "invitations-to-answer": Queue(
        lazy_gettext("Invitations to answer"), lazy_gettext("Invitations"), "visits", "/invitations",
        lambda today, who: {"status": "assigned"}, _reads_visits, INVITATIONS.columns),
    "visits-to-confirm": Queue(
        lazy_gettext("Visits to confirm"), lazy_gettext("Visits"), "visits", "/visits",
        lambda today, who: {"status": "invited"}, lambda who: has_role("protocol"),
        VISITS.columns),
    "visa-letters-to-approve": Queue(
        lazy_gettext("Visa letters to approve"), lazy_gettext("Visa letters"), "visits", "/visa-letters",
        lambda today, who: {"status": "in_review"}, lambda who: has_role("mayor-office"),
        VISA_LETTER_COLUMNS),
    "visa-letters-to-issue": Queue(
        lazy_gettext("Visa letters to issue"), lazy_gettext("Visa letters"), "visits", "/visa-letters",
        lambda today, who: {"status": "approved"}, lambda who: has_role("protocol"),
        VISA_LETTER_COLUMNS),
    "checklist-due": Queue(
        lazy_gettext("Checklist tasks due this week"), lazy_gettext("The checklist"), "visits", "/checklist-tasks",
        _due, _reads_visits, CHECKLIST_COLUMNS),
    "follow-ups-due": Queue(
        lazy_gettext("Follow-ups due this week"), lazy_gettext("Follow-ups"), "visits", "/follow-ups",
        _due, _reads_visits, FOLLOW_UP_COLUMNS),
    "trips-to-decide": Queue(
        lazy_gettext("Trips awaiting your decision"), lazy_gettext("Trips"), "trips", "/trips",
        lambda today, who: _awaiting_trips(who), _decides_trips, TRIP_COLUMNS),
}


def _call(queue: Queue, today: date, page_size: int, paging: dict[str, str] | None = None) -> tuple:
    return (queue.service, queue.path, {**queue.params(today, person()), **(paging or {}), "page_size": page_size})


@desk_pages.get("/")
@signed_in
def desk():
    today = date.today()
    queues = {name: queue for name, queue in QUEUES.items() if queue.shown_to(person())}
    answers = read_all(inbox=("notifications", "/inbox", {"unread": "true", "page_size": ON_THE_DESK}),
                       week=("visits", "/visits", {**this_week(today), "sort": "starts_on", "page_size": ON_THE_DESK}),
                       **{name: _call(queue, today, ON_THE_DESK) for name, queue in queues.items()})
    return render_template("desk.html", answers=answers, queues=queues, week=this_week(today), today=today)


def this_week(today: date) -> dict[str, str]:
    """The visits list's filters for the visits still to come or under way this week (until Sunday)."""
    sunday = today + timedelta(days=6 - today.weekday())
    return {"ends_from": today.isoformat(), "starts_until": sunday.isoformat()}


@desk_pages.get("/waiting/<name>")
@signed_in
def waiting(name: str):
    """One waiting list whole, a page at a time."""
    queue = QUEUES.get(name)
    if queue is None or not queue.shown_to(person()):
        abort(404)
    service, path, params = _call(queue, date.today(), 50, page_asked())
    answer = refuse_expired(call("GET", service, path, params=params))
    return render_template("waiting.html", name=name, queue=queue, answer=answer)


@desk_pages.get("/waiting/<name>/export/<file_format>")
@signed_in
def export_waiting(name: str, file_format: str):
    """One waiting list whole, every page of it, as a file."""
    queue = QUEUES.get(name)
    if queue is None or not queue.columns or not queue.shown_to(person()):
        abort(404)
    return export(Listing(name, queue.service, queue.path, queue.columns), file_format,
                  queue.params(date.today(), person()))
