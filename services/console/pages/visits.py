"""Visits: the list with filters, a visit's page (delegation, programme, lifecycle) and the forms that change
them. If-Match is handled for the person: a form sent over a newer version says what changed and keeps what
they typed."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext

from services.console.calendar import on_day, span_of
from services.console.export import Listing, date_column, export, status_column, text_column
from services.console.forms import FormState, create_from_form, refusal, send_form, stale
from services.console.marking import marking_shown
from services.console.pages.notifications import start_watching
from services.console.pages.visit_work import SECTIONS
from services.console.web import call, page_asked, read_all, refuse_expired, signed_in

visit_pages = Blueprint("visits", __name__)
VISIT_FIELDS = ("delegation_name", "country", "city", "starts_on", "ends_on", "purpose", "host_official")
MEMBER_FIELDS = ("role", "name_original", "name_latin", "title", "country")
ITEM_FIELDS = ("kind", "title", "starts_at", "ends_at", "time_zone", "venue")
FILTERS = ("status", "country", "starts_from", "starts_until", "ends_from")
PAGE_SIZE = 50
# Every lifecycle action is offered: the visits service alone knows which its rules allow now, and a refusal
# (409) names the allowed ones beside the buttons.
ACTIONS = ("propose", "invite", "confirm", "start", "complete", "cancel")
VISITS = Listing("visits", "visits", "/visits", (
    text_column("delegation_name", lazy_gettext("Delegation")), text_column("country", lazy_gettext("Country")),
    text_column("city", lazy_gettext("City")), date_column("starts_on", lazy_gettext("Arrives")),
    date_column("ends_on", lazy_gettext("Leaves")), status_column("status", lazy_gettext("Status")),
    text_column("host_official", lazy_gettext("Host official")), text_column("purpose", lazy_gettext("Purpose"))))


@visit_pages.get("/visits")
@signed_in
def visit_list():
    filters = {name: request.args.get(name, "") for name in FILTERS}
    answer = refuse_expired(call("GET", "visits", "/visits", params={**filters, **page_asked(),
                                                                     "page_size": PAGE_SIZE}))
    template = "visits/_rows.html" if request.headers.get("HX-Request") else "visits/list.html"
    return render_template(template, answer=answer, filters=filters,
                           chosen={name: value for name, value in filters.items() if value})


@visit_pages.get("/visits/export/<file_format>")
@signed_in
def export_visits(file_format: str):
    return export(VISITS, file_format, {name: request.args.get(name, "") for name in FILTERS})


@visit_pages.get("/visits/calendar")
@signed_in
def calendar():
    try:
        on = date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        on = date.today()
    span = span_of("week" if request.args.get("view") == "week" else "month", on)
    answer = refuse_expired(call("GET", "visits", "/visits", params={**span.overlapping, "page_size": 200}))
    return render_template("visits/calendar.html", answer=answer, span=span, on_day=on_day, today=date.today())


@visit_pages.get("/visits/new")
@signed_in
def new_visit():
    return render_template("visits/new.html", form=FormState())


@visit_pages.post("/visits/new")
@signed_in
def create_visit():
    return create_from_form(VISIT_FIELDS, "/visits", "visits/new.html", "visits.visit", "visit_id", marked=True)


def _visit_page(visit_id: str, **forms):
    answers = read_all(visit=("visits", f"/visits/{visit_id}"), members=("visits", f"/visits/{visit_id}/members"),
                       programme=("visits", f"/visits/{visit_id}/agenda-items"),
                       history=("visits", f"/visits/{visit_id}/status-history"))
    if answers["visit"].status == 404:
        abort(404)
    visit = answers["visit"].body if answers["visit"].ok else None
    actions = ACTIONS if visit else ()
    changing = forms.pop("changing", {})
    status = 422 if any(form.errors or form.message for form in [*forms.values(), *changing.values()]) else 200
    return render_template("visits/visit.html", visit=visit, answers=answers, actions=actions,
                           edit=forms.get("edit") or FormState(), member=forms.get("member") or FormState(),
                           item=forms.get("item") or FormState(), lifecycle=forms.get("lifecycle") or FormState(),
                           changing=changing, visit_fields=VISIT_FIELDS, sections=SECTIONS, section=None,
                           m=marking_shown(visit or {})), status


@visit_pages.get("/visits/<visit_id>")
@signed_in
def visit(visit_id: str):
    return _visit_page(visit_id)


@visit_pages.post("/visits/<visit_id>/edit")
@signed_in
def edit_visit(visit_id: str):
    values, answer = send_form(VISIT_FIELDS, "PATCH", "visits", f"/visits/{visit_id}",
                               version=request.form.get("version", ""), marked=True)
    if answer.ok:
        return redirect(url_for("visits.visit", visit_id=visit_id))
    if answer.status == 412:
        return _visit_page(visit_id, edit=stale(f"/visits/{visit_id}", values))
    return _visit_page(visit_id, edit=refusal(answer, values))


@visit_pages.post("/visits/<visit_id>/members")
@signed_in
def add_member(visit_id: str):
    return _add_to_visit(visit_id, MEMBER_FIELDS, "members", "member", optional=("title",))


@visit_pages.post("/visits/<visit_id>/programme")
@signed_in
def add_item(visit_id: str):
    return _add_to_visit(visit_id, ITEM_FIELDS, "agenda-items", "item", optional=("venue",), clash_field="starts_at")


def _add_to_visit(visit_id: str, fields: tuple[str, ...], collection: str, form: str, optional: tuple[str, ...],
                  clash_field: str | None = None):
    values, answer = send_form(fields, "POST", "visits", f"/visits/{visit_id}/{collection}", optional)
    if answer.ok:
        anchor = "#delegation" if form == "member" else "#programme"
        return redirect(url_for("visits.visit", visit_id=visit_id) + anchor)
    return _visit_page(visit_id, **{form: refusal(answer, values, clash_field)})


@visit_pages.post("/visits/<visit_id>/members/<member_id>")
@signed_in
def change_member(visit_id: str, member_id: str):
    return _change_in_visit(visit_id, MEMBER_FIELDS, f"/visits/{visit_id}/members/{member_id}", f"member-{member_id}",
                            optional=("title",))


@visit_pages.post("/visits/<visit_id>/programme/<item_id>")
@signed_in
def change_item(visit_id: str, item_id: str):
    return _change_in_visit(visit_id, ITEM_FIELDS, f"/visits/{visit_id}/agenda-items/{item_id}", f"item-{item_id}",
                            optional=("venue",), clash_field="starts_at")


def _change_in_visit(visit_id: str, fields: tuple[str, ...], path: str, form: str, optional: tuple[str, ...],
                     clash_field: str | None = None):
    """A member or a programme item changed over the version its form showed (If-Match)."""
    values, answer = send_form(fields, "PATCH", "visits", path, optional, version=request.form.get("version", ""))
    if answer.ok:
        return redirect(url_for("visits.visit", visit_id=visit_id) + f"#{form}")
    changing = stale(path, values) if answer.status == 412 else refusal(answer, values, clash_field)
    return _visit_page(visit_id, changing={form: changing})


@visit_pages.post("/visits/<visit_id>/<action>")
@signed_in
def lifecycle(visit_id: str, action: str):
    if action not in ACTIONS:
        abort(404)
    reason = request.form.get("reason", "").strip()
    answer = refuse_expired(call("POST", "visits", f"/visits/{visit_id}/{action}",
                                 json={"reason": reason} if reason else {},
                                 headers={"If-Match": f'"{request.form.get("version", "")}"'}))
    if answer.ok:
        return redirect(url_for("visits.visit", visit_id=visit_id))
    if answer.status == 412:
        return _visit_page(visit_id, lifecycle=stale(f"/visits/{visit_id}", {"reason": reason}))
    return _visit_page(visit_id, lifecycle=refusal(answer, {"reason": reason}))


@visit_pages.post("/visits/<visit_id>/watch")
@signed_in
def watch(visit_id: str):
    refused = start_watching("visit", visit_id)
    if refused:
        return _visit_page(visit_id, lifecycle=refusal(refused, {}))
    return redirect(url_for("visits.visit", visit_id=visit_id))
