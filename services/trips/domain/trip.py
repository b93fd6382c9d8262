"""A trip request's lifecycle and its approval chain, decided by who travels (docs/decisions/0020)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from shared.kit.departments import department_key
from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Conflict, Invalid


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

# `approve` leads to APPROVED only on the chain's last step; before that the request stays submitted and
# moves to the next step (see `decide`). A closed trip reopens as approved (its costs or report need
# correcting); a cancelled one as a draft to resubmit (REOPENED_AS: the one action whose target depends
# on where it starts).
TRIP_LIFECYCLE = Lifecycle(
    record="trip request", status_type=TripStatus,
    transitions={
        "submit": (EDITABLE_STATES, TripStatus.SUBMITTED),
        "approve": ((TripStatus.SUBMITTED,), TripStatus.APPROVED),
        "send-back": ((TripStatus.SUBMITTED,), TripStatus.RETURNED),
        "recall": ((TripStatus.SUBMITTED,), TripStatus.DRAFT),
        "cancel": (OPEN_STATES, TripStatus.CANCELLED),
        "close": ((TripStatus.APPROVED,), TripStatus.CLOSED),
        "reopen": ((TripStatus.CLOSED, TripStatus.CANCELLED), TripStatus.APPROVED),
    },
    event_action={"submit": "submitted", "approve": "approved", "send-back": "sent-back", "recall": "recalled",
                  "cancel": "cancelled", "close": "closed", "reopen": "reopened"},
    reason_required=frozenset({"send-back", "cancel", "reopen"}))
REOPENED_AS = {TripStatus.CANCELLED: TripStatus.DRAFT}
STEP_APPROVED = "step-approved"  # the event action of an approval that is not the chain's last
DECIDING_ACTIONS = ("approve", "send-back")

# International trips need visas and invitations answered in time: the decision is due two weeks ahead.
DECISION_LEAD_DAYS = 14


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


class NoTravellers(Invalid):
    def __init__(self) -> None:
        super().__init__("travellers", "add at least one traveller before submitting the request")


class InvalidDates(Invalid):
    def __init__(self) -> None:
        super().__init__("ends_on", "the trip cannot end before it starts")


class NotEditable(Conflict):
    def __init__(self, status: TripStatus):
        super().__init__(f"a trip request that is {status.value} cannot be changed; recall it or reopen it first",
                         slug="illegal-transition",
                         allowed_actions=TRIP_LIFECYCLE.allowed_actions(status))


def next_status(status: TripStatus, action: str, reason: str | None) -> TripStatus:
    """The state an action leads to, or IllegalTransition naming the actions that are allowed."""
    target = TripStatus(TRIP_LIFECYCLE.next_status(status, action, reason))
    return REOPENED_AS.get(status, target) if action == "reopen" else target


def approval_chain(travellers: Iterable[tuple[TravellerCategory, str]]) -> list[Step]:
    """Staff need the head of their department, one step per department in the order they appear; the mayor
    and deputies need the mayor's office; a mixed delegation needs both, the department heads first."""
    travellers = list(travellers)
    if not travellers:
        raise NoTravellers()
    staff_departments: dict[str, str] = {}
    for category, department in travellers:
        if category == TravellerCategory.STAFF:
            staff_departments.setdefault(department_key(department), department)
    chain = [Step(ApprovalStep.DEPARTMENT_HEAD, department) for department in staff_departments.values()]
    if {category for category, _ in travellers} & {TravellerCategory.MAYOR, TravellerCategory.DEPUTY_MAYOR}:
        chain.append(Step(ApprovalStep.MAYOR_OFFICE))
    return chain


class PlaceShape(Protocol):
    country: str
    city: str


class TravellerShape(Protocol):
    category: str
    department: str


class TripShape(Protocol):
    """What the rules read of a stored trip request."""

    approval_chain: str
    awaiting: str | None
    awaiting_department: str | None

    @property
    def destinations(self) -> Sequence[PlaceShape]: ...

    @property
    def travellers(self) -> Sequence[TravellerShape]: ...


def countries_of(trip: TripShape) -> list[str]:
    """The destinations' countries, each once, in order."""
    return list(dict.fromkeys(destination.country for destination in trip.destinations))


def travellers_of(trip: TripShape) -> list[tuple[TravellerCategory, str]]:
    return [(TravellerCategory(traveller.category), traveller.department) for traveller in trip.travellers]


def chain_of(trip: TripShape) -> list[Step]:
    """The chain fixed at submission: its roles are stored, and a staff step's departments are those of the
    travellers, which cannot change while the request is submitted or decided."""
    roles = {ApprovalStep(role) for role in trip.approval_chain.split(",") if role}
    if not roles or not trip.travellers:
        return []
    return [step for step in approval_chain(travellers_of(trip)) if step.role in roles]


def awaiting_of(trip: TripShape) -> Step | None:
    return Step(ApprovalStep(trip.awaiting), trip.awaiting_department) if trip.awaiting else None


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
        raise InvalidDates()


def check_editable(status: TripStatus) -> None:
    if status not in EDITABLE_STATES:
        raise NotEditable(status)
