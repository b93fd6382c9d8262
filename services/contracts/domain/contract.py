"""Contracts and their implementation: signing by both sides, milestones, amendments and payments.

A contract is drafted for an active award, `pending` until the buyer and the supplier have both signed,
then `active`; it ends `terminated` (completed, or terminated early with a reason) or, unsigned,
`cancelled` with a reason: the OCDS 1.1.5 contractStatus codes (decision 0034). Payments never exceed the
contract's value; an amendment never lowers the value below what has been paid.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid


class ContractStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    CANCELLED = "cancelled"
    TERMINATED = "terminated"


class Party(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"


C = ContractStatus
CONTRACT_LIFECYCLE = Lifecycle(
    record="contract",
    status_type=ContractStatus,
    transitions={
        "cancel": ((C.PENDING,), C.CANCELLED),
        "complete": ((C.ACTIVE,), C.TERMINATED),
        "terminate": ((C.ACTIVE,), C.TERMINATED),
    },
    event_action={"cancel": "cancelled", "complete": "completed", "terminate": "terminated"},
    reason_required=frozenset({"cancel", "terminate"}),
)


class MilestoneType(StrEnum):
    DELIVERY = "delivery"
    PAYMENT = "payment"
    REPORTING = "reporting"


class MilestoneStatus(StrEnum):
    """The OCDS 1.1.5 milestoneStatus codelist."""

    SCHEDULED = "scheduled"
    MET = "met"
    NOT_MET = "notMet"
    PARTIALLY_MET = "partiallyMet"


M = MilestoneStatus
MILESTONE_LIFECYCLE = Lifecycle(
    record="milestone",
    status_type=MilestoneStatus,
    transitions={
        "meet": ((M.SCHEDULED, M.PARTIALLY_MET), M.MET),
        "meet-partially": ((M.SCHEDULED,), M.PARTIALLY_MET),
        "miss": ((M.SCHEDULED, M.PARTIALLY_MET), M.NOT_MET),
    },
    event_action={"meet": "met", "meet-partially": "partially-met", "miss": "missed"},
    reason_required=frozenset({"miss"}),
)
OCDS_MILESTONE_TYPE = {MilestoneType.DELIVERY: "delivery", MilestoneType.PAYMENT: "financing",
                       MilestoneType.REPORTING: "reporting"}


class ContractProblem(Invalid):
    """A contract change the rules refuse, naming the field at fault."""


def check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ContractProblem("period_end", "the contract cannot end before it starts")


def sign(status: ContractStatus, signed: dict[Party, date | None], party: Party) -> ContractStatus:
    """The status after `party` signs: active once both sides have."""
    if status != C.PENDING:
        raise ContractProblem("party", f"a contract is signed while pending; this one is {status.value}")
    signed_on = signed[party]
    if signed_on is not None:
        raise ContractProblem("party", f"the {party.value} signed on {signed_on.isoformat()} already")
    others = [other for other in Party if other != party]
    return C.ACTIVE if all(signed[other] is not None for other in others) else C.PENDING


def check_payment(status: ContractStatus, value: Decimal, paid: Decimal, amount: Decimal) -> None:
    if status != C.ACTIVE:
        raise ContractProblem("contract", f"payments are recorded on an active contract, not a {status.value} one")
    if paid + amount > value:
        raise ContractProblem("value.amount", f"the payment would exceed the contract's value: {value - paid} "
                                              f"remains to be paid")


def check_amendable(status: ContractStatus) -> None:
    if status not in (C.PENDING, C.ACTIVE):
        raise ContractProblem("contract", f"a {status.value} contract can no longer be amended")


def check_amended_value(new_value: Decimal, paid: Decimal) -> None:
    if new_value < paid:
        raise ContractProblem("value.amount", f"{paid} has been paid already; the value cannot be lower")


def is_overdue(status: MilestoneStatus, due_on: date, today: date) -> bool:
    return status in (M.SCHEDULED, M.PARTIALLY_MET) and due_on < today
