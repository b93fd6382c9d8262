"""Electronic reverse auctions: scheduling one for a lot, taking bids round by round, posting the result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

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
from services.contracts.domain.refusals import NotInThisState
from services.contracts.events import contents
from services.contracts.operations.bids import lot_of
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Auction, AuctionBid, AuctionParticipant, Bid
from shared.db import finder
from shared.kit.refusals import Invalid, require_version
from shared.uow import UnitOfWork

find_auction = finder(Auction, "auction")


def rounds_of(auction: Auction) -> Rounds:
    return Rounds(auction.starts_at, auction.round_seconds, auction.rounds)


def record_auction_change(uow: UnitOfWork, auction: Auction, action: str, changes: dict[str, Any]) -> None:
    uow.session.flush()
    uow.session.refresh(auction, ["participants"])
    uow.record_change("auction", action, auction, contents.auction, changes)


def schedule_auction(uow: UnitOfWork, tender_id: str, lot_id: str | None, starts_at: datetime, rounds: int,
                     round_seconds: int, changes: dict[str, Any]) -> Auction:
    """The auction of a lot among its pending bids, whose sealed values are the starting prices."""
    tender = find_tender(uow.session, tender_id, for_update=True)
    lot = lot_of(uow.session, tender, lot_id)
    bids = uow.session.scalars(select(Bid).where(Bid.lot_id == lot.id, Bid.status == "pending")
                               .order_by(Bid.submitted_at, Bid.id)).all()
    check_auction_can_start(method=tender.procurement_method, tender_status=tender.status,
                            submission_deadline=tender.submission_deadline, starts_at=starts_at, now=uow.now(),
                            bidders=len(bids))
    if uow.session.scalar(select(Auction.id).where(Auction.lot_id == lot.id)):
        raise AuctionNotPossible("this lot already has its auction")
    auction = Auction(tender_id=tender.id, lot_id=lot.id, currency=tender.currency,
                      minimum_step_amount=tender.minimum_step_amount, starts_at=starts_at,
                      round_seconds=round_seconds, rounds=rounds, bids_placed=0, version=1, created_by=uow.actor)
    uow.session.add(auction)
    uow.session.flush()
    participants = [AuctionParticipant(auction_id=auction.id, supplier_id=bid.supplier_id, bid_id=bid.id,
                                       label=label, last_amount=bid.amount)
                    for bid, label in zip(bids, anonymous_labels(len(bids)), strict=True)]
    uow.session.add_all(participants)
    uow.session.flush()
    opening = min(participants, key=lambda p: p.last_amount)  # bids are in submission order: ties go first
    auction.best_amount, auction.leader_id = opening.last_amount, opening.id
    record_auction_change(uow, auction, "scheduled", changes)
    return auction


def place_auction_bid(uow: UnitOfWork, auction_id: str, supplier_id: str,
                      value: dict[str, Any]) -> tuple[AuctionBid, Auction]:
    """Every attempt is kept: a refused one (not `accepted`, with its `reason`) is audited, an accepted one
    announced; the auction's row lock makes concurrent bids wait for each other, in every web process."""
    auction = find_auction(uow.session, auction_id, for_update=True)
    participant = uow.session.scalar(select(AuctionParticipant).where(
        AuctionParticipant.auction_id == auction.id, AuctionParticipant.supplier_id == supplier_id))
    if participant is None:
        raise Invalid("supplier_id", "the supplier is not a bidder in this auction")
    if value["currency"] != auction.currency:
        raise Invalid("value.currency", f"the auction is in {auction.currency}")
    if auction.finished_at is not None:
        raise AuctionNotPossible("the auction is finished")
    auction.bids_placed += 1
    attempt = AuctionBid(auction_id=auction.id, participant_id=participant.id, sequence=auction.bids_placed,
                         amount=value["amount"], placed_at=uow.now(), placed_by=uow.actor, took_lead=False)
    uow.session.add(attempt)
    try:
        attempt.round = check_auction_bid(rounds=rounds_of(auction), now=uow.now(), amount=attempt.amount,
                                          last_amount=participant.last_amount,
                                          minimum_step=auction.minimum_step_amount,
                                          last_round_bid=participant.last_round)
    except BidRefused as error:
        attempt.accepted, attempt.reason = False, str(error)
        uow.audit("auction-bid.refused", "auction", auction.id, {
            "sequence": attempt.sequence, "label": participant.label, "amount": str(attempt.amount),
            "reason": attempt.reason})
        return attempt, auction
    attempt.accepted = True
    attempt.took_lead = takes_the_lead(attempt.amount, auction.best_amount)
    participant.last_amount, participant.last_round = attempt.amount, attempt.round
    if attempt.took_lead:
        auction.best_amount, auction.leader_id = attempt.amount, participant.id
    auction.version += 1
    uow.session.flush()
    uow.emit("chancery.contracts.auction-bid.placed.v1", attempt.id, contents.auction_bid(attempt, auction))
    uow.audit("auction-bid.placed", "auction", auction.id, {
        "sequence": attempt.sequence, "label": participant.label, "round": attempt.round,
        "amount": str(attempt.amount), "took_lead": attempt.took_lead})
    return attempt, auction


def finish_auction(uow: UnitOfWork, auction_id: str, expected_version: frozenset[int] | None) -> Auction:
    """After the last round: each bidder's last price becomes its bid's final value."""
    auction = find_auction(uow.session, auction_id, for_update=True)
    require_version(auction.version, expected_version)
    current = phase(rounds_of(auction), auction.finished_at is not None, uow.now())
    if current != AuctionPhase.ENDED:
        raise NotInThisState(f"an auction is finished after its last round; this one is {current.value}")
    auction.finished_at, auction.version = uow.now(), auction.version + 1
    for participant in auction.participants:
        uow.session.get_one(Bid, participant.bid_id).final_amount = participant.last_amount
    record_auction_change(uow, auction, "finished", {"winner": auction.leader_id, "best": str(auction.best_amount)})
    return auction
