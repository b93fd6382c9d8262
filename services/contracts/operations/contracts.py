"""Contracts: drafted for an active award, signed by both sides, implemented through milestones, amendments
and payments, closed or terminated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.contracts.domain.award import AwardStatus
from services.contracts.domain.contract import (
    CONTRACT_LIFECYCLE,
    MILESTONE_LIFECYCLE,
    ContractProblem,
    ContractStatus,
    MilestoneStatus,
    Party,
    check_amendable,
    check_amended_value,
    check_payment,
    sign,
)
from services.contracts.domain.refusals import NotInThisState
from services.contracts.events import contents
from services.contracts.operations.awards import find_award
from services.contracts.operations.versions import take_action
from services.contracts.store.models import Amendment, Contract, Milestone, Payment
from shared.db import find, finder
from shared.kit.money import format_amount
from shared.kit.refusals import Invalid, require_version
from shared.uow import UnitOfWork

find_contract = finder(Contract, "contract")


def paid_total(session: Session, contract_id: str) -> Decimal:
    total = session.scalar(select(func.sum(Payment.amount)).where(Payment.contract_id == contract_id))
    return total if total is not None else Decimal("0.00")  # the sum keeps the column's type: exact cents


def record_contract_change(uow: UnitOfWork, contract: Contract, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("contract", action, contract, contents.contract, changes)


def not_in_this_state(contract: Contract, error: ContractProblem) -> NotInThisState:
    return NotInThisState(error.message, CONTRACT_LIFECYCLE.allowed_actions(contract.status))


def check_open(contract: Contract) -> None:
    """Milestones and amendments are for a pending or active contract."""
    try:
        check_amendable(ContractStatus(contract.status))
    except ContractProblem as error:
        raise not_in_this_state(contract, error) from error


def check_currency(contract: Contract, value: dict[str, Any]) -> None:
    if value["currency"] != contract.currency:
        raise Invalid("value.currency", f"the contract is in {contract.currency}")


def create_contract(uow: UnitOfWork, award_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> Contract:
    """The contract of an active award, with its supplier and value; pending until both sides sign."""
    award = find_award(uow.session, award_id, for_update=True)
    if award.status != AwardStatus.ACTIVE:
        raise NotInThisState(f"a contract is drafted for an active award; this one is {award.status}")
    if uow.session.scalar(select(Contract.id).where(Contract.award_id == award.id)):
        raise NotInThisState("the award has its contract already")
    contract = Contract(tender_id=award.tender_id, award_id=award.id, supplier_id=award.supplier_id,
                        amount=award.amount, currency=award.currency, **fields, status=ContractStatus.PENDING.value,
                        version=1, created_by=uow.actor)
    uow.session.add(contract)
    record_contract_change(uow, contract, "created", changes)
    return contract


def sign_contract(uow: UnitOfWork, contract_id: str, party: Party, signed_on: date, changes: dict[str, Any],
                  expected_version: frozenset[int] | None) -> Contract:
    contract = find_contract(uow.session, contract_id, for_update=True)
    require_version(contract.version, expected_version)
    signed = {side: getattr(contract, f"{side.value}_signed_on") for side in Party}
    try:
        status = sign(ContractStatus(contract.status), signed, party)
    except ContractProblem as error:
        raise not_in_this_state(contract, error) from error
    setattr(contract, f"{party.value}_signed_on", signed_on)
    contract.status, contract.version = status.value, contract.version + 1
    record_contract_change(uow, contract, "signed", changes)
    return contract


def move_contract(uow: UnitOfWork, contract_id: str, action: str, reason: str | None,
                  expected_version: frozenset[int] | None) -> Contract:
    """Cancel, complete or terminate; a contract completed without a reason says so."""
    contract = find_contract(uow.session, contract_id, for_update=True)
    changes = take_action(contract, CONTRACT_LIFECYCLE, action, reason, expected_version)
    if action == "complete" and not contract.status_reason:
        contract.status_reason = changes["reason"] = "completed"
    record_contract_change(uow, contract, CONTRACT_LIFECYCLE.past_tense(action), changes)
    return contract


def record_milestone_change(uow: UnitOfWork, milestone: Milestone, contract: Contract, action: str,
                            changes: dict[str, Any]) -> None:
    today = uow.now().date()
    uow.record_change("contract-milestone", action, milestone,
                      lambda record: contents.contract_milestone(record, contract.currency, today), changes)


def schedule_milestone(uow: UnitOfWork, contract_id: str, fields: dict[str, Any], value: dict[str, Any] | None,
                       changes: dict[str, Any]) -> tuple[Milestone, Contract]:
    contract = find_contract(uow.session, contract_id)
    check_open(contract)
    if value is not None:
        check_currency(contract, value)
    milestone = Milestone(contract_id=contract.id, **fields, amount=value["amount"] if value else None,
                          status=MilestoneStatus.SCHEDULED.value, version=1, created_by=uow.actor)
    uow.session.add(milestone)
    record_milestone_change(uow, milestone, contract, "scheduled", changes)
    return milestone, contract


def move_milestone(uow: UnitOfWork, contract_id: str, milestone_id: str, action: str, reason: str | None,
                   on: date | None, changes: dict[str, Any],
                   expected_version: frozenset[int] | None) -> tuple[Milestone, Contract]:
    """Met (fully or partly, on a day: today unless said) or missed, with a reason."""
    contract = find_contract(uow.session, contract_id)
    milestone = find(uow.session, Milestone, milestone_id, "milestone", for_update=True, contract_id=contract.id)
    step = take_action(milestone, MILESTONE_LIFECYCLE, action, reason, expected_version)
    if action != "miss":
        milestone.date_met = on or uow.now().date()
    record_milestone_change(uow, milestone, contract, MILESTONE_LIFECYCLE.past_tense(action),
                            {"status": step["status"], **changes})
    return milestone, contract


def amend_contract(uow: UnitOfWork, contract_id: str, rationale: str, value: dict[str, Any] | None,
                   period_end: date | None, title: str | None) -> Amendment:
    """Change the value (never below what is paid), the end or the title, keeping what changed and why."""
    contract = find_contract(uow.session, contract_id, for_update=True)
    check_open(contract)
    changes: dict[str, Any] = {}
    if value is not None:
        check_currency(contract, value)
        check_amended_value(value["amount"], paid_total(uow.session, contract.id))
        changes["value"] = [format_amount(contract.amount), format_amount(value["amount"])]
        contract.amount = value["amount"]
    if period_end is not None:
        if period_end < contract.period_start:
            raise Invalid("period_end", "the contract cannot end before it starts")
        changes["period_end"] = [contract.period_end.isoformat(), period_end.isoformat()]
        contract.period_end = period_end
    if title is not None:
        changes["title"] = [contract.title, title]
        contract.title = title
    amendment = Amendment(contract_id=contract.id, rationale=rationale, changes=changes, amended_at=uow.now(),
                          created_by=uow.actor)
    uow.session.add(amendment)
    contract.version += 1
    record_contract_change(uow, contract, "amended", {"rationale": rationale, "changes": changes})
    return amendment


def record_payment(uow: UnitOfWork, contract_id: str, fields: dict[str, Any], value: dict[str, Any],
                   changes: dict[str, Any]) -> Payment:
    """A payment on an active contract, never beyond its value, its payment order's number used once on the
    contract (it is the payment's id in OCDS); the contract's row lock keeps two concurrent payments from both
    fitting under it."""
    contract = find_contract(uow.session, contract_id, for_update=True)
    check_currency(contract, value)
    milestone_id = fields.get("milestone_id")
    if milestone_id is not None:
        milestone = uow.session.get(Milestone, milestone_id)
        if milestone is None or milestone.contract_id != contract.id:
            raise Invalid("milestone_id", "no such milestone on this contract")
    try:
        check_payment(ContractStatus(contract.status), contract.amount, paid_total(uow.session, contract.id),
                      value["amount"])
    except ContractProblem as error:
        if error.field == "contract":
            raise not_in_this_state(contract, error) from error
        raise
    if uow.session.scalar(select(Payment.id).where(Payment.contract_id == contract.id,
                                                   Payment.reference == fields["reference"])):
        raise Invalid("reference", "a payment with this payment order's number is already recorded on this contract")
    payment = Payment(contract_id=contract.id, **fields, amount=value["amount"], currency=value["currency"],
                      recorded_at=uow.now(), created_by=uow.actor)
    uow.session.add(payment)
    uow.record_change("contract-payment", "recorded", payment, contents.contract_payment, changes)
    return payment
