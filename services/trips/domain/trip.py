"""A trip request's lifecycle and its approval chain, decided by who travels (docs/decisions/0020)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Step:
    """One step of a chain: its role, and for a staff step the travellers' department whose head decides it."""

    role: ApprovalStep
    department: str | None = None


@dataclass(frozen=True)
class Approver:
    roles: frozenset[str]
    department: str | None  # from the token; a department head decides only their own department's staff


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
    def __init__(self, step: Step | None):
        self.step = step
        if step is None:
            message = "no step of the approval chain is awaited"
        elif step.department:
            message = f"this step of the approval chain is decided by the head of {step.department}"
        else:
            message = f"this step of the approval chain is decided by the role {step.role.value}"
        super().__init__(message)


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


def approval_chain(travellers: Iterable[tuple[TravellerCategory, str]]) -> list[Step]:
    """Staff need the head of their department, one step per department in the order they appear; the mayor
    and deputies need the mayor's office; a mixed delegation needs both, the department heads first."""
    travellers = list(travellers)
    if not travellers:
        raise NoTravellers("add at least one traveller before submitting the request")
    staff_departments: dict[str, str] = {}
    for category, department in travellers:
        if category == TravellerCategory.STAFF:
            staff_departments.setdefault(department_key(department), department)
    chain = [Step(ApprovalStep.DEPARTMENT_HEAD, department) for department in staff_departments.values()]
    if {category for category, _ in travellers} & {TravellerCategory.MAYOR, TravellerCategory.DEPUTY_MAYOR}:
        chain.append(Step(ApprovalStep.MAYOR_OFFICE))
    return chain


def department_key(name: str) -> str:
    """Departments are typed by people and claimed by tokens: compared ignoring case and spacing."""
    return " ".join(name.casefold().split())


def may_decide(step: Step, approver: Approver) -> bool:
    if "admin" in approver.roles:
        return True
    if step.role.value not in approver.roles:
        return False
    return step.department is None or (approver.department is not None
                                       and department_key(approver.department) == department_key(step.department))


def decide(status: TripStatus, action: str, chain: list[Step], awaiting: Step | None, approver: Approver,
           comments: str | None) -> tuple[TripStatus, Step | None]:
    """Approve or send back the step awaited: (new status, the step awaited next, if any)."""
    target = next_status(status, action, comments)
    if awaiting is None or not may_decide(awaiting, approver):
        raise NotTheApprover(awaiting)
    if action == "approve" and awaiting != chain[-1]:
        return TripStatus.SUBMITTED, chain[chain.index(awaiting) + 1]
    return target, None


TRAVEL_ORDER_REGISTRY = "travel-orders"


def travel_order_number(year: int, sequence: int) -> str:
    """The registry number a request gets when first submitted: it keeps it whatever happens next."""
    return f"TO-{year}-{sequence:05d}"


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
