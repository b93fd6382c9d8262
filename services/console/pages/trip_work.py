"""A trip's parts beyond the request: the budget (limits per country from the rates tables, the costs), the
documents checklist and the travel order, the report after the trip with its follow-ups, and other departments'
trips to the same place (coordination). Each part is a page under the trip; each change is a form posted to one
route that sends it to the trips API as `CHANGES` says, with If-Match where the record has a version."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import lazy_gettext

from services.console.changes import Change, answered, form_body, only_changed, send_change
from services.console.formatting import COST_CATEGORIES
from services.console.forms import FormState
from services.console.pages.visit_work import Section
from services.console.web import has_role, pass_document, read_all, signed_in

trip_work_pages = Blueprint("trip_work", __name__)
ALL = {"page_size": 200}
PARTS = {
    "budget": Section(lazy_gettext("Budget"), lambda t: {"budget": ("trips", f"/trips/{t}/budget"),
                                                   "costs": ("trips", f"/trips/{t}/costs", ALL)}),
    "documents": Section(lazy_gettext("Documents"), lambda t: {"documents": ("trips", f"/trips/{t}/documents")}),
    "report": Section(lazy_gettext("Report"), lambda t: {"report": ("trips", f"/trips/{t}/report")}),
    "coordination": Section(lazy_gettext("Coordination"), lambda t: {
        "coordination": ("trips", f"/trips/{t}/coordination")}),
}
LANGUAGES = ("en", "ru", "bg")


def _follow_ups(body: dict) -> dict:
    """Follow-ups typed one per line as `due date; responsible body; what`."""
    follow_ups = []
    for line in body.pop("follow_ups", "").splitlines():
        if line.strip():
            due_on, _sep, rest = line.partition(";")
            responsible_body, _sep, title = rest.partition(";")
            follow_ups.append({"due_on": due_on.strip(), "responsible_body": responsible_body.strip(),
                               "title": title.strip()})
    return {**body, "follow_ups": follow_ups}


REPORT = "/trips/{trip_id}/report"
RATE_FIELDS = ("currency", "per_diem", "accommodation_per_night")
WRITERS = ("travel",)  # who the trips API lets record costs, documents, reports and rates: the forms' audience
CHANGES = {
    ("budget", "cost"): Change("POST", "/trips/{trip_id}/costs", (
        "kind", "category", "amount", "currency", "description", "incurred_on"), ("description", "incurred_on")),
    ("budget", "remove-cost"): Change("DELETE", "/trips/{trip_id}/costs/{record_id}", record="/trips/{trip_id}/costs"),
    ("budget", "rate"): Change("POST", "/daily-rates", ("country", *RATE_FIELDS, "valid_from")),
    ("budget", "correct-rate"): Change("PATCH", "/daily-rates/{record_id}", RATE_FIELDS, record="/daily-rates"),
    ("documents", "record"): Change("PUT", "/trips/{trip_id}/travellers/{record_id}/documents/{kind}", (
        "kind", "status", "valid_until", "reference"), ("valid_until", "reference"), in_path=("kind",)),
    ("documents", "passport"): Change("PUT", "/trips/{trip_id}/travellers/{record_id}/passport", (
        "number", "expires_on", "date_of_birth"), ("date_of_birth",)),
    ("report", "write"): Change("POST", REPORT, ("outcomes", "agreements", "follow_ups"), ("agreements",),
                                shape=_follow_ups),
    ("report", "change"): Change("PATCH", REPORT, ("outcomes", "agreements", "follow_ups"), ("agreements",),
                                 shape=_follow_ups, record=REPORT),
    ("report", "submit"): Change("POST", REPORT + "/submit", record=REPORT),
    ("report", "revise"): Change("POST", REPORT + "/revise", record=REPORT),
}


def _part_page(trip_id: str, part: str, forms: dict[str, FormState] | None = None):
    if part not in PARTS:
        abort(404)
    answers = read_all(trip=("trips", f"/trips/{trip_id}"), **PARTS[part].reads(trip_id))
    if answers["trip"].status == 404:
        abort(404)
    trip = answers["trip"].body if answers["trip"].ok else None
    rates = read_all(**{country: ("trips", "/daily-rates", {"country": country, "page_size": 20})
                        for country in (trip or {}).get("countries", [])}) if part == "budget" else {}
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template(f"trips/{part}.html", trip=trip, answers=answers, rates=rates, part=part, parts=PARTS,
                           forms=forms, cost_categories=list(COST_CATEGORIES.items()),
                           writer=has_role(*WRITERS)), status


@trip_work_pages.get("/trips/<trip_id>/<part>")
@signed_in
def part(trip_id: str, part: str):
    return _part_page(trip_id, part)


@trip_work_pages.post("/trips/<trip_id>/<part>/<change>")
@trip_work_pages.post("/trips/<trip_id>/<part>/<change>/<record_id>")
@signed_in
def change(trip_id: str, part: str, change: str, record_id: str = ""):
    spec = CHANGES.get((part, change))
    if spec is None:
        abort(404)
    values, body = form_body(spec)
    body = only_changed(body) if spec.method == "PATCH" and spec.record else body
    ids = {"trip_id": trip_id, "record_id": record_id}
    answer = send_change(spec, "trips", ids, body)
    key = "-".join(part for part in (change, record_id) if part)
    done = url_for("trip_work.part", trip_id=trip_id, part=part) + f"#{key}"
    return answered(spec, "trips", ids, values, answer, done, lambda state: _part_page(trip_id, part, {key: state}),
                    record_id)


@trip_work_pages.get("/trips/<trip_id>/travel-order/<language>")
@signed_in
def travel_order(trip_id: str, language: str):
    """The travel order as the service renders it (PDF), in the language chosen."""
    if language not in LANGUAGES:
        abort(404)
    return pass_document("trips", f"/trips/{trip_id}/travel-order.pdf?language={language}")
