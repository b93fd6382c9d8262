"""Awards: evaluating a lot's bids by price or weighted criteria, the standstill, confirming or cancelling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from services.contracts.domain.award import (
    AWARD_LIFECYCLE,
    AwardStatus,
    Criterion,
    EvaluationProblem,
    Offer,
    Ranked,
    check_standstill_over,
    rank_by_criteria,
    rank_by_price,
    standstill_ends,
)
from services.contracts.domain.refusals import NotInThisState
from services.contracts.domain.tender import AwardCriteria, TenderStatus, is_sealed
from services.contracts.events import contents
from services.contracts.operations.bids import lot_of, record_bid_change
from services.contracts.operations.tenders import find_tender
from services.contracts.operations.versions import take_action
from services.contracts.store.models import Auction, Award, Bid, Tender
from shared.db import finder
from shared.kit.money import format_amount
from shared.kit.refusals import Conflict, Invalid, require_version
from shared.uow import UnitOfWork

find_award = finder(Award, "award")


def record_award_change(uow: UnitOfWork, award: Award, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("award", action, award, contents.award, changes)


def ranked_json(ranked: list[Ranked], currency: str) -> list[dict[str, Any]]:
    return [{"rank": entry.rank, "bid_id": entry.offer.bid_id, "supplier_id": entry.offer.supplier_id,
             "price": {"amount": format_amount(entry.offer.price), "currency": currency},
             "score": None if entry.score is None else str(entry.score)} for entry in ranked]


def check_lot_ready(uow: UnitOfWork, tender: Tender, lot_id: str) -> None:
    if tender.status != TenderStatus.ACTIVE:
        raise NotInThisState(f"bids are evaluated on an active tender; this one is {tender.status}")
    if is_sealed(tender.submission_deadline, uow.now()):
        raise NotInThisState("the bids are sealed until the submission deadline")
    auction = uow.session.scalar(select(Auction).where(Auction.lot_id == lot_id))
    if tender.procurement_method == "reverse_auction" and (auction is None or auction.finished_at is None):
        raise NotInThisState("a reverse-auction lot is evaluated on the finished auction's prices")
    if uow.session.scalar(select(Award.id).where(Award.lot_id == lot_id, Award.status.in_(("pending", "active")))):
        raise NotInThisState("the lot already has a pending or active award; cancel it first")


def offers_of(bids: Sequence[Bid], scores: dict[str, dict[str, Decimal]]) -> list[Offer]:
    """Each bid at its price after the auction, if any, with the evaluators' scores."""
    return [Offer(bid.id, bid.supplier_id, bid.final_amount if bid.final_amount is not None else bid.amount,
                  bid.submitted_at, scores.get(bid.id, {})) for bid in bids]


def rank(tender: Tender, offers: list[Offer]) -> list[Ranked]:
    if tender.award_criteria == AwardCriteria.RATED_CRITERIA:
        return rank_by_criteria(offers, [Criterion(c["name"], Decimal(c["weight"])) for c in tender.criteria or []])
    return rank_by_price(offers)


def qualify(uow: UnitOfWork, bids: Sequence[Bid], reasons: dict[str, str]) -> None:
    """The bids named are disqualified with their reason, the others valid."""
    for bid in bids:
        disqualified = bid.id in reasons
        bid.status, bid.status_reason = ("disqualified", reasons[bid.id]) if disqualified else ("valid", None)
        bid.version += 1
        record_bid_change(uow, bid, "disqualified" if disqualified else "qualified",
                          {"status": bid.status, "reason": bid.status_reason})


def evaluate(uow: UnitOfWork, tender_id: str, lot_id: str | None, reasons: dict[str, str],
             scores: dict[str, dict[str, Decimal]], standstill_days: int, changes: dict[str, Any]) -> Award:
    """Rank a lot's open bids but the disqualified (`reasons`: bid id → why): an award pending through the
    standstill for the best, or the lot unsuccessful with no bid left."""
    tender = find_tender(uow.session, tender_id, for_update=True)
    lot = lot_of(uow.session, tender, lot_id)
    check_lot_ready(uow, tender, lot.id)
    bids = uow.session.scalars(select(Bid).where(Bid.lot_id == lot.id, Bid.status.in_(("pending", "valid")))
                               .order_by(Bid.submitted_at, Bid.id)).all()
    by_id = {bid.id: bid for bid in bids}
    if unknown := set(reasons) - set(by_id):
        raise Invalid("disqualified", f"no bid {sorted(unknown)[0]} is open on this lot")
    ranked = rank(tender, offers_of([bid for bid in bids if bid.id not in reasons], scores))
    qualify(uow, bids, reasons)
    winner = ranked[0].offer if ranked else None
    decided_at = uow.now()
    award = Award(
        tender_id=tender.id, lot_id=lot.id, currency=tender.currency, award_criteria=tender.award_criteria,
        supplier_id=winner.supplier_id if winner else None, bid_id=winner.bid_id if winner else None,
        amount=winner.price if winner else None, decided_at=decided_at,
        evaluation={"ranked": ranked_json(ranked, tender.currency),
                    "disqualified": [{"bid_id": bid_id, "supplier_id": by_id[bid_id].supplier_id, "reason": reason}
                                     for bid_id, reason in reasons.items()]},
        standstill_ends_at=standstill_ends(decided_at, standstill_days) if winner else None,
        status=(AwardStatus.PENDING if winner else AwardStatus.UNSUCCESSFUL).value,
        status_reason=None if winner else ("every bid was disqualified" if bids else "no bids were received"),
        version=1, created_by=uow.actor)
    uow.session.add(award)
    record_award_change(uow, award, "evaluated", changes)
    return award


def check_standstill(award: Award, now: datetime) -> None:
    try:
        check_standstill_over(award.standstill_ends_at, now)
    except EvaluationProblem as error:
        raise Conflict(error.message, slug="standstill",
                       allowed_actions=["cancel"]) from error


def move_award(uow: UnitOfWork, award_id: str, action: str, reason: str | None,
               expected_version: frozenset[int] | None) -> Award:
    """Confirm a pending award once its standstill is over, or cancel it with a reason."""
    award = find_award(uow.session, award_id, for_update=True)
    require_version(award.version, expected_version)
    if action == "activate" and award.status == AwardStatus.PENDING:
        check_standstill(award, uow.now())
    changes = take_action(award, AWARD_LIFECYCLE, action, reason, expected_version)
    record_award_change(uow, award, AWARD_LIFECYCLE.past_tense(action), changes)
    return award
