"""Electronic reverse auctions: scheduling one for a lot, bidding round by round, posting the result."""

from __future__ import annotations

from flask import Response, request
from sqlalchemy import select

from services.contracts.api import auction_schemas as schemas
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
from shared.http.records import BODY_PROBLEMS
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate, sorted_by
from shared.http.views import Resource, blueprint, versioned
from shared.http.work import read_only, unit_of_work

auctions_api = blueprint("auctions", __name__, "Electronic reverse auctions")


def serialize(auction: Auction) -> dict:
    rounds, at = rounds_of(auction), now()
    current = rounds.current(at)
    finished = auction.finished_at is not None
    return schemas.AuctionOut(
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


AUCTIONS = Resource(auctions_api, "/tenders/<tender_id>/auctions", "auction_id", Auction, schemas.AuctionOut,
                    PROCUREMENT,
                    PROCUREMENT, serialize=serialize, home="/auctions")
AUCTIONS.create("schedule_auction", "Schedule the reverse auction of a lot, after the submission deadline",
                schemas.AuctionCreate,
                lambda uow, ids, body: auctions.schedule_auction(uow, *ids, body.lot_id, body.starts_at, body.rounds,
                                                                 body.round_seconds, body.model_dump(mode="json")),
                path=TenderPath, problems=(404, 409))
AUCTIONS.listing("list_auctions", "List a tender's auctions", PageQuery, path=TenderPath, parent=find_tender,
                 sortable=("starts_at",), order=("starts_at",))
AUCTIONS.read("get_auction", "Read an auction: round, best price, anonymous bidders", schemas.AuctionPath)
AUCTIONS.act("finish", "finish_auction",
             "After the last round: post the result (each bidder's last price) to the tender", schemas.AuctionPath,
             versioned(auctions.finish_auction), problems=(404, 409, 412))


def serialize_bid(bid: AuctionBid, labels: dict[str, str], currency: str) -> dict:
    return schemas.AuctionBidOut(id=bid.id, auction_id=bid.auction_id, sequence=bid.sequence, round=bid.round,
                         label=labels[bid.participant_id], price=value(bid.amount, currency), accepted=bid.accepted,
                         took_lead=bid.took_lead, reason=bid.reason, placed_at=bid.placed_at).model_dump(mode="json")


@auctions_api.post("/auctions/<auction_id>/bids",
                   summary="Place a bid in the running round (refused with a reason when late or too high)",
                   responses={201: schemas.AuctionBidOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def place_auction_bid(path: schemas.AuctionPath, body: schemas.AuctionBidCreate):
    with unit_of_work() as uow:
        attempt, auction = auctions.place_auction_bid(uow, path.auction_id, body.supplier_id, body.value.model_dump())
        if not attempt.accepted:  # answered, not raised: the refused attempt is part of the record
            return Problem("bid-refused", attempt.reason, reason=attempt.reason,
                           sequence=attempt.sequence).to_response()
        labels = {p.id: p.label for p in auction.participants}
        return created(uow, serialize_bid(attempt, labels, auction.currency),
                       f"/api/v1/auctions/{auction.id}/bids/{attempt.id}", 1)


BID_ORDER = {"sequence": AuctionBid.sequence, "amount": AuctionBid.amount}
AuctionBidQuery = sorted_by(schemas.AuctionBidQuery, BID_ORDER)


@auctions_api.get("/auctions/<auction_id>/bids", summary="Every bid attempt of an auction, accepted or refused",
                  responses={200: Page[schemas.AuctionBidOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_auction_bids(path: schemas.AuctionPath, query: AuctionBidQuery):
    statement = select(AuctionBid).where(AuctionBid.auction_id == path.auction_id)
    if query.accepted is not None:
        statement = statement.where(AuctionBid.accepted.is_(query.accepted))
    if query.round is not None:
        statement = statement.where(AuctionBid.round == query.round)
    statement = apply_sort(statement, query.sort, BID_ORDER, [AuctionBid.sequence])
    with read_only() as session:
        auction = find_auction(session, path.auction_id)
        labels = {p.id: p.label for p in auction.participants}
        return json_response(paginate(session, statement, query,
                                      lambda bid: serialize_bid(bid, labels, auction.currency)))


def standing_tag(auction: Auction) -> str:
    """The standing's ETag: what changes it is a bid taken or the result posted (the version) and the clock
    opening or ending a round (the phase and round), which moves no version."""
    rounds, at = rounds_of(auction), now()
    finished = auction.finished_at is not None
    return f'"{auction.version}.{phase(rounds, finished, at).value}.{0 if finished else rounds.current(at) or 0}"'


@auctions_api.get("/auctions/<auction_id>/standing",
                  summary="An auction and its latest bid attempts in one read; 304 while unchanged (If-None-Match)",
                  responses={200: schemas.AuctionStandingOut, 304: None, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_auction_standing(path: schemas.AuctionPath, query: schemas.StandingQuery):
    """What a live page shows (decision 0180): asked for often, so an unchanged standing is answered 304 with
    neither the bids read nor anything serialised."""
    with read_only() as session:
        auction = find_auction(session, path.auction_id)
        tag = standing_tag(auction)
        if tag in {asked.strip() for asked in request.headers.get("If-None-Match", "").split(",")}:
            return Response(status=304, headers={"ETag": tag})
        labels = {p.id: p.label for p in auction.participants}
        bids = session.scalars(select(AuctionBid).where(AuctionBid.auction_id == auction.id)
                               .order_by(AuctionBid.sequence.desc()).limit(query.bids)).all()
        body = {"auction": serialize(auction), "bids": [serialize_bid(bid, labels, auction.currency) for bid in bids]}
        return json_response(body, headers={"ETag": tag, "Cache-Control": "no-cache"})
