"""Information campaigns, their materials in three languages with a review → publish workflow, and the press."""

from __future__ import annotations

from enum import StrEnum

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Conflict

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


MATERIAL_LIFECYCLE = Lifecycle("material", MaterialStatus, {
    "submit": ((MaterialStatus.DRAFT,), MaterialStatus.IN_REVIEW),
    "return": ((MaterialStatus.IN_REVIEW,), MaterialStatus.DRAFT),
    "publish": ((MaterialStatus.IN_REVIEW,), MaterialStatus.PUBLISHED),
    "withdraw": ((MaterialStatus.PUBLISHED,), MaterialStatus.WITHDRAWN),
}, event_action={"submit": "submitted", "return": "returned", "publish": "published", "withdraw": "withdrawn"},
    reason_required=frozenset({"return", "withdraw"}))
ACCREDITATION_LIFECYCLE = Lifecycle("accreditation", AccreditationStatus, {
    "grant": ((AccreditationStatus.REQUESTED,), AccreditationStatus.GRANTED),
    "refuse": ((AccreditationStatus.REQUESTED,), AccreditationStatus.REFUSED),
    "revoke": ((AccreditationStatus.GRANTED,), AccreditationStatus.REVOKED),
}, event_action={"grant": "granted", "refuse": "refused", "revoke": "revoked"},
    reason_required=frozenset({"refuse", "revoke"}))


class MissingLanguages(ValueError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"a material goes to review only with its text in {', '.join(LANGUAGES)}; "
                         f"missing: {', '.join(missing)}")


class SameReviewer(ValueError):
    pass


class NotEditable(Conflict):
    def __init__(self, status: MaterialStatus):
        super().__init__(f"a {status.value} material cannot be edited; return it to draft first",
                         slug="illegal-transition",
                         allowed_actions=MATERIAL_LIFECYCLE.allowed_actions(status))


def missing_languages(texts: dict[str, dict]) -> list[str]:
    return [language for language in LANGUAGES if not texts.get(language)]


def check_transition(status: MaterialStatus, action: str, reason: str | None, texts: dict[str, dict],
                     submitted_by: str | None, actor: str) -> MaterialStatus:
    """Where a material's action leads: only complete translations go to review, and the person who
    submitted a material does not publish it too (four eyes)."""
    target = MaterialStatus(MATERIAL_LIFECYCLE.next_status(status, action, reason))
    if action == "submit" and missing_languages(texts):
        raise MissingLanguages(missing_languages(texts))
    if action == "publish" and submitted_by == actor:
        raise SameReviewer("the person who submitted a material for review cannot also publish it")
    return target


def check_editable(status: MaterialStatus) -> None:
    if status != MaterialStatus.DRAFT:
        raise NotEditable(status)
