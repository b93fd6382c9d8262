"""Every change the procurement officer makes at the console: a form posted to one route, sent to the contracts
API as `CHANGES` says, with If-Match where the form carries the record's version. A refusal is shown beside its
fields on the page the form was on; a 412 names what someone else changed."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from services.console.forms import body_of, refusal, stale, typed
from services.console.marking import MARKING_FIELDS, marked
from services.console.pages.procurement import list_page, record_page
from services.console.pages.trip_work import Change
from services.console.web import call, refuse_expired, signed_in

procurement_work_pages = Blueprint("procurement_work", __name__)
MONEY = ("amount", "currency")


def valued(key: str):
    """The form's amount and currency as the API's money object under `key` (left out when no amount was typed)."""
    def shape(body: dict) -> dict:
        amount, currency = body.pop("amount", ""), body.pop("currency", "")
        return {**body, key: {"amount": amount, "currency": currency}} if amount else body
    return shape


def _lines(text: str, names: tuple[str, ...]) -> list[dict]:
    """A textarea typed one item a line, its parts separated by semicolons, as the API's list of objects."""
    return [dict(zip(names, (part.strip() for part in line.split(";", len(names) - 1)), strict=False))
            for line in text.splitlines() if line.strip()]


def _tender(body: dict) -> dict:
    body = valued("value")(body)
    currency = body["value"]["currency"] if "value" in body else ""
    if body.get("minimum_step"):
        body["minimum_step"] = {"amount": body["minimum_step"], "currency": currency}
    body["lots"] = [{"title": lot["title"], "value": {"amount": lot.get("amount", ""), "currency": currency}}
                    for lot in _lines(body.pop("lots", ""), ("title", "amount"))]
    return {**body, **{name: _utc(body[name]) for name in ("enquiry_ends_at", "submission_deadline") if name in body}}


def _utc(moment: str) -> str:
    """A date and time typed in the form's UTC field (a datetime-local input sends it without its offset, to the
    minute or to the second)."""
    return {16: moment + ":00Z", 19: moment + "Z"}.get(len(moment), moment)


def _auction(body: dict) -> dict:
    return {**body, "starts_at": _utc(body["starts_at"])} if body.get("starts_at") else body


def _supplier(body: dict) -> dict:
    identifier = {"scheme": body.pop("scheme", ""), "id": body.pop("identifier", "")}
    return {**body, "identifier": identifier}


def _agreement(body: dict) -> dict:
    areas = [area.strip() for area in body.pop("areas", "").split(",") if area.strip()]
    return {**body, "areas": areas,
            "activities": _lines(body.pop("activities", ""), ("due_on", "responsible_body", "title"))}


PLAN_FIELDS = ("title", "description", *MONEY, "cpv_code", "procurement_method", "planned_tender_on",
               "planned_delivery_by", "programme")
PLAN_LINE, TENDER, AUCTION, AWARD = "/plan-lines/{id}", "/tenders/{id}", "/auctions/{id}", "/awards/{id}"
CONTRACT, AGREEMENT, COMMITMENT = "/contracts/{id}", "/agreements/{id}", "/commitments/{id}"
REASON = ("reason",)
AGREEMENT_FIELDS = ("title", "kind", "partner_name", "partner_id", "country", "areas", "valid_from", "valid_until",
                    "activities")
AGREEMENT_OPTIONAL = ("partner_id", "areas", "activities")


def _acting(path: str, *actions: str, fields: tuple[str, ...] = ()) -> dict:
    return {action: Change("POST", f"{path}/{action}", fields, record=path) for action in actions}


CHANGES: dict[str, dict[str, Change]] = {
    "plan": {
        "new": Change("POST", "/plan-lines", PLAN_FIELDS, ("description",), shape=valued("budget")),
        "edit": Change("PATCH", PLAN_LINE, PLAN_FIELDS, ("description",), shape=valued("budget"), record=PLAN_LINE),
        **_acting(PLAN_LINE, "approve"), **_acting(PLAN_LINE, "cancel", fields=REASON),
        "tender": Change("POST", "/tenders", (
            "plan_line_id", "title", "description", "main_procurement_category", "award_criteria", *MONEY,
            "minimum_step", "enquiry_ends_at", "submission_deadline", "lots"),
            ("description", "minimum_step", "lots"), shape=_tender),
    },
    "tenders": {
        **_acting(TENDER, "publish", "complete"), **_acting(TENDER, "fail", "cancel", fields=REASON),
        "supplier": Change("POST", "/suppliers", ("legal_name", "country", "scheme", "identifier"), shape=_supplier),
        "ask": Change("POST", TENDER + "/enquiries", ("supplier_id", "question"), ("supplier_id",)),
        "answer": Change("POST", TENDER + "/enquiries/{sub}/answer", ("answer",)),
        "bid": Change("POST", TENDER + "/bids", ("supplier_id", "lot_id", *MONEY), ("lot_id",), shape=valued("value")),
        "auction": Change("POST", TENDER + "/auctions", ("lot_id", "starts_at", "rounds", "round_seconds"),
                          ("lot_id",), shape=_auction),
        "evaluate": Change("POST", TENDER + "/awards", ("lot_id", "standstill_days"), ("lot_id",)),
    },
    "auctions": {
        "bid": Change("POST", AUCTION + "/bids", ("supplier_id", *MONEY), shape=valued("value")),
        **_acting(AUCTION, "finish"),
    },
    "awards": {
        **_acting(AWARD, "activate"), **_acting(AWARD, "cancel", fields=REASON),
        "contract": Change("POST", "/contracts", ("award_id", "title", "period_start", "period_end",
                                                  "buyer_signatory", "supplier_signatory")),
    },
    "contracts": {
        "sign": Change("POST", CONTRACT + "/sign", ("party", "signed_on"), record=CONTRACT),
        **_acting(CONTRACT, "complete"), **_acting(CONTRACT, "cancel", "terminate", fields=REASON),
        "milestone": Change("POST", CONTRACT + "/milestones", ("title", "type", "due_on", *MONEY), MONEY,
                            shape=valued("value")),
        "meet": Change("POST", CONTRACT + "/milestones/{sub}/meet", ("on",), ("on",)),
        "miss": Change("POST", CONTRACT + "/milestones/{sub}/miss", REASON),
        "amend": Change("POST", CONTRACT + "/amendments", ("rationale", "title", *MONEY, "period_end"),
                        ("title", *MONEY, "period_end"), shape=valued("value"), record=CONTRACT),
        "payment": Change("POST", CONTRACT + "/payments", (*MONEY, "paid_on", "reference", "milestone_id"),
                          ("milestone_id",), shape=valued("value")),
    },
    "agreements": {
        "new": Change("POST", "/agreements", ("partner_kind", *AGREEMENT_FIELDS, *MARKING_FIELDS),
                      (*AGREEMENT_OPTIONAL, *MARKING_FIELDS), shape=lambda body: _agreement(marked(body))),
        # who may see it, in any state: a signed agreement made open (decision 0190)
        "marking": Change("PATCH", AGREEMENT, MARKING_FIELDS, MARKING_FIELDS, shape=marked, record=AGREEMENT),
        "edit": Change("PATCH", AGREEMENT, AGREEMENT_FIELDS, AGREEMENT_OPTIONAL, shape=_agreement, record=AGREEMENT),
        **_acting(AGREEMENT, "submit", "approve"),
        **_acting(AGREEMENT, "send-back", "terminate", "cancel", fields=REASON),
        "clear": Change("POST", AGREEMENT + "/clear", ("cleared_on", "reference"), record=AGREEMENT),
        "sign": Change("POST", AGREEMENT + "/sign", ("signed_on", "signatories"), ("signatories",), record=AGREEMENT),
        "amend": Change("POST", AGREEMENT + "/amendments", ("rationale", "valid_until"), ("valid_until",),
                        record=AGREEMENT),
        "document": Change("POST", AGREEMENT + "/documents", ("title", "url", "language"), ("language",)),
    },
    "commitments": {
        "new": Change("POST", "/commitments", ("obligation", "counterparty_name", "counterparty_kind", "country",
                                               "responsible_body", "due_on", *MONEY), MONEY, shape=valued("value")),
        "fulfil": Change("POST", COMMITMENT + "/fulfil", ("fulfilled_on", "evidence"), record=COMMITMENT),
        **_acting(COMMITMENT, "breach", "cancel", fields=REASON),
    },
}
# The changes that create a record with a page of its own: where the person goes next.
LEADS_TO = {("plan", "new"): "plan", ("plan", "tender"): "tenders", ("tenders", "auction"): "auctions",
            ("tenders", "evaluate"): "awards", ("awards", "contract"): "contracts",
            ("agreements", "new"): "agreements", ("commitments", "new"): "commitments"}


def _sent(kind: str, change: str, record_id: str, sub_id: str):
    spec = CHANGES.get(kind, {}).get(change)
    if spec is None:
        abort(404)
    values = typed(spec.fields)
    body = body_of(values, spec.optional)
    body = spec.shape(body) if spec.shape else body
    version = request.form.get("version")
    answer = refuse_expired(call(spec.method, "contracts", spec.path.format(id=record_id, sub=sub_id), json=body,
                                 headers={"If-Match": f'"{version}"'} if version else None))
    return spec, values, answer


@procurement_work_pages.post("/procurement/<kind>/new")
@signed_in
def create(kind: str):
    spec, values, answer = _sent(kind, "new", "", "")
    if answer.ok:
        return redirect(url_for("procurement.record", kind=LEADS_TO[(kind, "new")], record_id=answer.body["id"]))
    return list_page(kind, {"new": refusal(answer, values)})


@procurement_work_pages.post("/procurement/<kind>/<record_id>/<change>")
@procurement_work_pages.post("/procurement/<kind>/<record_id>/<change>/<sub_id>")
@signed_in
def change(kind: str, record_id: str, change: str, sub_id: str = ""):
    spec, values, answer = _sent(kind, change, record_id, sub_id)
    key = "-".join(part for part in (change, sub_id) if part)
    if answer.ok:
        leads_to = LEADS_TO.get((kind, change))
        if leads_to:
            return redirect(url_for("procurement.record", kind=leads_to, record_id=answer.body["id"]))
        return redirect(url_for("procurement.record", kind=kind, record_id=record_id) + f"#{key}")
    if answer.status == 412 and spec.record:
        return record_page(kind, record_id, {key: stale(spec.record.format(id=record_id), values,
                                                        service="contracts")})
    return record_page(kind, record_id, {key: refusal(answer, values)})
