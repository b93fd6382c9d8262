"""Electronic reverse auctions: scheduling one for a lot, bidding round by round, posting the result."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.auction_schemas import (
    AuctionBidCreate,
    AuctionBidOut,
    AuctionBidQuery,
    AuctionCreate,
    AuctionOut,
    AuctionPath,
)
from services.contracts.api.common import PROCUREMENT, now
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.auction import phase
from services.contracts.events.contents import auction_result, leader_label, value
from services.contracts.operations import auctions
from services.contracts.operations.auctions import find_auction, rounds_of
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Auction, AuctionBid
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

auctions_api = APIBlueprint("auctions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="auctions", description="Electronic reverse auctions")])


def serialize(auction: Auction) -> dict:
    rounds, at = rounds_of(auction), now()
    current = rounds.current(at)
    finished = auction.finished_at is not None
    return AuctionOut(
        id=auction.id, tender_id=auction.tender_id, lot_id=auction.lot_id,
        phase=phase(rounds, finished, at), current_round=None if finished else current,
        round_ends_at=rounds.round_ends_at(current) if current and not finished else None,
        starts_at=auction.starts_at, ends_at=rounds.ends_at, rounds=auction.rounds,
        round_seconds=auction.round_seconds, minimum_step=value(auction.minimum_step_amount, auction.currency),
        best=value(auction.best_amount, auction.currency), leader_label=leader_label(auction),
        participants=[{"label": p.label, "price": value(p.last_amount, auction.currency)}
                      for p in auction.participants],
        result=auction_result(auction), version=auction.version,
    ).model_dump(mode="json")


def auction_response(auction: Auction):
    return record_response(serialize(auction), auction.version)


@auctions_api.post("/tenders/<tender_id>/auctions",
                   summary="Schedule the reverse auction of a lot, after the submission deadline",
                   responses={201: AuctionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def schedule_auction(path: TenderPath, body: AuctionCreate):
    with unit_of_work() as uow:
        auction = auctions.schedule_auction(uow, path.tender_id, body.lot_id, body.starts_at, body.rounds,
                                            body.round_seconds, body.model_dump(mode="json"))
        return created(uow, serialize(auction), f"/api/v1/auctions/{auction.id}", auction.version)


@auctions_api.get("/tenders/<tender_id>/auctions", summary="List a tender's auctions",
                  responses={200: Page[AuctionOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_auctions(path: TenderPath, query: PageQuery):
    statement = select(Auction).where(Auction.tender_id == path.tender_id)
    statement = apply_sort(statement, query.sort, {"starts_at": Auction.starts_at}, [Auction.starts_at, Auction.id])
    with read_only() as session:
        find_tender(session, path.tender_id)
        return json_response(paginate(session, statement, query, serialize))


@auctions_api.get("/auctions/<auction_id>", summary="Read an auction: round, best price, anonymous bidders",
                  responses={200: AuctionOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_auction(path: AuctionPath):
    with read_only() as session:
        return auction_response(find_auction(session, path.auction_id))


def serialize_bid(bid: AuctionBid, labels: dict[str, str], currency: str) -> dict:
    return AuctionBidOut(id=bid.id, auction_id=bid.auction_id, sequence=bid.sequence, round=bid.round,
                         label=labels[bid.participant_id], price=value(bid.amount, currency), accepted=bid.accepted,
                         took_lead=bid.took_lead, reason=bid.reason, placed_at=bid.placed_at).model_dump(mode="json")


@auctions_api.post("/auctions/<auction_id>/bids",
                   summary="Place a bid in the running round (refused with a reason when late or too high)",
                   responses={201: AuctionBidOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def place_auction_bid(path: AuctionPath, body: AuctionBidCreate):
    with unit_of_work() as uow:
        attempt, auction = auctions.place_auction_bid(uow, path.auction_id, body.supplier_id, body.value.model_dump())
        if not attempt.accepted:  # answered, not raised: the refused attempt is part of the record
            return Problem("bid-refused", attempt.reason, reason=attempt.reason,
                           sequence=attempt.sequence).to_response()
        labels = {p.id: p.label for p in auction.participants}
        return created(uow, serialize_bid(attempt, labels, auction.currency),
                       f"/api/v1/auctions/{auction.id}/bids/{attempt.id}", 1)


@auctions_api.get("/auctions/<auction_id>/bids", summary="Every bid attempt of an auction, accepted or refused",
                  responses={200: Page[AuctionBidOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_auction_bids(path: AuctionPath, query: AuctionBidQuery):
    statement = select(AuctionBid).where(AuctionBid.auction_id == path.auction_id)
    if query.accepted is not None:
        statement = statement.where(AuctionBid.accepted.is_(query.accepted))
    if query.round is not None:
        statement = statement.where(AuctionBid.round == query.round)
    statement = apply_sort(statement, query.sort, {"sequence": AuctionBid.sequence, "amount": AuctionBid.amount},
                           [AuctionBid.sequence])
    with read_only() as session:
        auction = find_auction(session, path.auction_id)
        labels = {p.id: p.label for p in auction.participants}
        return json_response(paginate(session, statement, query,
                                      lambda bid: serialize_bid(bid, labels, auction.currency)))


@auctions_api.post("/auctions/<auction_id>/finish",
                   summary="After the last round: post the result (each bidder's last price) to the tender",
                   responses={200: AuctionOut, **problem_responses(404, 409, 412)})
@allow(*PROCUREMENT)
def finish_auction(path: AuctionPath):
    with unit_of_work() as uow:
        return auction_response(auctions.finish_auction(uow, path.auction_id, if_match()))
