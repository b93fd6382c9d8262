"""A trip's parts beyond the request: the budget (limits per country from the rates tables, the costs), the
documents checklist and the travel order, the report after the trip with its follow-ups, and other departments'
trips to the same place (coordination). Each part is a page under the trip; each change is a form posted to one
route that sends it to the trips API as `CHANGES` says, with If-Match where the record has a version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext

from services.console.formatting import COST_CATEGORIES
from services.console.forms import FormState, body_of, refusal, stale, typed
from services.console.pages.visit_work import Section
from services.console.web import call, pass_document, read_all, refuse_expired, signed_in

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


@dataclass(frozen=True)
class Change:
    """One form: the API call it becomes. `{trip_id}` and `{record_id}` are filled into `path`."""

    method: str
    path: str
    fields: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    shape: Callable[[dict], dict] | None = None
    record: str | None = None  # where the record is read again after a 412
    in_path: tuple[str, ...] = ()  # fields that name the record in the path rather than go in the body


REPORT = "/trips/{trip_id}/report"
CHANGES = {
    ("budget", "cost"): Change("POST", "/trips/{trip_id}/costs", (
        "kind", "category", "amount", "currency", "description", "incurred_on"), ("description", "incurred_on")),
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
                           forms=forms, cost_categories=list(COST_CATEGORIES.items())), status


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
    values = typed(spec.fields)
    body = body_of(values, spec.optional)
    body = spec.shape(body) if spec.shape else body
    ids = {"trip_id": trip_id, "record_id": record_id, **{name: body.pop(name, "") for name in spec.in_path}}
    version = request.form.get("version")
    answer = refuse_expired(call(spec.method, "trips", spec.path.format(**ids), json=body,
                                 headers={"If-Match": f'"{version}"'} if version else None))
    key = "-".join(part for part in (change, record_id) if part)
    if answer.ok:
        return redirect(url_for("trip_work.part", trip_id=trip_id, part=part) + f"#{key}")
    if answer.status == 412 and spec.record:
        return _part_page(trip_id, part, {key: stale(spec.record.format(**ids), values, service="trips")})
    return _part_page(trip_id, part, {key: refusal(answer, values)})


@trip_work_pages.get("/trips/<trip_id>/travel-order/<language>")
@signed_in
def travel_order(trip_id: str, language: str):
    """The travel order as the service renders it (PDF), in the language chosen."""
    if language not in LANGUAGES:
        abort(404)
    return pass_document("trips", f"/trips/{trip_id}/travel-order.pdf?language={language}")
