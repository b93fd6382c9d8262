"""Award evaluation: the lowest price, or weighted criteria; a standstill period before the award stands.

Weighted criteria are published with the tender, their weights adding up to 100, one of them `price`.
The price criterion is scored by formula (lowest price / the bid's price × 100); evaluators score the
others from 0 to 100. A bid's total is Σ weight × score / 100. The best total wins; ties go to the lower
price, then to the earlier bid. Disqualified bids are not ranked; with no bid left the lot is unsuccessful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid

PRICE = "price"
HUNDRED = Decimal(100)
SCORE_PLACES = Decimal("0.01")


class AwardStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"


A = AwardStatus
AWARD_LIFECYCLE = Lifecycle(
    record="award",
    status_type=AwardStatus,
    transitions={
        "activate": ((A.PENDING,), A.ACTIVE),
        "cancel": ((A.PENDING, A.ACTIVE), A.CANCELLED),
    },
    event_action={"activate": "activated", "cancel": "cancelled"},
    reason_required=frozenset({"cancel"}),
)


class EvaluationProblem(Invalid):
    """An evaluation the rules refuse, naming the field at fault."""


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: Decimal


@dataclass(frozen=True)
class Offer:
    bid_id: str
    supplier_id: str
    price: Decimal
    submitted_at: datetime
    scores: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Ranked:
    rank: int
    offer: Offer
    score: Decimal | None  # None when the award is by price only


def check_criteria(criteria: list[Criterion]) -> None:
    names = [criterion.name for criterion in criteria]
    if len(set(names)) != len(names):
        raise EvaluationProblem("criteria", "each criterion is named once")
    if PRICE not in names:
        raise EvaluationProblem("criteria", "weighted criteria include the price")
    if any(criterion.weight <= 0 for criterion in criteria) or sum(c.weight for c in criteria) != HUNDRED:
        raise EvaluationProblem("criteria", "the weights are positive and add up to 100")


def rank_by_price(offers: list[Offer]) -> list[Ranked]:
    ordered = sorted(offers, key=lambda offer: (offer.price, offer.submitted_at, offer.bid_id))
    return [Ranked(rank, offer, None) for rank, offer in enumerate(ordered, start=1)]


def evaluators_score(offer: Offer, criterion: Criterion) -> Decimal:
    score = offer.scores.get(criterion.name)
    if score is None:
        raise EvaluationProblem("scores", f"bid {offer.bid_id} has no score for {criterion.name!r}")
    if not Decimal(0) <= score <= HUNDRED:
        raise EvaluationProblem("scores", "scores run from 0 to 100")
    return score


def weighted_score(offer: Offer, criteria: list[Criterion], lowest_price: Decimal) -> Decimal:
    total = Decimal(0)
    for criterion in criteria:
        score = (lowest_price / offer.price * HUNDRED if criterion.name == PRICE
                 else evaluators_score(offer, criterion))
        total += criterion.weight * score / HUNDRED
    return total.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def rank_by_criteria(offers: list[Offer], criteria: list[Criterion]) -> list[Ranked]:
    check_criteria(criteria)
    if not offers:
        return []
    lowest = min(offer.price for offer in offers)
    scored = [(weighted_score(offer, criteria, lowest), offer) for offer in offers]
    scored.sort(key=lambda pair: (-pair[0], pair[1].price, pair[1].submitted_at, pair[1].bid_id))
    return [Ranked(rank, offer, score) for rank, (score, offer) in enumerate(scored, start=1)]


def standstill_ends(decided_at: datetime, days: int) -> datetime:
    return decided_at + timedelta(days=days)


def check_standstill_over(ends_at: datetime | None, now: datetime) -> None:
    """`ends_at` None: no standstill (nothing was awarded to challenge)."""
    if ends_at is not None and now < ends_at:
        raise EvaluationProblem("standstill_ends_at",
                                f"the award stands only after the standstill period ends at {ends_at.isoformat()}")
