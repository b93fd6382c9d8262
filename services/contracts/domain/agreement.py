"""Cooperation agreements with partner cities and foreign authorities, and the plan of activities adopted
with them (decision 0035).

draft → signed → terminated (with a reason), or a draft cancelled (with a reason). A draft is edited
freely; once signed, changes are amendments with a rationale. An agreement is signed with its plan of
activities: at least one activity, each due within the agreement's validity. Expiry ahead is flagged
`notice_days` before `valid_until` and announced once per validity end.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    TERMINATED = "terminated"
    CANCELLED = "cancelled"


class PartnerKind(StrEnum):
    CITY = "city"
    REGION = "region"
    AUTHORITY = "authority"
    ORGANISATION = "organisation"


G = AgreementStatus
AGREEMENT_LIFECYCLE = Lifecycle(
    record="agreement",
    status_type=AgreementStatus,
    transitions={
        "sign": ((G.DRAFT,), G.SIGNED),
        "amend": ((G.SIGNED,), G.SIGNED),
        "terminate": ((G.SIGNED,), G.TERMINATED),
        "cancel": ((G.DRAFT,), G.CANCELLED),
    },
    event_action={"sign": "signed", "amend": "amended", "terminate": "terminated", "cancel": "cancelled"},
    reason_required=frozenset({"amend", "terminate", "cancel"}),
)
EDITABLE = (G.DRAFT,)


class AgreementProblem(Invalid):
    """An agreement's value the caller can correct (a 422 naming the field)."""


def check_validity(valid_from: date, valid_until: date) -> None:
    if valid_until <= valid_from:
        raise AgreementProblem("valid_until", "an agreement is valid until a date after it takes effect")


def check_activities(due_dates: list[date], valid_from: date, valid_until: date) -> None:
    for position, due_on in enumerate(due_dates):
        if not valid_from <= due_on <= valid_until:
            raise AgreementProblem(f"activities.{position}.due_on",
                                   "each activity falls due within the agreement's validity")


def check_signable(activity_count: int, signed_on: date, valid_until: date) -> None:
    if activity_count == 0:
        raise AgreementProblem("activities", "an agreement is signed with its plan of activities")
    if signed_on > valid_until:
        raise AgreementProblem("signed_on", "an agreement cannot be signed after it would expire")


def days_to_expiry(valid_until: date, today: date) -> int:
    return (valid_until - today).days


def is_expiring(status: AgreementStatus, valid_until: date, today: date, notice_days: int) -> bool:
    return status == G.SIGNED and 0 <= days_to_expiry(valid_until, today) <= notice_days


def needs_expiry_notice(status: AgreementStatus, valid_until: date, noticed_for: date | None, today: date,
                        notice_days: int) -> bool:
    """Once per validity end: an amendment that extends the agreement arms the notice again."""
    return is_expiring(status, valid_until, today, notice_days) and noticed_for != valid_until
