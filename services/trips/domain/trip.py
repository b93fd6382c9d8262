"""A trip request's lifecycle and its approval chain, decided by who travels (docs/decisions/0020)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum


class TripStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class TravellerCategory(StrEnum):
    MAYOR = "mayor"
    DEPUTY_MAYOR = "deputy_mayor"
    STAFF = "staff"


class Funding(StrEnum):
    CITY = "city"
    HOST = "host"
    SHARED = "shared"


class ApprovalStep(StrEnum):
    """Each step is decided by the holders of the role of the same name."""

    DEPARTMENT_HEAD = "department-head"
    MAYOR_OFFICE = "mayor-office"


EDITABLE_STATES = (TripStatus.DRAFT, TripStatus.RETURNED)
OPEN_STATES = (TripStatus.DRAFT, TripStatus.SUBMITTED, TripStatus.RETURNED, TripStatus.APPROVED)

# action -> {state it may start from: state it leads to}. `approve` leads to APPROVED only on the chain's
# last step; before that the request stays submitted and moves to the next step (see `decide`). A closed
# trip reopens as approved (its costs or report need correcting); a cancelled one as a draft to resubmit.
TRANSITIONS: dict[str, dict[TripStatus, TripStatus]] = {
    "submit": {state: TripStatus.SUBMITTED for state in EDITABLE_STATES},
    "approve": {TripStatus.SUBMITTED: TripStatus.APPROVED},
    "send-back": {TripStatus.SUBMITTED: TripStatus.RETURNED},
    "recall": {TripStatus.SUBMITTED: TripStatus.DRAFT},
    "cancel": {state: TripStatus.CANCELLED for state in OPEN_STATES},
    "close": {TripStatus.APPROVED: TripStatus.CLOSED},
    "reopen": {TripStatus.CLOSED: TripStatus.APPROVED, TripStatus.CANCELLED: TripStatus.DRAFT},
}
EVENT_ACTION = {"submit": "submitted", "approve": "approved", "send-back": "sent-back", "recall": "recalled",
                "cancel": "cancelled", "close": "closed", "reopen": "reopened"}
STEP_APPROVED = "step-approved"  # the event action of an approval that is not the chain's last
REASON_REQUIRED = {"send-back": "comments", "cancel": "a reason", "reopen": "a reason"}
DECIDING_ACTIONS = ("approve", "send-back")

# International trips need visas and invitations answered in time: the decision is due two weeks ahead.
DECISION_LEAD_DAYS = 14


class IllegalTransition(Exception):
    def __init__(self, action: str, status: TripStatus):
        self.action, self.status = action, status
        self.allowed = allowed_actions(status)
        super().__init__(f"cannot {action} a trip request that is {status.value}")


class MissingReason(ValueError):
    pass


class NotTheApprover(PermissionError):
    def __init__(self, step: ApprovalStep | None):
        self.step = step
        super().__init__(f"this step of the approval chain is decided by the role {step}")


class NoTravellers(ValueError):
    pass


class InvalidDates(ValueError):
    pass


class NotEditable(Exception):
    def __init__(self, status: TripStatus):
        self.status = status
        super().__init__(f"a trip request that is {status.value} cannot be changed; recall it or reopen it first")


def allowed_actions(status: TripStatus) -> list[str]:
    return [action for action, targets in TRANSITIONS.items() if status in targets]


def next_status(status: TripStatus, action: str, reason: str | None) -> TripStatus:
    """The state an action leads to, or IllegalTransition naming the actions that are allowed."""
    target = TRANSITIONS[action].get(status)
    if target is None:
        raise IllegalTransition(action, status)
    if action in REASON_REQUIRED and not (reason or "").strip():
        raise MissingReason(f"{REASON_REQUIRED[action]} is required to {action} a trip request")
    return target


def approval_chain(categories: Iterable[TravellerCategory]) -> list[ApprovalStep]:
    """Staff need their department head; the mayor and deputies need the mayor's office; a mixed
    delegation needs both, the department head first."""
    present = set(categories)
    if not present:
        raise NoTravellers("add at least one traveller before submitting the request")
    chain = []
    if TravellerCategory.STAFF in present:
        chain.append(ApprovalStep.DEPARTMENT_HEAD)
    if present & {TravellerCategory.MAYOR, TravellerCategory.DEPUTY_MAYOR}:
        chain.append(ApprovalStep.MAYOR_OFFICE)
    return chain


def may_decide(step: ApprovalStep, roles: frozenset[str]) -> bool:
    return "admin" in roles or step.value in roles


def decide(status: TripStatus, action: str, chain: list[ApprovalStep], awaiting: ApprovalStep | None,
           roles: frozenset[str], comments: str | None) -> tuple[TripStatus, ApprovalStep | None]:
    """Approve or send back the step awaited: (new status, the step awaited next, if any)."""
    target = next_status(status, action, comments)
    if awaiting is None or not may_decide(awaiting, roles):
        raise NotTheApprover(awaiting)
    if action == "approve" and awaiting is not chain[-1]:
        return TripStatus.SUBMITTED, chain[chain.index(awaiting) + 1]
    return target, None


def decision_due_on(starts_on: date) -> date:
    return starts_on - timedelta(days=DECISION_LEAD_DAYS)


def decision_overdue(status: TripStatus, starts_on: date, today: date) -> bool:
    return status == TripStatus.SUBMITTED and today > decision_due_on(starts_on)


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidDates("the trip cannot end before it starts")


def check_editable(status: TripStatus) -> None:
    if status not in EDITABLE_STATES:
        raise NotEditable(status)
