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
from services.contracts.api.bids import lot_of
from services.contracts.api.common import BODY_PROBLEMS, PROCUREMENT, conflict, find, invalid, now, record_response
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.auction import (
    AuctionNotPossible,
    AuctionPhase,
    BidRefused,
    Rounds,
    anonymous_labels,
    check_auction_bid,
    check_auction_can_start,
    phase,
    takes_the_lead,
)
from services.contracts.store.models import Auction, AuctionBid, AuctionParticipant, Bid, Tender
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

auctions_api = APIBlueprint("auctions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="auctions", description="Electronic reverse auctions")])


def money(amount, currency) -> dict | None:
    return None if amount is None else {"amount": amount, "currency": currency}


def rounds_of(auction: Auction) -> Rounds:
    return Rounds(auction.starts_at, auction.round_seconds, auction.rounds)


def ranking(auction: Auction) -> list[AuctionParticipant]:
    """The leader first (it reached the best price first), then the others by price."""
    return sorted(auction.participants, key=lambda p: (p.id != auction.leader_id, p.last_amount, p.label))


def serialize(auction: Auction) -> dict:
    rounds, at = rounds_of(auction), now()
    current = rounds.current(at)
    labels = {participant.id: participant.label for participant in auction.participants}
    finished = auction.finished_at is not None
    return AuctionOut(
        id=auction.id, tender_id=auction.tender_id, lot_id=auction.lot_id,
        phase=phase(rounds, finished, at), current_round=None if finished else current,
        round_ends_at=rounds.round_ends_at(current) if current and not finished else None,
        starts_at=auction.starts_at, ends_at=rounds.ends_at, rounds=auction.rounds,
        round_seconds=auction.round_seconds, minimum_step=money(auction.minimum_step_amount, auction.currency),
        best=money(auction.best_amount, auction.currency), leader_label=labels.get(auction.leader_id),
        participants=[{"label": p.label, "price": money(p.last_amount, auction.currency)}
                      for p in auction.participants],
        result=[{"rank": rank, "label": p.label, "supplier_id": p.supplier_id,
                 "price": money(p.last_amount, auction.currency)}
                for rank, p in enumerate(ranking(auction), start=1)] if finished else None,
        version=auction.version,
    ).model_dump(mode="json")


def emit(uow: UnitOfWork, auction: Auction, action: str, changes: dict) -> None:
    uow.session.flush()
    uow.session.refresh(auction, ["participants"])
    body = serialize(auction)
    data = {name: body[name] for name in ("id", "tender_id", "lot_id", "starts_at", "ends_at", "rounds",
                                          "round_seconds", "minimum_step", "participants", "best",
                                          "leader_label", "result", "version")}
    uow.emit(f"chancery.contracts.auction.{action}.v1", auction.id, data)
    uow.audit(f"auction.{action}", "auction", auction.id, changes)


def not_possible(error: Exception) -> Problem:
    return Problem(409, "Auction not possible", str(error), slug="auction-not-possible", reason=str(error))


@auctions_api.post("/tenders/<tender_id>/auctions",
                   summary="Schedule the reverse auction of a lot, after the submission deadline",
                   responses={201: AuctionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def schedule_auction(path: TenderPath, body: AuctionCreate):
    with unit_of_work() as uow:
        tender = find(uow.session, Tender, path.tender_id, "tender", for_update=True)
        lot = lot_of(uow.session, tender, body.lot_id)
        bids = uow.session.scalars(select(Bid).where(Bid.lot_id == lot.id, Bid.status == "pending")
                                   .order_by(Bid.submitted_at, Bid.id)).all()
        try:
            check_auction_can_start(method=tender.procurement_method, tender_status=tender.status,
                                    submission_deadline=tender.submission_deadline, starts_at=body.starts_at,
                                    now=now(), bidders=len(bids))
        except AuctionNotPossible as error:
            raise not_possible(error) from error
        if uow.session.scalar(select(Auction.id).where(Auction.lot_id == lot.id)):
            raise not_possible("this lot already has its auction")
        auction = Auction(tender_id=tender.id, lot_id=lot.id, currency=tender.currency,
                          minimum_step_amount=tender.minimum_step_amount, starts_at=body.starts_at,
                          round_seconds=body.round_seconds, rounds=body.rounds, bids_placed=0, version=1,
                          created_by=uow.actor)
        uow.session.add(auction)
        uow.session.flush()
        participants = [AuctionParticipant(auction_id=auction.id, supplier_id=bid.supplier_id, bid_id=bid.id,
                                           label=label, last_amount=bid.amount)
                        for bid, label in zip(bids, anonymous_labels(len(bids)), strict=True)]
        uow.session.add_all(participants)
        uow.session.flush()
        opening = min(participants, key=lambda p: p.last_amount)  # bids are in submission order: ties go first
        auction.best_amount, auction.leader_id = opening.last_amount, opening.id
        emit(uow, auction, "scheduled", body.model_dump(mode="json"))
        return created(uow, serialize(auction), f"/api/v1/auctions/{auction.id}", auction.version)


@auctions_api.get("/tenders/<tender_id>/auctions", summary="List a tender's auctions",
                  responses={200: Page[AuctionOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_auctions(path: TenderPath, query: PageQuery):
    statement = select(Auction).where(Auction.tender_id == path.tender_id)
    statement = apply_sort(statement, query.sort, {"starts_at": Auction.starts_at}, [Auction.starts_at, Auction.id])
    with read_only() as session:
        find(session, Tender, path.tender_id, "tender")
        return json_response(paginate(session, statement, query, serialize))


@auctions_api.get("/auctions/<auction_id>", summary="Read an auction: round, best price, anonymous bidders",
                  responses={200: AuctionOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_auction(path: AuctionPath):
    with read_only() as session:
        auction = find(session, Auction, path.auction_id, "auction")
        return record_response(serialize(auction), auction.version)


def serialize_bid(bid: AuctionBid, labels: dict[str, str], currency: str) -> dict:
    return AuctionBidOut(id=bid.id, auction_id=bid.auction_id, sequence=bid.sequence, round=bid.round,
                         label=labels[bid.participant_id], price=money(bid.amount, currency), accepted=bid.accepted,
                         took_lead=bid.took_lead, reason=bid.reason, placed_at=bid.placed_at).model_dump(mode="json")


@auctions_api.post("/auctions/<auction_id>/bids",
                   summary="Place a bid in the running round (refused with a reason when late or too high)",
                   responses={201: AuctionBidOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def place_auction_bid(path: AuctionPath, body: AuctionBidCreate):
    with unit_of_work() as uow:
        # The auction's row lock makes concurrent bids wait for each other, in every web process.
        auction = find(uow.session, Auction, path.auction_id, "auction", for_update=True)
        participant = uow.session.scalar(select(AuctionParticipant).where(
            AuctionParticipant.auction_id == auction.id, AuctionParticipant.supplier_id == body.supplier_id))
        if participant is None:
            raise invalid("supplier_id", "the supplier is not a bidder in this auction")
        if body.value.currency != auction.currency:
            raise invalid("value.currency", f"the auction is in {auction.currency}")
        if auction.finished_at is not None:
            raise not_possible("the auction is finished")
        labels = {p.id: p.label for p in auction.participants}
        auction.bids_placed += 1
        attempt = AuctionBid(auction_id=auction.id, participant_id=participant.id, sequence=auction.bids_placed,
                             amount=body.value.amount, placed_at=now(), placed_by=uow.actor, took_lead=False)
        try:
            attempt.round = check_auction_bid(rounds=rounds_of(auction), now=now(), amount=body.value.amount,
                                              last_amount=participant.last_amount,
                                              minimum_step=auction.minimum_step_amount,
                                              last_round_bid=participant.last_round)
        except BidRefused as error:
            attempt.accepted, attempt.reason = False, str(error)
            uow.session.add(attempt)
            uow.audit("auction-bid.refused", "auction", auction.id,
                      {"sequence": attempt.sequence, "label": participant.label,
                       "amount": str(attempt.amount), "reason": attempt.reason})
            return Problem(409, "Bid refused", str(error), slug="bid-refused", reason=str(error),
                           sequence=attempt.sequence).to_response()  # kept: the refusal is part of the record
        attempt.accepted = True
        attempt.took_lead = takes_the_lead(attempt.amount, auction.best_amount)
        participant.last_amount, participant.last_round = attempt.amount, attempt.round
        if attempt.took_lead:
            auction.best_amount, auction.leader_id = attempt.amount, participant.id
        auction.version += 1
        uow.session.add(attempt)
        uow.session.flush()
        out = serialize_bid(attempt, labels, auction.currency)
        uow.emit("chancery.contracts.auction-bid.placed.v1", attempt.id,
                 {**out, "leader_label": labels[auction.leader_id], "best": out["price"] if attempt.took_lead
                  else serialize(auction)["best"]})
        uow.audit("auction-bid.placed", "auction", auction.id,
                  {"sequence": attempt.sequence, "label": participant.label, "round": attempt.round,
                   "amount": str(attempt.amount), "took_lead": attempt.took_lead})
        return created(uow, out, f"/api/v1/auctions/{auction.id}/bids/{attempt.id}", 1)


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
        auction = find(session, Auction, path.auction_id, "auction")
        labels = {p.id: p.label for p in auction.participants}
        return json_response(paginate(session, statement, query,
                                      lambda bid: serialize_bid(bid, labels, auction.currency)))


@auctions_api.post("/auctions/<auction_id>/finish",
                   summary="After the last round: post the result (each bidder's last price) to the tender",
                   responses={200: AuctionOut, **problem_responses(404, 409, 412)})
@allow(*PROCUREMENT)
def finish_auction(path: AuctionPath):
    with unit_of_work() as uow:
        auction = find(uow.session, Auction, path.auction_id, "auction", for_update=True)
        require_fresh(auction.version)
        current = phase(rounds_of(auction), auction.finished_at is not None, now())
        if current != AuctionPhase.ENDED:
            raise conflict(f"an auction is finished after its last round; this one is {current.value}", [])
        auction.finished_at, auction.version = now(), auction.version + 1
        for participant in auction.participants:
            uow.session.get(Bid, participant.bid_id).final_amount = participant.last_amount
        emit(uow, auction, "finished", {"winner": auction.leader_id, "best": str(auction.best_amount)})
        return record_response(serialize(auction), auction.version)
