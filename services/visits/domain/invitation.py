"""The mayor's invitation inbox: received → under review → assigned (or delegated) → accepted or declined."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kit.lifecycle import IllegalTransition, Lifecycle
from shared.kit.refusals import Invalid


class InvitationStatus(StrEnum):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    ASSIGNED = "assigned"
    DELEGATED = "delegated"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Location(StrEnum):
    IN_CITY = "in_city"
    ABROAD = "abroad"


class Outcome(StrEnum):
    """What an accepted invitation becomes."""

    VISIT = "visit"
    FUNCTION = "function"
    TRIP = "trip"


S = InvitationStatus
OPEN_STATES = (S.RECEIVED, S.UNDER_REVIEW, S.ASSIGNED, S.DELEGATED)
DECIDING = (S.UNDER_REVIEW, S.ASSIGNED, S.DELEGATED)
# An invitation is answered only once somebody has looked at it; it may be reassigned or delegated again until
# it is answered.
INVITATION_LIFECYCLE = Lifecycle(
    record="invitation",
    status_type=InvitationStatus,
    transitions={
        "review": ((S.RECEIVED,), S.UNDER_REVIEW),
        "assign": (OPEN_STATES, S.ASSIGNED),
        "delegate": (DECIDING, S.DELEGATED),
        "accept": (DECIDING, S.ACCEPTED),
        "decline": (DECIDING, S.DECLINED),
    },
    event_action={"review": "reviewed", "assign": "assigned", "delegate": "delegated", "accept": "accepted",
                  "decline": "declined"},
)


class InvitationInvalid(Invalid):
    pass


class IllegalInvitationTransition(IllegalTransition):
    """The kit's refusal, said with the article the noun takes ("an invitation")."""

    def __init__(self, action: str, status: InvitationStatus):
        super().__init__("invitation", action, status, INVITATION_LIFECYCLE.allowed_actions(status))
        self.detail = f"cannot {action} an invitation that is {status.value}"


def next_status(status: InvitationStatus | str, action: str) -> InvitationStatus:
    """The state `action` leads to by INVITATION_LIFECYCLE; IllegalInvitationTransition names the allowed ones."""
    current = InvitationStatus(status)
    sources, target = INVITATION_LIFECYCLE.transitions[action]
    if current not in sources:
        raise IllegalInvitationTransition(action, current)
    return InvitationStatus(target)


def check_event_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvitationInvalid("ends_on", "the event cannot end before it starts")


def check_deadline(deadline: date, today: date) -> None:
    if deadline < today:
        raise InvitationInvalid("deadline", f"the deadline {deadline.isoformat()} has already passed")


def attending_official(chosen: str | None, assignee: str | None, assignee_kind: str | None) -> str:
    """Who goes: the official named in the answer, else the official the invitation was assigned to."""
    if chosen:
        return chosen
    if assignee and assignee_kind == "official":
        return assignee
    raise InvitationInvalid("official", "name the official who attends (the invitation is not assigned to one)")


def outcome_of(location: Location, chosen: Outcome | None, has_function_details: bool) -> Outcome:
    """Abroad, always a trip; in the city, a visit unless the answer makes it a function (with its details)."""
    if location == Location.ABROAD:
        if chosen not in (None, Outcome.TRIP) or has_function_details:
            raise InvitationInvalid("becomes", "an invitation abroad becomes a trip, drafted by trips")
        return Outcome.TRIP
    if chosen == Outcome.TRIP:
        raise InvitationInvalid("becomes", "an invitation in the city becomes a visit or a function")
    outcome = chosen or Outcome.VISIT
    if outcome == Outcome.FUNCTION and not has_function_details:
        raise InvitationInvalid("function", "say when, where and what kind of function it becomes")
    if outcome == Outcome.VISIT and has_function_details:
        raise InvitationInvalid("function", "function details are for an invitation that becomes a function")
    return outcome


def check_function_day(starts_on: date, ends_on: date, function_day: date) -> None:
    if not starts_on <= function_day <= ends_on:
        raise InvitationInvalid("function.starts_at", f"the invitation is for {starts_on.isoformat()} to "
                                                      f"{ends_on.isoformat()}")


def is_overdue(status: InvitationStatus, deadline: date | None, today: date) -> bool:
    return status in OPEN_STATES and deadline is not None and deadline < today
