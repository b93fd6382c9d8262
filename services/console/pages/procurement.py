"""Contracts at the console: the procurement officer's registers (the plan, tenders, contracts, cooperation
agreements, investor commitments), each record on a page of its own with its parts, the live reverse auction
(decision 0110), the OCDS release package and the CPV codes a plan line is picked from. Every form is sent as
`CHANGES` in `pages/procurement_work.py` says. The plan, tenders and contracts are procurement staff's alone;
cooperation agreements and investor commitments are read by outreach and the mayor's office too, as the contracts
API answers (decisions 0135, 0160)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from services.console.export import Column, Listing, date_column, export, status_column, text_column
from services.console.formatting import PROCUREMENT_STATUS_NAMES
from services.console.forms import FormState
from services.console.upstream import Answer
from services.console.web import access_token, has_role, page_asked, pass_document, read_all, signed_in
from shared.http.stream_slots import too_many_streams

procurement_pages = Blueprint("procurement", __name__)
PROCUREMENT = ("procurement",)
# The registers other roles read too: who may is the contracts API's answer, not the console's (0135, 0160).
SHARED = ("agreements", "commitments")
# The actions another role than procurement takes, so that each person is offered the forms theirs may send.
ACTORS = {("agreements", "approve"): ("mayor-office",), ("agreements", "send-back"): ("mayor-office",)}
PAGE_SIZE = 25
ALL = {"page_size": 200}


def _money(name: str, header) -> Column:
    return Column(header, lambda row: (row.get(name) or {}).get("amount"))


AGREEMENT_KINDS = {"cooperation": lazy_gettext("cooperation"), "twinning": lazy_gettext("twinning")}


@dataclass(frozen=True)
class Register:
    """A list of the contracts API with the filters and sorts the console offers, and its export."""

    title: object
    listing: Listing
    filters: tuple[str, ...]
    sorts: dict[str, object]
    statuses: tuple[str, ...]


REGISTERS = {
    "plan": Register(lazy_gettext("Procurement plan"), Listing("procurement-plan", "contracts", "/plan-lines", (
        text_column("title", lazy_gettext("Title")), text_column("cpv_code", lazy_gettext("CPV code")),
        _money("budget", lazy_gettext("Budget")), text_column("currency", lazy_gettext("Currency")),
        date_column("planned_tender_on", lazy_gettext("Tender planned on")),
        status_column("status", lazy_gettext("Status"), PROCUREMENT_STATUS_NAMES))),
        ("status", "procurement_method", "cpv_prefix", "programme", "tender_from", "tender_until"),
        {"planned_tender_on": lazy_gettext("earliest tender first"),
         "-budget_amount": lazy_gettext("largest budget first"), "title": lazy_gettext("title"),
         "status": lazy_gettext("status")},
        ("draft", "approved", "tendered", "cancelled")),
    "tenders": Register(lazy_gettext("Tenders"), Listing("tenders", "contracts", "/tenders", (
        text_column("title", lazy_gettext("Title")), text_column("ocid", lazy_gettext("OCDS id")),
        _money("value", lazy_gettext("Value")), text_column("submission_deadline", lazy_gettext("Submission deadline")),
        status_column("status", lazy_gettext("Status"), PROCUREMENT_STATUS_NAMES))),
        ("status", "procurement_method", "deadline_from", "deadline_until"),
        {"-submission_deadline": lazy_gettext("latest deadline first"),
         "submission_deadline": lazy_gettext("earliest deadline first"), "title": lazy_gettext("title"),
         "status": lazy_gettext("status")},
        ("planning", "active", "complete", "cancelled", "unsuccessful")),
    "contracts": Register(lazy_gettext("Contracts"), Listing("contracts", "contracts", "/contracts", (
        text_column("title", lazy_gettext("Title")), _money("value", lazy_gettext("Value")),
        date_column("period_start", lazy_gettext("From")), date_column("period_end", lazy_gettext("Until")),
        status_column("status", lazy_gettext("Status"), PROCUREMENT_STATUS_NAMES))),
        ("status", "ends_before"),
        {"-created_at": lazy_gettext("newest first"), "period_end": lazy_gettext("ending first"),
         "status": lazy_gettext("status")},
        ("pending", "active", "cancelled", "terminated", "completed")),
    "agreements": Register(lazy_gettext("Cooperation agreements"), Listing("agreements", "contracts", "/agreements", (
        text_column("title", lazy_gettext("Title")), text_column("partner_name", lazy_gettext("Partner")),
        status_column("kind", lazy_gettext("Kind"), AGREEMENT_KINDS), text_column("country", lazy_gettext("Country")),
        date_column("valid_until", lazy_gettext("Valid until")),
        status_column("status", lazy_gettext("Status"), PROCUREMENT_STATUS_NAMES))),
        ("status", "kind", "country", "partner_id", "expiring_within_days"),
        {"valid_until": lazy_gettext("expiring first"), "partner_name": lazy_gettext("partner"),
         "-created_at": lazy_gettext("newest first")},
        ("draft", "submitted", "approved", "cleared", "signed", "terminated", "cancelled")),
    "commitments": Register(lazy_gettext("Investor commitments"), Listing("commitments", "contracts", "/commitments", (
        text_column("obligation", lazy_gettext("Obligation")),
        text_column("counterparty_name", lazy_gettext("Counterparty")),
        text_column("responsible_body", lazy_gettext("Responsible")), date_column("due_on", lazy_gettext("Due on")),
        status_column("status", lazy_gettext("Status"), PROCUREMENT_STATUS_NAMES))),
        ("status", "country", "responsible_body", "overdue", "due_within_days"),
        {"due_on": lazy_gettext("due first"), "counterparty_name": lazy_gettext("counterparty"),
         "status": lazy_gettext("status")},
        ("open", "fulfilled", "breached", "cancelled")),
}
# Each record's page: what it reads, in parallel ({id} is the record's id).
RECORDS = {
    "plan": {"record": "/plan-lines/{id}", "tenders": ("/tenders", {"plan_line_id": "{id}"})},
    "tenders": {"record": "/tenders/{id}", "enquiries": ("/tenders/{id}/enquiries", ALL),
                "bids": ("/tenders/{id}/bids", ALL), "auctions": ("/tenders/{id}/auctions", ALL),
                "awards": ("/tenders/{id}/awards", ALL), "suppliers": ("/suppliers", {**ALL, "sort": "legal_name"}),
                "contracts": ("/contracts", {"tender_id": "{id}"})},
    "auctions": {"record": "/auctions/{id}", "bids": ("/auctions/{id}/bids", {"sort": "-sequence", "page_size": 20}),
                 "suppliers": ("/suppliers", {**ALL, "sort": "legal_name"})},
    "awards": {"record": "/awards/{id}", "suppliers": ("/suppliers", {**ALL, "sort": "legal_name"})},
    "contracts": {"record": "/contracts/{id}", "milestones": ("/contracts/{id}/milestones", ALL),
                  "amendments": ("/contracts/{id}/amendments", ALL), "payments": ("/contracts/{id}/payments", ALL)},
    "agreements": {"record": "/agreements/{id}", "amendments": ("/agreements/{id}/amendments", ALL),
                   "documents": ("/agreements/{id}/documents", ALL)},
    "commitments": {"record": "/commitments/{id}"},
}


FILTER_NAMES = {
    "procurement_method": lazy_gettext("Method"), "cpv_prefix": lazy_gettext("CPV code starts with"),
    "programme": lazy_gettext("Programme"), "tender_from": lazy_gettext("Tender planned from"),
    "tender_until": lazy_gettext("until"), "deadline_from": lazy_gettext("Deadline from"),
    "deadline_until": lazy_gettext("until"), "ends_before": lazy_gettext("Ending before"),
    "kind": lazy_gettext("Kind"), "partner_id": lazy_gettext("The partner's id in outreach"),
    "country": lazy_gettext("Country"), "expiring_within_days": lazy_gettext("Expiring within (days)"),
    "responsible_body": lazy_gettext("Responsible"), "due_within_days": lazy_gettext("Due within (days)"),
}
NEW_TITLES = {"plan": lazy_gettext("Add a line to the plan"), "agreements": lazy_gettext("Draft an agreement"),
              "commitments": lazy_gettext("Register a commitment")}
PROCUREMENT_METHODS = {
    "open": lazy_gettext("open procedure"), "selective": lazy_gettext("restricted procedure"),
    "limited": lazy_gettext("negotiated procedure"), "direct": lazy_gettext("direct award"),
    "request_for_quotations": lazy_gettext("request for quotations"),
    "reverse_auction": lazy_gettext("reverse auction")}
CHOICES = {
    "procurement_methods": PROCUREMENT_METHODS,
    "categories": {"services": lazy_gettext("services"), "goods": lazy_gettext("goods"),
                   "works": lazy_gettext("works")},
    "award_criteria": {"priceOnly": lazy_gettext("the lowest price"),
                       "ratedCriteria": lazy_gettext("weighted criteria")},
    "partner_kinds": {"city": lazy_gettext("city"), "region": lazy_gettext("region"),
                      "authority": lazy_gettext("authority"), "organisation": lazy_gettext("organisation")},
    "counterparty_kinds": {"investor": lazy_gettext("investor"),
                           "economic_agent": lazy_gettext("economic agent")},
    "agreement_kinds": AGREEMENT_KINDS,
}
# The lifecycle actions offered as buttons; signing, clearing and fulfilling have forms of their own.
OFFERED = ("submit", "approve", "send-back", "cancel", "publish", "complete", "fail", "activate", "terminate",
           "breach")


def _context(answers: dict | None = None, record: dict | None = None) -> dict:
    """What every procurement template may use: the registers, the choices of the forms in the person's language,
    the suppliers by name, the record's lots."""
    suppliers = answers["suppliers"].items if answers and "suppliers" in answers else []
    return {"registers": REGISTERS, "filter_names": FILTER_NAMES, "new_titles": NEW_TITLES, "offered": OFFERED,
            "tabs": [name for name in REGISTERS if name in SHARED or has_role(*PROCUREMENT)],
            "writes": has_role(*PROCUREMENT), "acts": acts, "agreement_kind_names": AGREEMENT_KINDS,
            **{name: list(choices.items()) for name, choices in CHOICES.items()},
            "supplier_options": [(one["id"], f"{one['legal_name']} ({one['country']})") for one in suppliers],
            "supplier_names": {one["id"]: one["legal_name"] for one in suppliers},
            "lot_options": [(lot["id"], lot["title"]) for lot in (record or {}).get("lots", [])],
            "standstill_left": standstill_left}


def acts(kind: str, action: str) -> bool:
    """Whether the person's roles take `action` on a record of `kind` (the API says when it is allowed)."""
    return has_role(*ACTORS.get((kind, action), PROCUREMENT))


def standstill_left(ends_at: str) -> str:
    left = datetime.fromisoformat(ends_at) - datetime.now(UTC)
    if left.total_seconds() <= 0:
        return _("the standstill is over")
    return _("%(days)s days %(hours)s h %(minutes)s min left", days=left.days, hours=left.seconds // 3600,
             minutes=left.seconds % 3600 // 60)


def _register(name: str) -> Register:
    if name not in REGISTERS:
        abort(404)
    if name not in SHARED and not has_role(*PROCUREMENT):
        abort(403)
    return REGISTERS[name]


def _readable(answer: Answer) -> Answer:
    """A shared register's answer: the API's refusal is the page's."""
    if answer.status == 403:
        abort(403)
    return answer


def _asked(register: Register) -> tuple[dict, str]:
    filters = {name: request.args.get(name, "") for name in register.filters}
    sort = request.args.get("sort") if request.args.get("sort") in register.sorts else next(iter(register.sorts))
    return filters, sort


@procurement_pages.get("/procurement/<name>")
@signed_in
def register_list(name: str):
    return list_page(name)


def list_page(name: str, forms: dict[str, FormState] | None = None):
    register = _register(name)
    filters, sort = _asked(register)
    answer = _readable(read_all(list=("contracts", register.listing.path, {
        **filters, "sort": sort, **page_asked(), "page_size": PAGE_SIZE}))["list"])
    template = "procurement/_rows.html" if request.headers.get("HX-Request") else "procurement/list.html"
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template(template, name=name, register=register, answer=answer, filters=filters, sort=sort,
                           forms=forms, here={**filters, "sort": sort}, **_context()), status


@procurement_pages.get("/procurement/<name>/export/<file_format>")
@signed_in
def export_register(name: str, file_format: str):
    register = _register(name)
    filters, sort = _asked(register)
    return export(register.listing, file_format, {**filters, "sort": sort})


@procurement_pages.get("/procurement/<kind>/<record_id>")
@signed_in
def record(kind: str, record_id: str):
    return record_page(kind, record_id)


def record_page(kind: str, record_id: str, forms: dict[str, FormState] | None = None):
    if kind not in RECORDS or (kind not in SHARED and not has_role(*PROCUREMENT)):
        abort(404 if kind not in RECORDS else 403)
    answers = read_all(**{name: _read(reads, record_id) for name, reads in RECORDS[kind].items()})
    if answers["record"].status == 404:
        abort(404)
    _readable(answers["record"])
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    record = answers["record"].body if answers["record"].ok else None
    return render_template(f"procurement/{kind}.html", kind=kind, record=record, answers=answers, forms=forms,
                           **_context(answers, record)), status


def _read(reads, record_id: str) -> tuple:
    path, params = (reads, {}) if isinstance(reads, str) else reads
    return ("contracts", path.format(id=record_id),
            {name: str(value).format(id=record_id) for name, value in params.items()})


@procurement_pages.get("/procurement/auctions/<auction_id>/live")
@signed_in
def auction_live(auction_id: str):
    """The auction's standing as server-sent events, each a fragment of the page (decision 0110)."""
    if not has_role(*PROCUREMENT):
        abort(403)
    watch = current_app.extensions["console.auctions"]
    joined = watch.join(auction_id, access_token())
    if joined is None:
        return too_many_streams(watch.slots).to_response()

    def fragment(auction: dict, bids: list) -> str:
        return render_template("procurement/_auction_live.html", auction=auction, bids=bids)

    response = Response(stream_with_context(watch.stream(*joined, fragment)), mimetype="text/event-stream",
                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    response.call_on_close(lambda: watch.leave(*joined))
    return response


@procurement_pages.get("/procurement/tenders/<tender_id>/ocds")
@signed_in
def ocds_package(tender_id: str):
    """The contracting process as the service exports it: an OCDS 1.1.5 release package (JSON)."""
    document = pass_document("contracts", f"/tenders/{tender_id}/ocds/releases")
    if document.status_code == 200:
        document.headers["Content-Disposition"] = f'attachment; filename="ocds-{tender_id}.json"'
    return document


@procurement_pages.get("/procurement/cpv-codes")
@signed_in
def cpv_codes():
    """The CPV codes matching what was typed, as the options of the plan form's list (htmx swaps them)."""
    answer = read_all(found=("contracts", "/cpv-codes", {"q": request.args.get("cpv_code", ""), "page_size": 30}))[
        "found"]
    return render_template("procurement/_cpv_options.html", answer=answer)
