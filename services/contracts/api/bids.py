"""Sealed bids: taken while the tender is active and before its deadline; nobody reads a value before then."""

from __future__ import annotations

from sqlalchemy import select

from services.contracts.api import bid_schemas
from services.contracts.api.bid_schemas import BidCreate, BidOut, BidPath
from services.contracts.api.common import PROCUREMENT, named, now
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.tender import is_sealed
from services.contracts.events.contents import value
from services.contracts.operations.bids import find_bid, withdraw_bid
from services.contracts.operations.bids import submit_bid as submit
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Bid, Tender
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, sorted_by, where_set
from shared.http.views import blueprint
from shared.http.work import read_only, unit_of_work

bids_api = blueprint("bids", __name__, "Sealed bids: values hidden until the deadline")


def serialize(bid: Bid, tender: Tender) -> dict:
    sealed = is_sealed(tender.submission_deadline, now())
    return BidOut(
        id=bid.id, tender_id=bid.tender_id, lot_id=bid.lot_id, supplier_id=bid.supplier_id, status=bid.status,
        status_reason=bid.status_reason,
        submitted_at=bid.submitted_at, withdrawn_at=bid.withdrawn_at, version=bid.version, sealed=sealed,
        value=None if sealed else value(bid.amount, bid.currency),
        final_value=None if sealed else value(bid.final_amount, bid.currency),
    ).model_dump(mode="json")


@bids_api.post("/tenders/<tender_id>/bids", summary="Submit a sealed bid (before the submission deadline)",
               responses={201: BidOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def submit_bid(path: TenderPath, body: BidCreate):
    with unit_of_work() as uow:
        bid, tender = submit(uow, path.tender_id, body.supplier_id, body.lot_id, body.value.model_dump())
        return created(uow, serialize(bid, tender), f"/api/v1/tenders/{tender.id}/bids/{bid.id}", bid.version)


# No sorting by value: the order alone would unseal the bids.
BID_ORDER = {"submitted_at": Bid.submitted_at}
BidQuery = sorted_by(bid_schemas.BidQuery, BID_ORDER)


@bids_api.get("/tenders/<tender_id>/bids", summary="List a tender's bids (values only after the deadline)",
              responses={200: Page[BidOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_bids(path: TenderPath, query: BidQuery):
    statement = select(Bid).where(Bid.tender_id == path.tender_id)
    statement = where_set(statement, Bid, query, ("lot_id", "supplier_id", "status"))
    statement = apply_sort(statement, query.sort, BID_ORDER, [Bid.submitted_at, Bid.id])
    with read_only() as session:
        tender = find_tender(session, path.tender_id)
        return json_response(paginate(session, statement, query, lambda bid: serialize(bid, tender)))


@bids_api.get("/tenders/<tender_id>/bids/<bid_id>", summary="Read a bid (its value only after the deadline)",
              responses={200: BidOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_bid(path: BidPath):
    with read_only() as session:
        bid, tender = find_bid(session, path.tender_id, path.bid_id)
        return record_response(serialize(bid, tender), bid.version)


def withdraw(path: BidPath):
    with unit_of_work() as uow:
        bid, tender = withdraw_bid(uow, path.tender_id, path.bid_id, if_match())
        return record_response(serialize(bid, tender), bid.version)


bids_api.post("/tenders/<tender_id>/bids/<bid_id>/withdraw", summary="Withdraw a bid before the deadline",
              responses={200: BidOut, **problem_responses(404, 409, 412)})(
    allow(*PROCUREMENT)(named("withdraw_bid", withdraw)))
