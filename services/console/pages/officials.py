"""An official's calendar: the visits they host, their agenda items, meetings, functions and trips in one week or
month, and links for their calendar client to the services' feeds of that official."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext

from services.console.calendar import Span, on_day, span_of
from services.console.upstream import Answer
from services.console.web import call, read_all, refuse_expired, signed_in

official_pages = Blueprint("officials", __name__)
KINDS = {"visit": lazy_gettext("Visit"), "agenda": lazy_gettext("Programme"), "meeting": lazy_gettext("Meeting"),
         "function": lazy_gettext("Function"), "trip": lazy_gettext("Trip")}
FEEDS = (("visits", "visits.ics"), ("trips", "trips.ics"))
MOST = {"page_size": 200}


def official_names() -> list[str]:
    """The officials the services know, by the names they go by today (issue 18 gives them stable ids: this
    function and `official_filters` are where the console switches)."""
    answers = read_all(visits=("visits", "/visits", {**MOST, "sort": "-starts_on"}),
                       meetings=("visits", "/meetings", {**MOST, "sort": "-starts_at"}),
                       functions=("visits", "/functions", {**MOST, "sort": "-starts_at"}),
                       trips=("trips", "/trips", MOST))
    names = {visit["host_official"] for visit in answers["visits"].items}
    names |= {meeting["official"] for meeting in answers["meetings"].items}
    names |= {name for function in answers["functions"].items for name in function["officials"]}
    names |= {traveller["full_name"] for trip in answers["trips"].items for traveller in trip["travellers"]
              if traveller["category"] != "staff"}
    return sorted(names, key=str.casefold)


def official_filters(official: str) -> dict[str, dict[str, str]]:
    """How each list names one official's records."""
    return {"visits": {"host_official": official}, "agenda": {"official": official},
            "meetings": {"official": official}, "functions": {"official": official}, "trips": {"traveller": official}}


def _reads(official: str, span: Span) -> dict[str, Answer]:
    first, last = span.weeks[0][0], span.weeks[-1][-1]
    timed = {**MOST, "on_or_after": (first - timedelta(days=1)).isoformat(),  # UTC days around the venues' days
             "before": (last + timedelta(days=2)).isoformat()}
    named = official_filters(official)
    return read_all(visits=("visits", "/visits", {**MOST, **span.overlapping, **named["visits"]}),
                    agenda=("visits", "/agenda-items", {**timed, **named["agenda"]}),
                    meetings=("visits", "/meetings", {**timed, **named["meetings"]}),
                    functions=("visits", "/functions", {**timed, **named["functions"]}),
                    trips=("trips", "/trips", {**MOST, **span.overlapping, **named["trips"]}))


def _timed(kind: str, record: dict, href: str) -> dict:
    starts = datetime.fromisoformat(record["starts_at"].replace("Z", "+00:00")).astimezone(
        ZoneInfo(record["time_zone"]))
    day = starts.date().isoformat()
    return {"kind": kind, "title": record["title"], "starts_on": day, "ends_on": day, "at": starts, "href": href}


def entries(answers: dict[str, Answer]) -> list[dict]:
    """Every record as a calendar entry: its days (a timed one on its venue's day) and where it opens."""
    found = [{"kind": "visit", "title": visit["delegation_name"], "starts_on": visit["starts_on"],
              "ends_on": visit["ends_on"], "at": None, "href": url_for("visits.visit", visit_id=visit["id"])}
             for visit in answers["visits"].items]
    found += [_timed("agenda", item, url_for("visits.visit", visit_id=item["visit_id"]))
              for item in answers["agenda"].items]
    found += [_timed(kind, record, url_for("visit_work.section", visit_id=record["visit_id"], section="meetings")
                     if record.get("visit_id") else "")
              for kind, name in (("meeting", "meetings"), ("function", "functions"))
              for record in answers[name].items]
    found += [{"kind": "trip", "title": trip["title"], "starts_on": trip["starts_on"], "ends_on": trip["ends_on"],
               "at": None, "href": url_for("trips.trip", trip_id=trip["id"])} for trip in answers["trips"].items]
    return sorted(found, key=lambda entry: (entry["starts_on"], entry["at"] is not None,
                                            entry["at"].isoformat() if entry["at"] else ""))


def _span() -> Span:
    try:
        on = date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        on = date.today()
    return span_of("week" if request.args.get("view") == "week" else "month", on)


def _page(official: str, links: dict[str, Answer] | None = None):
    span = _span()
    answers = _reads(official, span) if official else {}
    return render_template("officials/calendar.html", official=official, names=official_names(), span=span,
                           answers=answers, entries=entries(answers) if answers else [], on_day=on_day,
                           kinds=KINDS, links=links, today=date.today())


@official_pages.get("/officials/calendar")
@signed_in
def calendar():
    return _page(request.args.get("official", "").strip())


@official_pages.post("/officials/calendar/links")
@signed_in
def feed_links():
    """A link per service for the person's calendar client (each service audits the link it issues)."""
    official = request.form.get("official", "").strip()
    links = {service: refuse_expired(call("POST", service, "/calendar-links",
                                          json={"feed": f"/api/v1/officials/{quote(official, safe='')}/{feed}"}))
             for service, feed in FEEDS} if official else None
    return _page(official, links)
