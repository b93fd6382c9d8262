"""Meetings of the mayor and officials with foreign guests, and official functions with their guests and press."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Conflict, Invalid


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class FunctionKind(StrEnum):
    PRESS_CONFERENCE = "press_conference"
    SYMPOSIUM = "symposium"
    SEMINAR = "seminar"
    ROUND_TABLE = "round_table"
    COORDINATING_MEETING = "coordinating_meeting"  # e.g. the annual coordinating meeting of twin cities
    RECEPTION = "reception"


class FunctionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"  # it takes nobody's time or venue, and takes no more answers or press


class Rsvp(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class AccreditationStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


MEETING_LIFECYCLE = Lifecycle(
    record="meeting",
    status_type=MeetingStatus,
    transitions={"hold": ((MeetingStatus.PLANNED,), MeetingStatus.HELD),
                 "cancel": ((MeetingStatus.PLANNED,), MeetingStatus.CANCELLED)},
    event_action={"hold": "held", "cancel": "cancelled"},
)


class MeetingClosed(Conflict):
    def __init__(self, status: MeetingStatus, action: str):
        self.status = status
        super().__init__(f"cannot {action}: the meeting is {status.value}", slug="illegal-transition",
                         allowed_actions=MEETING_LIFECYCLE.allowed_actions(status))


def meeting_moved_to(status: MeetingStatus, action: str) -> MeetingStatus:
    """The state a meeting's lifecycle action leads to; MeetingClosed when its state does not allow it."""
    sources, target = MEETING_LIFECYCLE.transitions[action]
    if status not in sources:
        raise MeetingClosed(status, action)
    return MeetingStatus(target)


def check_minutes_writable(status: MeetingStatus) -> None:
    """Minutes record what was said: only a meeting that was held has them."""
    if status != MeetingStatus.HELD:
        raise MeetingClosed(status, "write minutes")


def rsvp_open(starts_at: datetime, time_zone: str, now: datetime) -> bool:
    """An invitee may answer, or change their answer, until the day of the function at its venue: on the day
    the guest list is what protocol seats and admits."""
    zone = ZoneInfo(time_zone)
    return now.astimezone(zone).date() < starts_at.astimezone(zone).date()


class AccreditationDecided(Conflict):
    def __init__(self, status: AccreditationStatus):
        super().__init__(f"the accreditation was already {status.value}", slug="illegal-transition", allowed_actions=[])


def decide_accreditation(status: AccreditationStatus, approve: bool, reason: str | None) -> AccreditationStatus:
    if status != AccreditationStatus.REQUESTED:
        raise AccreditationDecided(status)
    if not approve and not (reason or "").strip():
        raise Invalid("reason", "a rejection needs a reason")
    return AccreditationStatus.APPROVED if approve else AccreditationStatus.REJECTED
