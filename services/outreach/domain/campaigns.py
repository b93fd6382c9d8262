"""Information campaigns, their materials in three languages with a review → publish workflow, and the press."""

from __future__ import annotations

from enum import StrEnum

from services.outreach.domain.lifecycle import next_state

LANGUAGES = ("en", "ru", "bg")


class MaterialKind(StrEnum):
    PRESS_RELEASE = "press_release"
    PRINTED = "printed"
    AUDIO_VISUAL = "audio_visual"


class MaterialStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class AccreditationStatus(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"


# action -> (states it may start from, state it leads to)
MATERIAL_TRANSITIONS: dict[str, tuple[tuple[MaterialStatus, ...], MaterialStatus]] = {
    "submit": ((MaterialStatus.DRAFT,), MaterialStatus.IN_REVIEW),
    "return": ((MaterialStatus.IN_REVIEW,), MaterialStatus.DRAFT),
    "publish": ((MaterialStatus.IN_REVIEW,), MaterialStatus.PUBLISHED),
    "withdraw": ((MaterialStatus.PUBLISHED,), MaterialStatus.WITHDRAWN),
}
MATERIAL_EVENT_ACTION = {"submit": "submitted", "return": "returned", "publish": "published",
                         "withdraw": "withdrawn"}
ACCREDITATION_TRANSITIONS: dict[str, tuple[tuple[AccreditationStatus, ...], AccreditationStatus]] = {
    "grant": ((AccreditationStatus.REQUESTED,), AccreditationStatus.GRANTED),
    "refuse": ((AccreditationStatus.REQUESTED,), AccreditationStatus.REFUSED),
    "revoke": ((AccreditationStatus.GRANTED,), AccreditationStatus.REVOKED),
}
ACCREDITATION_EVENT_ACTION = {"grant": "granted", "refuse": "refused", "revoke": "revoked"}
REASON_REQUIRED = {"return", "withdraw", "refuse", "revoke"}


class MissingLanguages(ValueError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"a material goes to review only with its text in {', '.join(LANGUAGES)}; "
                         f"missing: {', '.join(missing)}")


class SameReviewer(ValueError):
    pass


class NotEditable(Exception):
    def __init__(self, status: MaterialStatus):
        self.status = status
        super().__init__(f"a {status.value} material cannot be edited; return it to draft first")


def missing_languages(texts: dict[str, dict]) -> list[str]:
    return [language for language in LANGUAGES if not texts.get(language)]


def check_transition(status: MaterialStatus, action: str, reason: str | None, texts: dict[str, dict],
                     submitted_by: str | None, actor: str) -> MaterialStatus:
    """Where a material's action leads: only complete translations go to review, and the person who
    submitted a material does not publish it too (four eyes)."""
    target = next_state("material", MATERIAL_TRANSITIONS, status, action, reason, REASON_REQUIRED)
    if action == "submit" and missing_languages(texts):
        raise MissingLanguages(missing_languages(texts))
    if action == "publish" and submitted_by == actor:
        raise SameReviewer("the person who submitted a material for review cannot also publish it")
    return target


def check_editable(status: MaterialStatus) -> None:
    if status != MaterialStatus.DRAFT:
        raise NotEditable(status)
