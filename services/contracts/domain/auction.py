"""The electronic reverse auction: time-boxed rounds in which each bidder undercuts its own last price.

An auction runs for one lot of a reverse-auction tender, after its submission deadline, among the
suppliers whose sealed bids are still pending; their sealed values are the starting prices. Round k
runs from `starts_at + (k - 1) * round_seconds` for `round_seconds`. In each round a bidder may place one
bid, which must undercut its own last price by at least the minimum step. The lowest price wins; of
equal prices, the one placed first (the lower sequence number) wins, so two bids at the same instant
can never both lead. Every attempt, accepted or refused with its reason, is kept (decision 0032).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from shared.kit.refusals import Conflict


class AuctionPhase(StrEnum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    ENDED = "ended"  # the last round is over; finishing posts the result
    FINISHED = "finished"


@dataclass(frozen=True)
class Rounds:
    starts_at: datetime
    round_seconds: int
    count: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(seconds=self.round_seconds * self.count)

    def current(self, now: datetime) -> int | None:
        """The round running at `now` (from 1), or None before the first and after the last."""
        if now < self.starts_at or now >= self.ends_at:
            return None
        return int((now - self.starts_at).total_seconds() // self.round_seconds) + 1

    def round_ends_at(self, number: int) -> datetime:
        return self.starts_at + timedelta(seconds=self.round_seconds * number)


def phase(rounds: Rounds, finished: bool, now: datetime) -> AuctionPhase:
    if finished:
        return AuctionPhase.FINISHED
    if now < rounds.starts_at:
        return AuctionPhase.SCHEDULED
    return AuctionPhase.RUNNING if now < rounds.ends_at else AuctionPhase.ENDED


class BidRefused(ValueError):
    """A bid the auction does not take; the message is the reason given to the bidder and kept."""


def check_auction_bid(*, rounds: Rounds, now: datetime, amount: Decimal, last_amount: Decimal,
                      minimum_step: Decimal, last_round_bid: int | None) -> int:
    """The round the bid is placed in, or BidRefused with the reason."""
    number = rounds.current(now)
    if number is None:
        when = "has not started" if now < rounds.starts_at else "is over"
        raise BidRefused(f"the auction {when}: rounds run from {rounds.starts_at.isoformat()} "
                         f"to {rounds.ends_at.isoformat()}")
    if last_round_bid == number:
        raise BidRefused(f"this bidder has already bid in round {number}")
    if amount > last_amount - minimum_step:
        raise BidRefused(f"a bid must undercut the bidder's last price {last_amount} by at least {minimum_step}: "
                         f"at most {last_amount - minimum_step}")
    return number


def takes_the_lead(amount: Decimal, best_amount: Decimal | None) -> bool:
    """Only a strictly lower price takes the lead: of equal prices the earlier keeps it."""
    return best_amount is None or amount < best_amount


def anonymous_labels(count: int) -> list[str]:
    """Labels 'Bidder 1' … 'Bidder n' in a random order, so a label says nothing of who bid first."""
    labels = [f"Bidder {number}" for number in range(1, count + 1)]
    secrets.SystemRandom().shuffle(labels)
    return labels


class AuctionNotPossible(Conflict):
    def __init__(self, reason: str):
        super().__init__(reason, slug="auction-not-possible", reason=reason)


def check_auction_can_start(*, method: str, tender_status: str, submission_deadline: datetime, starts_at: datetime,
                            now: datetime, bidders: int) -> None:
    if method != "reverse_auction":
        raise AuctionNotPossible("only a tender by electronic reverse auction holds an auction")
    if tender_status != "active":
        raise AuctionNotPossible(f"the tender is {tender_status}, not active")
    if now < submission_deadline:
        raise AuctionNotPossible("the auction is scheduled once the submission deadline has passed")
    if starts_at < submission_deadline:
        raise AuctionNotPossible("the auction cannot start before the submission deadline")
    if bidders < 2:
        raise AuctionNotPossible(f"an auction needs at least two bidders; this lot has {bidders}")
