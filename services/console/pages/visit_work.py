"""A visit's work beyond its delegation and programme: protocol, checklist, gifts, interpreters, visa letters,
meetings and functions. Each is a page under the visit whose reads run in parallel; each change is a form posted
to one route that sends it to the visits API as `CHANGES` says, with If-Match where the record has a version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import get_locale, lazy_gettext

from services.console.changes import Change, answered, form_body, send_change
from services.console.forms import FormState
from services.console.marking import MARKING_FIELDS, marked
from services.console.upstream import Answer
from services.console.web import pass_document, read_all, signed_in

visit_work_pages = Blueprint("visit_work", __name__)
ALL = {"page_size": 200}


HOST_ROWS = 6  # rows for hosts on the seating form; a row left blank seats nobody
HOST_FIELDS = tuple(f"host_{part}_{row}" for row in range(1, HOST_ROWS + 1) for part in ("name", "rank"))


def _seating(body: dict) -> dict:
    """The seating form's rows as the API's hosts (name, rank, the one chosen as principal) and the guests ticked
    (delegation members' ids)."""
    principal = body.pop("principal", "")
    rows = [(str(row), body.pop(f"host_name_{row}", ""), body.pop(f"host_rank_{row}", ""))
            for row in range(1, HOST_ROWS + 1)]
    hosts = [{"name": name, "principal": row == principal, **({"rank": rank} if rank else {})}
             for row, name, rank in rows if name]
    return {**body, "hosts": hosts}


@dataclass(frozen=True)
class Section:
    title: str
    reads: Callable[[str], dict[str, tuple]]


SECTIONS = {
    "protocol": Section(lazy_gettext("Protocol"), lambda v: {
        "precedence": ("visits", f"/visits/{v}/precedence"), "seating": ("visits", f"/visits/{v}/seating-plans"),
        "flags": ("visits", f"/visits/{v}/flags"), "ranks": ("visits", "/protocol/rank-table")}),
    "checklist": Section(lazy_gettext("Checklist"), lambda v: {
        "tasks": ("visits", f"/visits/{v}/checklist", ALL)}),
    "gifts": Section(lazy_gettext("Gifts"), lambda v: {"gifts": ("visits", f"/visits/{v}/gifts", ALL)}),
    "interpreters": Section(lazy_gettext("Interpreters"), lambda v: {
        "needs": ("visits", f"/visits/{v}/interpretation-needs", ALL),
        "interpreters": ("visits", "/interpreters", {**ALL, "active": "true"}),
        "programme": ("visits", f"/visits/{v}/agenda-items", ALL)}),
    "visa-letters": Section(lazy_gettext("Visa letters"), lambda v: {
        "letters": ("visits", f"/visits/{v}/visa-letters", ALL), "members": ("visits", f"/visits/{v}/members", ALL)}),
    "meetings": Section(lazy_gettext("Meetings and functions"), lambda v: {
        "meetings": ("visits", "/meetings", {**ALL, "visit_id": v}),
        "follow_ups": ("visits", "/follow-ups", {**ALL, "visit_id": v}),
        "functions": ("visits", "/functions", {**ALL, "visit_id": v})}),
    "report": Section(lazy_gettext("Report"), lambda v: {"report": ("visits", f"/visits/{v}/report")}),
}


def _report_follow_ups(body: dict) -> dict:
    """Follow-ups typed one per line as `due date; owner; department; what` (the department may be left blank); a
    line whose title a follow-up of the report already has keeps that follow-up, and so its plan item (0155)."""
    known = dict(line.split(" ", 1)[::-1] for line in body.pop("known_follow_ups", "").splitlines() if " " in line)
    follow_ups = []
    for line in body.pop("follow_ups", "").splitlines():
        if line.strip():
            due_on, owner, department, title = [*(part.strip() for part in line.split(";", 3)), "", "", ""][:4]
            follow_up = {"due_on": due_on, "owner": owner, "department": department or None, "title": title}
            follow_ups.append({**follow_up, "id": known[title]} if title in known else follow_up)
    return {**body, "follow_ups": follow_ups}


LETTER = "/visits/{visit_id}/visa-letters/{record_id}"
LETTERS = "/visits/{visit_id}/visa-letters"  # masked: reading one letter again would be an audited read
NEED = "/visits/{visit_id}/interpretation-needs/{record_id}"
NEEDS = "/visits/{visit_id}/interpretation-needs"
MOVE = ("starts_at", "ends_at", "time_zone", "venue")
REPORT = "/visits/{visit_id}/report"
REPORT_FIELDS = ("outcome", "agreements", "follow_ups", "known_follow_ups")
CHANGES = {
    ("report", "write"): Change("POST", REPORT, REPORT_FIELDS, ("agreements", "known_follow_ups"),
                                shape=_report_follow_ups),
    ("report", "change"): Change("PATCH", REPORT, REPORT_FIELDS, ("agreements", "known_follow_ups"),
                                 shape=_report_follow_ups, record=REPORT),
    ("report", "submit"): Change("POST", REPORT + "/submit", record=REPORT),
    ("report", "revise"): Change("POST", REPORT + "/revise", record=REPORT),
    ("protocol", "flags"): Change("PUT", "/visits/{visit_id}/flags", ("flags",), lists=("flags",),
                                  record="/visits/{visit_id}/flags"),
    ("protocol", "seating"): Change("POST", "/visits/{visit_id}/seating-plans",
                                    ("title", *HOST_FIELDS, "principal", "guest_ids"), lists=("guest_ids",),
                                    shape=_seating),
    ("checklist", "add"): Change("POST", "/visits/{visit_id}/checklist", ("title", "owner", "due_on")),
    ("checklist", "complete"): Change("POST", "/visits/{visit_id}/checklist/{record_id}/complete",
                                      record="/visits/{visit_id}/checklist"),
    ("gifts", "add"): Change("POST", "/visits/{visit_id}/gifts", (
        "direction", "description", "giver", "recipient", "value_amount", "value_currency", "exchanged_on",
        "disposition"), optional=("value_amount", "value_currency")),
    ("gifts", "declare"): Change("PATCH", "/visits/{visit_id}/gifts/{record_id}", ("declared_on", "disposition"),
                                 record="/visits/{visit_id}/gifts/{record_id}"),
    ("interpreters", "need"): Change("POST", "/visits/{visit_id}/interpretation-needs", (
        "agenda_item_id", "language_pair", "mode", "interpreter_id"), optional=("interpreter_id",)),
    ("interpreters", "book"): Change("POST", NEED + "/book", ("interpreter_id",), record=NEEDS),
    ("interpreters", "cancel"): Change("POST", NEED + "/cancel", record=NEEDS),
    ("visa-letters", "draft"): Change("POST", "/visits/{visit_id}/visa-letters", (
        "member_id", "language", "consulate", "passport_number", "date_of_birth", "place_of_birth",
        "passport_expires_on"), optional=("passport_expires_on",)),
    **{("visa-letters", action): Change("POST", LETTER + "/" + action, record=LETTERS)
       for action in ("submit", "approve", "issue")},
    ("visa-letters", "return"): Change("POST", LETTER + "/return", ("reason",), record=LETTERS),
    ("meetings", "plan"): Change("POST", "/meetings", ("title", "official", "guests", "country", *MOVE,
                                                      *MARKING_FIELDS),
                                 optional=("venue", *MARKING_FIELDS), lists=("guests",), parent="visit_id",
                                 clash_field="starts_at", shape=marked),
    ("meetings", "move"): Change("PATCH", "/meetings/{record_id}", MOVE, optional=("venue",),
                                 clash_field="starts_at", record="/meetings/{record_id}"),
    ("meetings", "add-follow-up"): Change("POST", "/meetings/{record_id}/follow-ups",
                                          ("title", "responsible_body", "due_on")),
    ("meetings", "follow-up-done"): Change("POST", "/meetings/{record_id}/follow-ups/{sub_id}/complete",
                                           record="/meetings/{record_id}/follow-ups"),
    ("meetings", "function"): Change("POST", "/functions", ("kind", "title", *MOVE), parent="visit_id",
                                     clash_field="starts_at"),
    ("meetings", "move-function"): Change("PATCH", "/functions/{record_id}", MOVE, clash_field="starts_at",
                                          record="/functions/{record_id}"),
    ("meetings", "invite"): Change("POST", "/functions/{record_id}/invitees", ("name", "organisation"),
                                   optional=("organisation",), record="/functions/{record_id}"),
    ("meetings", "rsvp"): Change("PUT", "/functions/{record_id}/invitees/{sub_id}/rsvp", ("rsvp",),
                                 record="/functions/{record_id}/participants", listed_in="invitees"),
}


def _section_page(visit_id: str, section: str, forms: dict[str, FormState] | None = None):
    if section not in SECTIONS:
        abort(404)
    answers = read_all(visit=("visits", f"/visits/{visit_id}"), **SECTIONS[section].reads(visit_id))
    if answers["visit"].status == 404:
        abort(404)
    # Each function's invitees, for their RSVP: a second round, in parallel too.
    functions = answers["functions"].items if "functions" in answers else []
    participants = read_all(**{function["id"]: ("visits", f"/functions/{function['id']}/participants")
                               for function in functions})
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template(f"visits/{section}.html", visit=answers["visit"].body if answers["visit"].ok else None,
                           answers=answers, participants=participants, section=section, sections=SECTIONS,
                           forms=forms, rank_names=_rank_names(answers.get("ranks")), host_rows=HOST_ROWS), status


def _rank_names(ranks: Answer | None) -> dict[str, str]:
    """Each rank key's name in the person's language, as the rank table keeps it (a key it lacks is shown as is)."""
    language = str(get_locale() or "en")
    return {rank["key"]: rank["labels"].get(language) or rank["key"]
            for rank in (ranks.body.get("ranks", []) if ranks and ranks.ok else [])}


@visit_work_pages.get("/visits/<visit_id>/<section>")
@signed_in
def section(visit_id: str, section: str):
    return _section_page(visit_id, section)


@visit_work_pages.post("/visits/<visit_id>/<section>/<change>")
@visit_work_pages.post("/visits/<visit_id>/<section>/<change>/<record_id>")
@visit_work_pages.post("/visits/<visit_id>/<section>/<change>/<record_id>/<sub_id>")
@signed_in
def change(visit_id: str, section: str, change: str, record_id: str = "", sub_id: str = ""):
    spec = CHANGES.get((section, change))
    if spec is None:
        abort(404)
    values, body = form_body(spec, visit_id)
    ids = {"visit_id": visit_id, "record_id": record_id, "sub_id": sub_id}
    answer = send_change(spec, "visits", ids, body)
    key = "-".join(part for part in (change, record_id, sub_id) if part)
    done = url_for("visit_work.section", visit_id=visit_id, section=section) + f"#{key}"
    return answered(spec, "visits", ids, values, answer, done,
                    lambda state: _section_page(visit_id, section, {key: state}), sub_id or record_id)


@visit_work_pages.get("/meetings/<meeting_id>")
@signed_in
def meeting(meeting_id: str):
    """A meeting's follow-ups on its visit's page, where a plan item that came from one links to (decision 0155)."""
    answer = read_all(meeting=("visits", f"/meetings/{meeting_id}"))["meeting"]
    if not answer.ok or not answer.body.get("visit_id"):
        abort(503 if answer.unavailable else 404)
    return redirect(url_for("visit_work.section", visit_id=answer.body["visit_id"], section="meetings")
                    + "#follow-ups")


@visit_work_pages.get("/visits/<visit_id>/visa-letters/<letter_id>/document")
@signed_in
def letter_document(visit_id: str, letter_id: str):
    """The letter as the service renders it (PDF); the service decides who may open it."""
    return pass_document("visits", f"/visits/{visit_id}/visa-letters/{letter_id}/document")
