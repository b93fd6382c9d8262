"""Visa support letters: drafted from a member's passport data, reviewed, approved, issued with a registry number."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle


class LetterStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ISSUED = "issued"


S = LetterStatus
# A reviewer who finds a mistake sends the letter back to draft with a reason; an issued letter is final.
VISA_LETTER_LIFECYCLE = Lifecycle(
    record="visa letter",
    status_type=LetterStatus,
    transitions={
        "submit": ((S.DRAFT,), S.IN_REVIEW),
        "approve": ((S.IN_REVIEW,), S.APPROVED),
        "return": ((S.IN_REVIEW, S.APPROVED), S.DRAFT),
        "issue": ((S.APPROVED,), S.ISSUED),
    },
    event_action={"submit": "submitted", "approve": "approved", "return": "returned", "issue": "issued"},
)
PERSONAL_FIELDS = ("passport_number", "date_of_birth", "place_of_birth")


VISA_LETTER_REGISTRY = "visa-letters"


def registry_number(year: int, sequence: int) -> str:
    return f"VL-{year}-{sequence:05d}"


def purge_due(visit_ends_on: date, today: date, retention_days: int) -> bool:
    """Personal data is kept `retention_days` full days after the visit's last day, then erased."""
    return today > visit_ends_on + timedelta(days=retention_days)
