"""Meetings of the mayor and officials with foreign guests, and official functions with their guests and press."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo


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


class MeetingClosed(Exception):
    def __init__(self, status: MeetingStatus, action: str):
        self.status = status
        super().__init__(f"cannot {action}: the meeting is {status.value}")


MEETING_ACTIONS = {"hold": (MeetingStatus.PLANNED,), "cancel": (MeetingStatus.PLANNED,)}


def allowed_meeting_actions(status: MeetingStatus) -> list[str]:
    return [action for action, sources in MEETING_ACTIONS.items() if status in sources]


def check_meeting_action(status: MeetingStatus, action: str) -> None:
    if status not in MEETING_ACTIONS[action]:
        raise MeetingClosed(status, action)


def check_minutes_writable(status: MeetingStatus) -> None:
    """Minutes record what was said: only a meeting that was held has them."""
    if status != MeetingStatus.HELD:
        raise MeetingClosed(status, "write minutes")


def rsvp_open(starts_at: datetime, time_zone: str, now: datetime) -> bool:
    """An invitee may answer, or change their answer, until the day of the function at its venue: on the day
    the guest list is what protocol seats and admits."""
    zone = ZoneInfo(time_zone)
    return now.astimezone(zone).date() < starts_at.astimezone(zone).date()


class AccreditationDecided(Exception):
    pass


def decide_accreditation(status: AccreditationStatus, approve: bool, reason: str | None) -> AccreditationStatus:
    if status != AccreditationStatus.REQUESTED:
        raise AccreditationDecided(f"the accreditation was already {status.value}")
    if not approve and not (reason or "").strip():
        raise ValueError("a rejection needs a reason")
    return AccreditationStatus.APPROVED if approve else AccreditationStatus.REJECTED
