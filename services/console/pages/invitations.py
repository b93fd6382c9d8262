"""The mayor's invitations: the inbox and its triage (review, assign with a deadline, delegate, accept,
decline). An invitation accepted abroad links to the trip that trips drafted from it."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext

from services.console.export import Listing, date_column, export, status_column, text_column
from services.console.forms import FormState, create_from_form, refusal, send_form
from services.console.web import call, page_asked, pass_document, read_all, refuse_expired, signed_in

invitation_pages = Blueprint("invitations", __name__)
STEPS = {"review": (), "assign": ("assignee", "assignee_kind", "deadline"), "delegate": ("official", "note"),
         "accept": ("official", "note"), "decline": ("reason", "language")}
OPTIONAL = ("note", "official")
INVITATION_FIELDS = ("title", "inviting_party", "country", "city", "location", "starts_on", "ends_on", "received_on",
                     "summary")
INVITATIONS = Listing("invitations", "visits", "/invitations", (
    text_column("title", lazy_gettext("Invitation")), text_column("inviting_party", lazy_gettext("From")),
    text_column("city", lazy_gettext("City")), text_column("country", lazy_gettext("Country")),
    date_column("starts_on", lazy_gettext("Starts")), date_column("ends_on", lazy_gettext("Ends")),
    status_column("status", lazy_gettext("Status")), date_column("deadline", lazy_gettext("Deadline"))))


@invitation_pages.get("/invitations")
@signed_in
def invitation_list():
    status = request.args.get("status", "")
    answer = refuse_expired(call("GET", "visits", "/invitations", params={"status": status, **page_asked(),
                                                                               "page_size": 100}))
    return render_template("invitations/list.html", answer=answer, status=status)


@invitation_pages.get("/invitations/export/<file_format>")
@signed_in
def export_invitations(file_format: str):
    return export(INVITATIONS, file_format, {"status": request.args.get("status", "")})


@invitation_pages.get("/invitations/new")
@signed_in
def new_invitation():
    return render_template("invitations/new.html", form=FormState())


@invitation_pages.post("/invitations/new")
@signed_in
def register_invitation():
    return create_from_form(INVITATION_FIELDS, "/invitations", "invitations/new.html", "invitations.invitation",
                            "invitation_id", optional=("summary",))


def _invitation_page(invitation_id: str, step: str | None = None, form: FormState | None = None):
    answers = read_all(invitation=("visits", f"/invitations/{invitation_id}"),
                       trips=("trips", "/trips", {"invitation_id": invitation_id}))
    if answers["invitation"].status == 404:
        abort(404)
    invitation = answers["invitation"].body if answers["invitation"].ok else None
    status = 422 if form and (form.errors or form.message) else 200
    return render_template("invitations/invitation.html", invitation=invitation, answers=answers,
                           drafted_trips=answers["trips"].items, step=step, form=form or FormState()), status


@invitation_pages.get("/invitations/<invitation_id>")
@signed_in
def invitation(invitation_id: str):
    return _invitation_page(invitation_id)


@invitation_pages.get("/invitations/<invitation_id>/reply-letter")
@signed_in
def reply_letter(invitation_id: str):
    """The declined invitation's reply letter (PDF), passed on as the service wrote it."""
    return pass_document("visits", f"/invitations/{invitation_id}/reply-letter")


@invitation_pages.post("/invitations/<invitation_id>/<step>")
@signed_in
def triage(invitation_id: str, step: str):
    if step not in STEPS:
        abort(404)
    values, answer = send_form(STEPS[step], "POST", "visits", f"/invitations/{invitation_id}/{step}", OPTIONAL,
                               version=request.form.get("version", ""))
    if answer.ok:
        return redirect(url_for("invitations.invitation", invitation_id=invitation_id))
    return _invitation_page(invitation_id, step, refusal(answer, values))
