"""Sealed bids: taken while the tender is active and before its deadline; nobody reads a value before then."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.common import BODY_PROBLEMS, PROCUREMENT, find, invalid, named, now, record_response
from services.contracts.api.tender_schemas import BidCreate, BidOut, BidPath, BidQuery, TenderPath
from services.contracts.domain.tender import TenderProblem, TenderStatus, check_bid_accepted, is_sealed
from services.contracts.store.models import Bid, Lot, Supplier, Tender
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

bids_api = APIBlueprint("bids", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                        abp_responses=problem_responses(401, 403, 422),
                        abp_tags=[Tag(name="bids", description="Sealed bids: values hidden until the deadline")])
EVENT_FIELDS = ("id", "tender_id", "lot_id", "supplier_id", "status", "submitted_at", "withdrawn_at", "version")


def serialize(bid: Bid, tender: Tender) -> dict:
    sealed = is_sealed(tender.submission_deadline, now())
    return BidOut(
        id=bid.id, tender_id=bid.tender_id, lot_id=bid.lot_id, supplier_id=bid.supplier_id, status=bid.status,
        status_reason=bid.status_reason,
        submitted_at=bid.submitted_at, withdrawn_at=bid.withdrawn_at, version=bid.version, sealed=sealed,
        value=None if sealed else {"amount": bid.amount, "currency": bid.currency},
        final_value=None if sealed or bid.final_amount is None else {"amount": bid.final_amount,
                                                                     "currency": bid.currency},
    ).model_dump(mode="json")


def emit(uow: UnitOfWork, bid: Bid, tender: Tender, action: str, changes: dict) -> dict:
    """The event and the audit record never carry the value: it is sealed whenever a bid changes."""
    uow.session.flush()
    body = serialize(bid, tender)
    uow.emit(f"chancery.contracts.bid.{action}.v1", bid.id, {name: body[name] for name in EVENT_FIELDS})
    uow.audit(f"bid.{action}", "bid", bid.id, changes)
    return body


def refused(error: TenderProblem) -> Problem:
    return Problem(409, "Bid refused", str(error), slug="bid-refused", reason=str(error),
                   errors=[{"field": error.field, "message": str(error)}])


def lot_of(session, tender: Tender, lot_id: str | None) -> Lot:
    if lot_id is None:
        if len(tender.lots) != 1:
            raise invalid("lot_id", "the tender has several lots: name the one the bid is for")
        return tender.lots[0]
    lot = session.get(Lot, lot_id)
    if lot is None or lot.tender_id != tender.id:
        raise invalid("lot_id", "no such lot in this tender")
    return lot


@bids_api.post("/tenders/<tender_id>/bids", summary="Submit a sealed bid (before the submission deadline)",
               responses={201: BidOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def submit_bid(path: TenderPath, body: BidCreate):
    with unit_of_work() as uow:
        tender = find(uow.session, Tender, path.tender_id, "tender")
        find(uow.session, Supplier, body.supplier_id, "supplier")
        try:
            check_bid_accepted(TenderStatus(tender.status), tender.submission_deadline, now())
        except TenderProblem as error:
            raise refused(error) from error
        lot = lot_of(uow.session, tender, body.lot_id)
        if body.value.currency != tender.currency:
            raise invalid("value.currency", f"bids on this tender are in {tender.currency}")
        if uow.session.scalar(select(Bid.id).where(Bid.lot_id == lot.id, Bid.supplier_id == body.supplier_id)):
            raise Problem(409, "Bid refused", "this supplier has already bid for this lot", slug="bid-refused",
                          reason="one bid per supplier and lot")
        bid = Bid(tender_id=tender.id, lot_id=lot.id, supplier_id=body.supplier_id, amount=body.value.amount,
                  currency=body.value.currency, status="pending", submitted_at=now(), version=1,
                  created_by=uow.actor)
        uow.session.add(bid)
        out = emit(uow, bid, tender, "submitted", {"lot_id": lot.id, "supplier_id": body.supplier_id,
                                                   "value": "sealed"})
        return created(uow, out, f"/api/v1/tenders/{tender.id}/bids/{bid.id}", bid.version)


@bids_api.get("/tenders/<tender_id>/bids", summary="List a tender's bids (values only after the deadline)",
              responses={200: Page[BidOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_bids(path: TenderPath, query: BidQuery):
    statement = select(Bid).where(Bid.tender_id == path.tender_id)
    for name in ("lot_id", "supplier_id", "status"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Bid, name) == getattr(query, name))
    # No sorting by value: the order alone would unseal the bids.
    statement = apply_sort(statement, query.sort, {"submitted_at": Bid.submitted_at}, [Bid.submitted_at, Bid.id])
    with read_only() as session:
        tender = find(session, Tender, path.tender_id, "tender")
        return json_response(paginate(session, statement, query, lambda bid: serialize(bid, tender)))


def find_bid(session, path: BidPath, *, for_update: bool = False) -> tuple[Bid, Tender]:
    tender = find(session, Tender, path.tender_id, "tender")
    bid = find(session, Bid, path.bid_id, "bid", for_update=for_update)
    if bid.tender_id != tender.id:
        raise Problem(404, "Not found", f"No bid {path.bid_id} on this tender", slug="not-found")
    return bid, tender


@bids_api.get("/tenders/<tender_id>/bids/<bid_id>", summary="Read a bid (its value only after the deadline)",
              responses={200: BidOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_bid(path: BidPath):
    with read_only() as session:
        bid, tender = find_bid(session, path)
        return record_response(serialize(bid, tender), bid.version)


def withdraw(path: BidPath):
    with unit_of_work() as uow:
        bid, tender = find_bid(uow.session, path, for_update=True)
        require_fresh(bid.version)
        if bid.status != "pending":
            raise Problem(409, "Bid refused", f"the bid is {bid.status}", slug="bid-refused", allowed_actions=[])
        try:
            check_bid_accepted(TenderStatus(tender.status), tender.submission_deadline, now())
        except TenderProblem as error:
            raise refused(error) from error
        bid.status, bid.withdrawn_at, bid.version = "withdrawn", now(), bid.version + 1
        return record_response(emit(uow, bid, tender, "withdrawn", {"status": ["pending", "withdrawn"]}),
                               bid.version)


bids_api.post("/tenders/<tender_id>/bids/<bid_id>/withdraw", summary="Withdraw a bid before the deadline",
              responses={200: BidOut, **problem_responses(404, 409, 412)})(
    allow(*PROCUREMENT)(named("withdraw_bid", withdraw)))
