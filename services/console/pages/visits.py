"""Visits: the list with filters, a visit's page (delegation, programme, lifecycle) and the forms that change
them. If-Match is handled for the person: a form sent over a newer version says what changed and keeps what
they typed."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.console.forms import FormState, changed_fields, create_from_form, refusal, send_form
from services.console.web import call, read_all, refuse_expired, signed_in

visit_pages = Blueprint("visits", __name__)
VISIT_FIELDS = ("delegation_name", "country", "city", "starts_on", "ends_on", "purpose", "host_official")
MEMBER_FIELDS = ("role", "name_original", "name_latin", "title", "country")
ITEM_FIELDS = ("kind", "title", "starts_at", "ends_at", "time_zone", "venue")
FILTERS = ("status", "country", "starts_from", "starts_until")
# Every lifecycle action is offered: the visits service alone knows which its rules allow now, and a refusal
# (409) names the allowed ones beside the buttons.
ACTIONS = ("propose", "invite", "confirm", "start", "complete", "cancel")


@visit_pages.get("/visits")
@signed_in
def visit_list():
    filters = {name: request.args.get(name, "") for name in FILTERS}
    answer = refuse_expired(call("GET", "visits", "/visits", params={**filters, "page_size": 100}))
    template = "visits/_rows.html" if request.headers.get("HX-Request") else "visits/list.html"
    return render_template(template, answer=answer, filters=filters)


@visit_pages.get("/visits/new")
@signed_in
def new_visit():
    return render_template("visits/new.html", form=FormState())


@visit_pages.post("/visits/new")
@signed_in
def create_visit():
    return create_from_form(VISIT_FIELDS, "/visits", "visits/new.html", "visits.visit", "visit_id")


def _visit_page(visit_id: str, **forms):
    answers = read_all(visit=("visits", f"/visits/{visit_id}"), members=("visits", f"/visits/{visit_id}/members"),
                       programme=("visits", f"/visits/{visit_id}/agenda-items"),
                       history=("visits", f"/visits/{visit_id}/status-history"))
    if answers["visit"].status == 404:
        abort(404)
    visit = answers["visit"].body if answers["visit"].ok else None
    actions = ACTIONS if visit else ()
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template("visits/visit.html", visit=visit, answers=answers, actions=actions,
                           edit=forms.get("edit") or FormState(), member=forms.get("member") or FormState(),
                           item=forms.get("item") or FormState(), lifecycle=forms.get("lifecycle") or FormState(),
                           ), status


@visit_pages.get("/visits/<visit_id>")
@signed_in
def visit(visit_id: str):
    return _visit_page(visit_id)


@visit_pages.post("/visits/<visit_id>/edit")
@signed_in
def edit_visit(visit_id: str):
    values, answer = send_form(VISIT_FIELDS, "PATCH", "visits", f"/visits/{visit_id}",
                               version=request.form.get("version", ""))
    if answer.ok:
        return redirect(url_for("visits.visit", visit_id=visit_id))
    if answer.status == 412:
        return _visit_page(visit_id, edit=_stale(visit_id, values))
    return _visit_page(visit_id, edit=refusal(answer, values))


def _stale(visit_id: str, values: dict) -> FormState:
    """The visit changed since the form was opened: name what changed, keep what the person typed."""
    current = refuse_expired(call("GET", "visits", f"/visits/{visit_id}")).body or {}
    before = {name: request.form.get(f"was_{name}", "") for name in VISIT_FIELDS}
    changed = changed_fields(before, current)
    return FormState(values, {}, _("Someone changed this visit while you were editing it. Your changes are "
                                   "kept below; check the fields marked as changed and save again."), changed)


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
        return _visit_page(visit_id, lifecycle=FormState(message=_(
            "Someone changed this visit meanwhile; check it and choose again.")))
    return _visit_page(visit_id, lifecycle=refusal(answer, {"reason": reason}))


@visit_pages.post("/visits/<visit_id>/watch")
@signed_in
def watch(visit_id: str):
    answer = refuse_expired(call("POST", "notifications", "/watches",
                                 json={"record_type": "visit", "record_id": visit_id}))
    if not answer.ok and answer.status != 409:
        return _visit_page(visit_id, lifecycle=refusal(answer, {}))
    return redirect(url_for("visits.visit", visit_id=visit_id))
