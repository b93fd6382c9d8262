"""Tenders along OCDS 1.1.5: statuses planning → active → complete, or cancelled / unsuccessful with a reason.

A tender is prepared in `planning`, published (`active`) with an enquiry period that ends before the
submission deadline, both in the future. Questions are taken only during the enquiry period; answers are
published until the submission deadline. Bids are taken only while the tender is active and before the
deadline (decision 0031).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from services.contracts.domain.award import check_criteria
from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid


class TenderStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    COMPLETE = "complete"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"


class AwardCriteria(StrEnum):
    PRICE_ONLY = "priceOnly"
    RATED_CRITERIA = "ratedCriteria"


class ProcurementCategory(StrEnum):
    GOODS = "goods"
    WORKS = "works"
    SERVICES = "services"


T = TenderStatus
TENDER_LIFECYCLE = Lifecycle(
    record="tender",
    status_type=TenderStatus,
    transitions={
        "publish": ((T.PLANNING,), T.ACTIVE),
        "complete": ((T.ACTIVE,), T.COMPLETE),
        "fail": ((T.ACTIVE,), T.UNSUCCESSFUL),
        "cancel": ((T.PLANNING, T.ACTIVE), T.CANCELLED),
    },
    event_action={"publish": "published", "complete": "completed", "fail": "failed", "cancel": "cancelled"},
    reason_required=frozenset({"fail", "cancel"}),
)
EDITABLE = (T.PLANNING,)


class TenderProblem(Invalid):
    """A tender, question or bid the rules refuse, naming the field at fault."""


def check_periods(enquiry_ends_at: datetime, submission_deadline: datetime) -> None:
    if enquiry_ends_at >= submission_deadline:
        raise TenderProblem("enquiry_ends_at", "the enquiry period must end before the submission deadline")


def check_publishable(enquiry_ends_at: datetime, submission_deadline: datetime, now: datetime) -> None:
    check_periods(enquiry_ends_at, submission_deadline)
    if enquiry_ends_at <= now:
        raise TenderProblem("enquiry_ends_at", "the enquiry period must still be open when the tender is published")


def check_question_accepted(status: TenderStatus, enquiry_ends_at: datetime, now: datetime) -> None:
    if status != T.ACTIVE:
        raise TenderProblem("tender", f"questions are taken only on an active tender, not a {status.value} one")
    if now >= enquiry_ends_at:
        raise TenderProblem("question", f"the enquiry period ended at {enquiry_ends_at.isoformat()}")


def check_answer_accepted(submission_deadline: datetime, now: datetime) -> None:
    if now >= submission_deadline:
        raise TenderProblem("answer", "answers are published only before the submission deadline")


def is_sealed(submission_deadline: datetime, now: datetime) -> bool:
    """A bid's value stays sealed, for everyone, until the submission deadline has passed."""
    return now < submission_deadline


def check_bid_accepted(status: TenderStatus, submission_deadline: datetime, now: datetime) -> None:
    if status != T.ACTIVE:
        raise TenderProblem("tender", f"bids are taken only on an active tender, not a {status.value} one")
    if now >= submission_deadline:
        raise TenderProblem("submitted_at", f"the submission deadline passed at {submission_deadline.isoformat()}")


def check_tender_values(*, method: str, budget: tuple[Decimal, str], value: tuple[Decimal, str],
                        lots: list[tuple[Decimal, str]], minimum_step: tuple[Decimal, str] | None) -> None:
    """The estimate within the plan line's budget and currency; lots adding up to it; a step for auctions."""
    if value[1] != budget[1]:
        raise TenderProblem("value.currency", f"the plan line is budgeted in {budget[1]}")
    if value[0] > budget[0]:
        raise TenderProblem("value.amount", f"the estimate exceeds the plan line's budget of {budget[0]}")
    if any(currency != value[1] for _, currency in lots):
        raise TenderProblem("lots", f"every lot is valued in the tender's currency, {value[1]}")
    if lots and sum(amount for amount, _ in lots) != value[0]:
        raise TenderProblem("lots", "the lots' values must add up to the tender's value")
    if method == "reverse_auction":
        if minimum_step is None:
            raise TenderProblem("minimum_step", "a reverse auction needs a minimum step")
        if minimum_step[1] != value[1] or minimum_step[0] >= value[0]:
            raise TenderProblem("minimum_step", "the minimum step is in the tender's currency and below its value")
    elif minimum_step is not None:
        raise TenderProblem("minimum_step", "only a reverse auction has a minimum step")


def check_award_criteria(award_criteria: AwardCriteria, criteria: list | None) -> None:
    """Rated criteria are published with the tender; a tender awarded on price alone has none."""
    if award_criteria == AwardCriteria.RATED_CRITERIA:
        if not criteria:
            raise TenderProblem("criteria", "a tender awarded by rated criteria publishes them with their weights")
        check_criteria(criteria)
    elif criteria:
        raise TenderProblem("criteria", "a tender awarded on price alone has no weighted criteria")
