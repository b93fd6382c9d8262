"""Cooperation agreements with partner cities and foreign authorities, and the plan of activities adopted
with them (decisions 0035, 0135).

draft → submitted → approved (by the mayor's office) → cleared (with the foreign ministry, for a partner abroad)
→ signed → terminated (with a reason); a submitted agreement may be sent back to draft (with a reason), and one
not yet signed cancelled (with a reason). A draft is edited freely; once signed, changes are amendments with a
rationale. An agreement is signed with its plan of activities: at least one activity, each due within the
agreement's validity. Expiry ahead is flagged `notice_days` before `valid_until` and announced once per
validity end.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from shared.kit.lifecycle import IllegalTransition, Lifecycle
from shared.kit.refusals import Invalid


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CLEARED = "cleared"
    SIGNED = "signed"
    TERMINATED = "terminated"
    CANCELLED = "cancelled"


class PartnerKind(StrEnum):
    CITY = "city"
    REGION = "region"
    AUTHORITY = "authority"
    ORGANISATION = "organisation"


class AgreementKind(StrEnum):
    COOPERATION = "cooperation"
    TWINNING = "twinning"  # once signed, outreach records the twin-city relationship (decision 0135)


G = AgreementStatus
AGREEMENT_LIFECYCLE = Lifecycle(
    record="agreement",
    status_type=AgreementStatus,
    transitions={
        "submit": ((G.DRAFT,), G.SUBMITTED),
        "approve": ((G.SUBMITTED,), G.APPROVED),
        "send-back": ((G.SUBMITTED,), G.DRAFT),
        "clear": ((G.APPROVED,), G.CLEARED),
        "sign": ((G.APPROVED, G.CLEARED), G.SIGNED),
        "amend": ((G.SIGNED,), G.SIGNED),
        "terminate": ((G.SIGNED,), G.TERMINATED),
        "cancel": ((G.DRAFT, G.SUBMITTED, G.APPROVED, G.CLEARED), G.CANCELLED),
    },
    event_action={"submit": "submitted", "approve": "approved", "send-back": "sent-back", "clear": "cleared",
                  "sign": "signed", "amend": "amended", "terminate": "terminated", "cancel": "cancelled"},
    reason_required=frozenset({"send-back", "amend", "terminate", "cancel"}),
)
EDITABLE = (G.DRAFT,)
# Whoever may change an agreement may mark it (confidential, embargoed, who needs to know) in any state, so that a
# signed one can still be made open (decision 0190).
MARKING = frozenset({"confidentiality", "embargoed_until", "need_to_know"})


def is_international(country: str, home_country: str) -> bool:
    """An agreement with a partner abroad is cleared with the foreign ministry before it is signed."""
    return country != home_country


def allowed_actions(status: AgreementStatus | str, international: bool) -> list[str]:
    """The lifecycle's actions from `status` along this agreement's chain: one with a partner abroad is signed
    only once cleared; one at home has no clearance to record."""
    status = G(status)
    skipped = {"sign"} if international and status == G.APPROVED else set() if international else {"clear"}
    return [action for action in AGREEMENT_LIFECYCLE.allowed_actions(status) if action not in skipped]


def check_chain(status: AgreementStatus | str, action: str, international: bool) -> None:
    """IllegalTransition naming the actions this agreement's chain allows now, when `action` is not one."""
    allowed = allowed_actions(status, international)
    if action not in allowed:
        raise IllegalTransition("agreement", action, G(status), allowed)


def check_clearance(cleared_on: date, approved_at: datetime | None, today: date) -> None:
    if approved_at is not None and cleared_on < approved_at.date():
        raise AgreementProblem("cleared_on", "the foreign ministry clears an agreement after the mayor's office "
                                             "approved it")
    if cleared_on > today:
        raise AgreementProblem("cleared_on", "a clearance is recorded once given, not ahead of its date")


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
