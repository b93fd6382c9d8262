"""A visit's lifecycle: draft → proposed → invited → confirmed → in progress → completed, or cancelled."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class VisitStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    INVITED = "invited"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN_STATES = (VisitStatus.DRAFT, VisitStatus.PROPOSED, VisitStatus.INVITED, VisitStatus.CONFIRMED,
               VisitStatus.IN_PROGRESS)

# action -> (states it may start from, state it leads to). A visit the foreign side asked for can be
# confirmed straight from draft: the office then never proposes or invites (docs/decisions/0003).
TRANSITIONS: dict[str, tuple[tuple[VisitStatus, ...], VisitStatus]] = {
    "propose": ((VisitStatus.DRAFT,), VisitStatus.PROPOSED),
    "invite": ((VisitStatus.PROPOSED,), VisitStatus.INVITED),
    "confirm": ((VisitStatus.DRAFT, VisitStatus.PROPOSED, VisitStatus.INVITED), VisitStatus.CONFIRMED),
    "start": ((VisitStatus.CONFIRMED,), VisitStatus.IN_PROGRESS),
    "complete": ((VisitStatus.IN_PROGRESS,), VisitStatus.COMPLETED),
    "cancel": (OPEN_STATES, VisitStatus.CANCELLED),
}
EVENT_ACTION = {"propose": "proposed", "invite": "invited", "confirm": "confirmed", "start": "started",
                "complete": "completed", "cancel": "cancelled"}
REASON_REQUIRED = {"cancel"}


class IllegalTransition(Exception):
    def __init__(self, action: str, status: VisitStatus):
        self.action, self.status = action, status
        self.allowed = allowed_actions(status)
        super().__init__(f"cannot {action} a visit that is {status.value}")


class MissingReason(ValueError):
    pass


class InvalidDates(ValueError):
    pass


def allowed_actions(status: VisitStatus) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(status: VisitStatus, action: str, reason: str | None) -> VisitStatus:
    """The state an action leads to, or IllegalTransition naming the actions that are allowed."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise IllegalTransition(action, status)
    if action in REASON_REQUIRED and not (reason or "").strip():
        raise MissingReason(f"a reason is required to {action} a visit")
    return target


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidDates("the visit cannot end before it starts")
