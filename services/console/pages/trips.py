"""Trips: the lists (my requests, the organiser's view, what waits for my decision), a request from the form to
its submission, the decisions of the approval chain and the traveller's own steps. The console offers exactly the
actions the trips API names as allowed (`allowed_actions`), each to the roles the API lets take it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext

from services.console.changes import Change, answered, form_body, only_changed, send_change
from services.console.export import Column, Listing, date_column, export, status_column, text_column
from services.console.forms import FormState, body_of, refusal, stale, typed
from services.console.marking import MARKING_FIELDS, marking_body
from services.console.pages.desk import QUEUES
from services.console.pages.notifications import start_watching
from services.console.pages.trip_work import PARTS
from services.console.web import call, has_role, page_asked, person, read_all, refuse_expired, signed_in

trip_pages = Blueprint("trips", __name__)
PAGE_SIZE = 25
FILTERS = ("status", "country", "department", "starts_from", "starts_until")
SORTS = {"-starts_on": lazy_gettext("latest start first"), "starts_on": lazy_gettext("earliest start first"),
         "title": lazy_gettext("title"), "status": lazy_gettext("status"), "department": lazy_gettext("department"),
         "-created_at": lazy_gettext("newest request first")}
STATUSES = ("draft", "submitted", "returned", "approved", "closed", "cancelled")
WRITERS = ("travel",)
DECIDERS = ("department-head", "mayor-office")
READERS = (*WRITERS, *DECIDERS)
DECIDING_ACTIONS = ("approve", "send-back")
ACTIONS = ("submit", "approve", "send-back", "recall", "cancel", "close", "reopen")
TRIP_FIELDS = ("title", "purpose", "department", "starts_on", "ends_on", "host", "international_function", "funding")
OPTIONAL_TRIP_FIELDS = ("host", "international_function")
NEW_TRIP_FIELDS = (*TRIP_FIELDS, "country", "city", "full_name", "job_title", "category")
PROGRAMME = ("legs", "stays", "meetings")
# A request's parts: their fields, and those that may be left blank.
PARTS_OF_REQUEST = {
    "travellers": (("full_name", "job_title", "category", "department"), ()),
    "legs": (("origin", "destination", "mode", "carrier_reference", "departs_at", "departs_time_zone", "arrives_at",
              "arrives_time_zone", "arrives_country"), ("carrier_reference", "arrives_country")),
    "stays": (("name", "address", "country", "city", "check_in", "check_out", "booking_reference"),
              ("booking_reference",)),
    "meetings": (("title", "counterparts", "organisation", "location", "starts_at", "ends_at", "time_zone",
                  "briefing"), ("organisation", "briefing")),
}
REQUEST = "/trips/{trip_id}"


def _request_changes(what: str, fields: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Change]:
    """Add, change and remove one part. A traveller's part carries the trip's version (the trip lists it); a leg,
    stay or meeting its own (read again from the trip's list of them)."""
    item = f"/trips/{{trip_id}}/{what}/{{record_id}}"
    record, listed_in = (REQUEST, "travellers") if what == "travellers" else (f"/trips/{{trip_id}}/{what}", "items")
    return {"add": Change("POST", f"/trips/{{trip_id}}/{what}", fields, optional, record=REQUEST),
            "change": Change("PATCH", item, fields, optional, record=record, listed_in=listed_in),
            "remove": Change("DELETE", item, record=record, listed_in=listed_in)}


CHANGES = {(verb, what): change for what, (fields, optional) in PARTS_OF_REQUEST.items()
           for verb, change in _request_changes(what, fields, optional).items()}
# The actions whose body the trips API requires a reason in, and those where it takes one if given (its OpenAPI
# document says which; a unit test holds these to it).
REASON_REQUIRED = ("send-back", "cancel", "reopen")
REASON_OPTIONAL = ("submit", "approve", "recall", "close")
TRIPS = Listing("trips", "trips", "/trips", (
    text_column("title", lazy_gettext("Trip")),
    Column(lazy_gettext("Destinations"), lambda trip: ", ".join(
        f"{place.get('city')} ({place.get('country')})" for place in trip.get("destinations") or ())),
    date_column("starts_on", lazy_gettext("Departs")), date_column("ends_on", lazy_gettext("Returns")),
    text_column("department", lazy_gettext("Department")), status_column("status", lazy_gettext("Status"))))


@dataclass(frozen=True)
class TripList:
    title: str
    params: Callable[[dict], dict]  # the API filters that make the list, for the signed-in person
    shown_to: Callable[[dict], bool]


LISTS = {
    "mine": TripList(lazy_gettext("My requests"), lambda who: {"created_by": who["subject"]},
                     lambda who: has_role(*WRITERS)),
    "all": TripList(lazy_gettext("All trips"), lambda who: {}, lambda who: has_role(*READERS)),
    "waiting": TripList(lazy_gettext("Waiting for my decision"),
                        lambda who: QUEUES["trips-to-decide"].params(date.today(), who),
                        lambda who: QUEUES["trips-to-decide"].shown_to(who)),
}


def _lists_shown() -> dict[str, TripList]:
    return {name: shown for name, shown in LISTS.items() if shown.shown_to(person())}


@trip_pages.get("/trips")
@signed_in
def trip_list():
    view, shown = _view_asked()
    filters = {name: request.args.get(name, "") for name in FILTERS}
    sort = _sort_asked()
    answer = refuse_expired(call("GET", "trips", "/trips", params={
        **filters, **shown[view].params(person()), "sort": sort, **page_asked(), "page_size": PAGE_SIZE}))
    template = "trips/_rows.html" if request.headers.get("HX-Request") else "trips/list.html"
    return render_template(template, answer=answer, filters=filters, sort=sort, view=view, lists=shown,
                           sorts=SORTS, statuses=STATUSES, writer=has_role(*WRITERS),
                           here={**filters, "view": view, "sort": sort})


@trip_pages.get("/trips/export/<file_format>")
@signed_in
def export_trips(file_format: str):
    view, shown = _view_asked()
    filters = {name: request.args.get(name, "") for name in FILTERS}
    return export(TRIPS, file_format, {**filters, **shown[view].params(person()), "sort": _sort_asked()})


def _view_asked() -> tuple[str, dict[str, TripList]]:
    """The list asked for by `view` (the first the person may see by default), or 403/404."""
    shown = _lists_shown()
    if not shown:
        abort(403)
    view = request.args.get("view") or next(iter(shown))
    if view not in shown:
        abort(404)
    return view, shown


def _sort_asked() -> str:
    return request.args.get("sort") if request.args.get("sort") in SORTS else "-starts_on"


@trip_pages.get("/trips/new")
@signed_in
def new_trip():
    return render_template("trips/new.html", form=FormState(typed={"department": person()["department"] or ""}))


@trip_pages.post("/trips/new")
@signed_in
def create_trip():
    values = typed((*NEW_TRIP_FIELDS, *MARKING_FIELDS))
    body = body_of({name: values[name] for name in TRIP_FIELDS}, OPTIONAL_TRIP_FIELDS)
    body.update(destinations=[{"country": values["country"], "city": values["city"]}],
                travellers=[{"full_name": values["full_name"], "job_title": values["job_title"],
                             "category": values["category"], "department": values["department"]}],
                **marking_body(values))
    answer = refuse_expired(call("POST", "trips", "/trips", json=body))
    if answer.ok:
        return redirect(url_for("trips.trip", trip_id=answer.body["id"]))
    return render_template("trips/new.html", form=refusal(answer, values)), 422


@trip_pages.get("/trips/<trip_id>")
@signed_in
def trip(trip_id: str):
    return _trip_page(trip_id)


def _trip_page(trip_id: str, forms: dict[str, FormState] | None = None):
    answers = read_all(trip=("trips", f"/trips/{trip_id}"), **{
        name: ("trips", f"/trips/{trip_id}/{name}", {"page_size": 200}) for name in PROGRAMME})
    if answers["trip"].status == 404:
        abort(404)
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    trip = answers["trip"].body if answers["trip"].ok else None
    return render_template("trips/trip.html", trip=trip, answers=answers, forms=forms, actions=_offered(trip),
                           writer=has_role(*WRITERS), trip_fields=TRIP_FIELDS, parts=PARTS, part=None,
                           reason_required=REASON_REQUIRED, reason_optional=REASON_OPTIONAL), status


def _offered(trip: dict | None) -> list[str]:
    """The actions the API names as allowed now, those the person's roles may take."""
    if not trip:
        return []
    return [action for action in trip["allowed_actions"]
            if has_role(*(DECIDERS if action in DECIDING_ACTIONS else WRITERS))]


def _destinations(typed_lines: str) -> list[dict]:
    """Destinations typed one per line as `city, country code`."""
    places = []
    for line in typed_lines.splitlines():
        if line.strip():
            city, _comma, country = line.rpartition(",")
            places.append({"city": city.strip(), "country": country.strip().upper()})
    return places


@trip_pages.post("/trips/<trip_id>/edit")
@signed_in
def edit_trip(trip_id: str):
    values = typed((*TRIP_FIELDS, "destinations"))
    body = body_of(values, (*OPTIONAL_TRIP_FIELDS, "destinations"))
    if "destinations" in body:
        body["destinations"] = _destinations(body["destinations"])
    return _patch_trip(trip_id, "edit", values, body)


@trip_pages.post("/trips/<trip_id>/marking")
@signed_in
def mark_trip(trip_id: str):
    """Whether the trip is confidential or embargoed, and who needs to know: in any status (decision 0190)."""
    values = typed(MARKING_FIELDS)
    return _patch_trip(trip_id, "marking", values, marking_body(values))


def _patch_trip(trip_id: str, form: str, values: dict, body: dict):
    """The trip changed with the version its page showed: back to it, or the page again with the form `form`'s
    state (what changed meanwhile, or the refusal beside its fields)."""
    answer = refuse_expired(call("PATCH", "trips", f"/trips/{trip_id}", json=body,
                                 headers={"If-Match": f'"{request.form.get("version", "")}"'}))
    if answer.ok:
        return redirect(url_for("trips.trip", trip_id=trip_id))
    if answer.status == 412:
        return _trip_page(trip_id, {form: stale(f"/trips/{trip_id}", values, service="trips")})
    return _trip_page(trip_id, {form: refusal(answer, values)})


@trip_pages.post("/trips/<trip_id>/add/<what>")
@signed_in
def add(trip_id: str, what: str):
    return _change_part(trip_id, "add", what)


@trip_pages.post("/trips/<trip_id>/change/<what>/<record_id>")
@signed_in
def change_part(trip_id: str, what: str, record_id: str):
    return _change_part(trip_id, "change", what, record_id)


@trip_pages.post("/trips/<trip_id>/remove/<what>/<record_id>")
@signed_in
def remove_part(trip_id: str, what: str, record_id: str):
    return _change_part(trip_id, "remove", what, record_id)


def _change_part(trip_id: str, verb: str, what: str, record_id: str = ""):
    spec = CHANGES.get((verb, what))
    if spec is None:
        abort(404)
    values, body = form_body(spec)
    body = only_changed(body) if verb == "change" else body
    ids = {"trip_id": trip_id, "record_id": record_id}
    key = f"{verb}-{record_id}" if record_id else what
    return answered(spec, "trips", ids, values, send_change(spec, "trips", ids, body),
                    url_for("trips.trip", trip_id=trip_id) + f"#{what}",
                    lambda state: _trip_page(trip_id, {key: state}), record_id)


@trip_pages.post("/trips/<trip_id>/watch")
@signed_in
def watch(trip_id: str):
    """Told in the inbox of each of the trip's steps; notifications refuses roles outside its audience for trips."""
    refused = start_watching("trip", trip_id)
    if refused:
        return _trip_page(trip_id, {"watch": refusal(refused, {})})
    return redirect(url_for("trips.trip", trip_id=trip_id))


@trip_pages.post("/trips/<trip_id>/<action>")
@signed_in
def lifecycle(trip_id: str, action: str):
    if action not in ACTIONS:
        abort(404)
    reason = request.form.get("reason", "").strip()
    answer = refuse_expired(call("POST", "trips", f"/trips/{trip_id}/{action}",
                                 json={"reason": reason} if reason else {},
                                 headers={"If-Match": f'"{request.form.get("version", "")}"'}))
    if answer.ok:
        return redirect(url_for("trips.trip", trip_id=trip_id))
    if answer.status == 412:
        return _trip_page(trip_id, {f"lifecycle-{action}": stale(f"/trips/{trip_id}", {"reason": reason},
                                                                 service="trips")})
    return _trip_page(trip_id, {f"lifecycle-{action}": refusal(answer, {"reason": reason})})
