"""Visa support letters: drafted from a member's passport data, reviewed, approved, issued with a registry number."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class LetterStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ISSUED = "issued"


S = LetterStatus
# A reviewer who finds a mistake sends the letter back to draft with a reason; an issued letter is final.
TRANSITIONS: dict[str, tuple[tuple[LetterStatus, ...], LetterStatus]] = {
    "submit": ((S.DRAFT,), S.IN_REVIEW),
    "approve": ((S.IN_REVIEW,), S.APPROVED),
    "return": ((S.IN_REVIEW, S.APPROVED), S.DRAFT),
    "issue": ((S.APPROVED,), S.ISSUED),
}
EVENT_ACTION = {"submit": "submitted", "approve": "approved", "return": "returned", "issue": "issued"}
PERSONAL_FIELDS = ("passport_number", "date_of_birth", "place_of_birth")


class IllegalLetterTransition(Exception):
    def __init__(self, action: str, status: LetterStatus):
        self.allowed = allowed_actions(status)
        super().__init__(f"cannot {action} a visa letter that is {status.value}")


def allowed_actions(status: LetterStatus) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(status: LetterStatus, action: str) -> LetterStatus:
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise IllegalLetterTransition(action, status)
    return target


VISA_LETTER_REGISTRY = "visa-letters"


def registry_number(year: int, sequence: int) -> str:
    return f"VL-{year}-{sequence:05d}"


def purge_due(visit_ends_on: date, today: date, retention_days: int) -> bool:
    """Personal data is kept `retention_days` full days after the visit's last day, then erased."""
    return today > visit_ends_on + timedelta(days=retention_days)
