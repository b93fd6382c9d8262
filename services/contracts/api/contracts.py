"""Contracts: drafted for an active award, signed by both sides, implemented through milestones and payments."""

from __future__ import annotations

from decimal import Decimal

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.contracts.api.common import (
    BODY_PROBLEMS,
    PROCUREMENT,
    advance,
    conflict,
    find,
    invalid,
    named,
    now,
    record_response,
)
from services.contracts.api.contract_schemas import (
    AmendmentCreate,
    AmendmentOut,
    ContractCreate,
    ContractOut,
    ContractPath,
    ContractQuery,
    MilestoneCreate,
    MilestoneOut,
    MilestonePath,
    MilestoneQuery,
    MilestoneUpdate,
    PaymentCreate,
    PaymentOut,
    SignatureRequest,
)
from services.contracts.api.schemas import TransitionRequest
from services.contracts.domain.award import AwardStatus
from services.contracts.domain.contract import (
    CONTRACT_LIFECYCLE,
    MILESTONE_LIFECYCLE,
    ContractProblem,
    ContractStatus,
    MilestoneStatus,
    check_amendable,
    check_amended_value,
    check_payment,
    is_overdue,
    sign,
)
from services.contracts.domain.money import format_amount
from services.contracts.store.models import Amendment, Award, Contract, Milestone, Payment
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

contracts_api = APIBlueprint("contracts", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="contracts", description="Contracts and their implementation")])
EVENT_FIELDS = ("id", "tender_id", "award_id", "supplier_id", "title", "value", "period_start", "period_end",
                "buyer_signed_on", "supplier_signed_on", "status", "status_reason", "version")


def money(amount, currency) -> dict | None:
    return None if amount is None else {"amount": amount, "currency": currency}


def paid_total(session: Session, contract_id: str) -> Decimal:
    total = session.scalar(select(func.sum(Payment.amount)).where(Payment.contract_id == contract_id))
    return total if total is not None else Decimal("0.00")  # the sum keeps the column's type: exact cents


def serialize(session: Session, contract: Contract) -> dict:
    milestones = session.scalars(select(Milestone).where(Milestone.contract_id == contract.id)).all()
    today, paid = now().date(), paid_total(session, contract.id)
    return ContractOut(
        **{name: getattr(contract, name) for name in ContractOut.model_fields if hasattr(contract, name)},
        value=money(contract.amount, contract.currency),
        implementation={
            "paid": money(paid, contract.currency), "remaining": money(contract.amount - paid, contract.currency),
            "milestones": len(milestones),
            "milestones_met": sum(m.status == MilestoneStatus.MET for m in milestones),
            "milestones_overdue": sum(is_overdue(MilestoneStatus(m.status), m.due_on, today) for m in milestones)},
        allowed_actions=CONTRACT_LIFECYCLE.allowed_actions(ContractStatus(contract.status))
        + (["sign"] if contract.status == ContractStatus.PENDING else []),
    ).model_dump(mode="json")


def emit(uow: UnitOfWork, contract: Contract, action: str, changes: dict) -> dict:
    uow.session.flush()
    body = serialize(uow.session, contract)
    uow.emit(f"chancery.contracts.contract.{action}.v1", contract.id, {name: body[name] for name in EVENT_FIELDS})
    uow.audit(f"contract.{action}", "contract", contract.id, changes)
    return body


def contract_problem(error: ContractProblem) -> Problem:
    return invalid(error.field, error)


def state_conflict(contract: Contract, error: ContractProblem) -> Problem:
    return conflict(str(error), CONTRACT_LIFECYCLE.allowed_actions(ContractStatus(contract.status)))


@contracts_api.post("/contracts", summary="Draft the contract of an active award (pending until both sign)",
                    responses={201: ContractOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def create_contract(body: ContractCreate):
    with unit_of_work() as uow:
        award = find(uow.session, Award, body.award_id, "award", for_update=True)
        if award.status != AwardStatus.ACTIVE:
            raise conflict(f"a contract is drafted for an active award; this one is {award.status}", [])
        if uow.session.scalar(select(Contract.id).where(Contract.award_id == award.id)):
            raise conflict("the award has its contract already", [])
        contract = Contract(tender_id=award.tender_id, award_id=award.id, supplier_id=award.supplier_id,
                            amount=award.amount, currency=award.currency, **body.model_dump(exclude={"award_id"}),
                            status=ContractStatus.PENDING.value, version=1, created_by=uow.actor)
        uow.session.add(contract)
        out = emit(uow, contract, "created", body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/contracts/{contract.id}", contract.version)


@contracts_api.get("/contracts", summary="List contracts", responses={200: Page[ContractOut]})
@allow(*PROCUREMENT)
def list_contracts(query: ContractQuery):
    statement = select(Contract)
    for name in ("status", "supplier_id", "tender_id"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Contract, name) == getattr(query, name))
    if query.ends_before:
        statement = statement.where(Contract.period_end < query.ends_before)
    sortable = {name: getattr(Contract, name) for name in ("period_start", "period_end", "amount", "status",
                                                           "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Contract.period_start.desc(), Contract.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, lambda c: serialize(session, c)))


@contracts_api.get("/contracts/<contract_id>", summary="Read a contract with its implementation status",
                   responses={200: ContractOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_contract(path: ContractPath):
    with read_only() as session:
        contract = find(session, Contract, path.contract_id, "contract")
        return record_response(serialize(session, contract), contract.version)


@contracts_api.post("/contracts/<contract_id>/sign", summary="Record one side's signature; both make it active",
                    responses={200: ContractOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def sign_contract(path: ContractPath, body: SignatureRequest):
    with unit_of_work() as uow:
        contract = find(uow.session, Contract, path.contract_id, "contract", for_update=True)
        require_fresh(contract.version)
        signed = {party: getattr(contract, f"{party.value}_signed_on") for party in type(body.party)}
        try:
            status = sign(ContractStatus(contract.status), signed, body.party)
        except ContractProblem as error:
            raise state_conflict(contract, error) from error
        setattr(contract, f"{body.party.value}_signed_on", body.signed_on)
        contract.status, contract.version = status.value, contract.version + 1
        return record_response(emit(uow, contract, "signed", body.model_dump(mode="json")), contract.version)


def _transition_view(action: str):
    def transition(path: ContractPath, body: TransitionRequest):
        with unit_of_work() as uow:
            contract = find(uow.session, Contract, path.contract_id, "contract", for_update=True)
            require_fresh(contract.version)
            previous = advance(CONTRACT_LIFECYCLE, ContractStatus, contract, action, body.reason)
            if action == "complete" and not body.reason:
                contract.status_reason = "completed"
            out = emit(uow, contract, CONTRACT_LIFECYCLE.event_action[action],
                       {"status": [previous, contract.status], "reason": contract.status_reason})
            return record_response(out, contract.version)
    return named(f"{action}_contract", transition)


SUMMARIES = {"cancel": "Cancel an unsigned contract, with a reason", "complete": "Close a fulfilled contract",
             "terminate": "Terminate an active contract early, with a reason"}
for _action in CONTRACT_LIFECYCLE.transitions:
    contracts_api.post(f"/contracts/<contract_id>/{_action}", summary=SUMMARIES[_action],
                       responses={200: ContractOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))


# --- milestones ---

def serialize_milestone(milestone: Milestone, currency: str) -> dict:
    return MilestoneOut(
        id=milestone.id, contract_id=milestone.contract_id, title=milestone.title, type=milestone.milestone_type,
        due_on=milestone.due_on, value=money(milestone.amount, currency), status=milestone.status,
        status_reason=milestone.status_reason, date_met=milestone.date_met, version=milestone.version,
        overdue=is_overdue(MilestoneStatus(milestone.status), milestone.due_on, now().date()),
    ).model_dump(mode="json")


def emit_milestone(uow: UnitOfWork, milestone: Milestone, contract: Contract, action: str, changes: dict) -> dict:
    uow.session.flush()
    body = serialize_milestone(milestone, contract.currency)
    uow.emit(f"chancery.contracts.contract-milestone.{action}.v1", milestone.id, body)
    uow.audit(f"contract-milestone.{action}", "contract-milestone", milestone.id, changes)
    return body


@contracts_api.post("/contracts/<contract_id>/milestones",
                    summary="Schedule a delivery, payment or reporting milestone",
                    responses={201: MilestoneOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def schedule_milestone(path: ContractPath, body: MilestoneCreate):
    with unit_of_work() as uow:
        contract = find(uow.session, Contract, path.contract_id, "contract")
        try:
            check_amendable(ContractStatus(contract.status))
        except ContractProblem as error:
            raise state_conflict(contract, error) from error
        if body.value is not None and body.value.currency != contract.currency:
            raise invalid("value.currency", f"the contract is in {contract.currency}")
        milestone = Milestone(contract_id=contract.id, title=body.title, milestone_type=body.type.value,
                              due_on=body.due_on, amount=body.value.amount if body.value else None,
                              status=MilestoneStatus.SCHEDULED.value, version=1, created_by=uow.actor)
        uow.session.add(milestone)
        out = emit_milestone(uow, milestone, contract, "scheduled", body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/contracts/{contract.id}/milestones/{milestone.id}", 1)


@contracts_api.get("/contracts/<contract_id>/milestones", summary="List a contract's milestones (overdue ones flagged)",
                   responses={200: Page[MilestoneOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_milestones(path: ContractPath, query: MilestoneQuery):
    statement = select(Milestone).where(Milestone.contract_id == path.contract_id)
    if query.status is not None:
        statement = statement.where(Milestone.status == query.status)
    if query.type is not None:
        statement = statement.where(Milestone.milestone_type == query.type)
    if query.overdue is not None:
        late = Milestone.status.in_(("scheduled", "partiallyMet")) & (Milestone.due_on < now().date())
        statement = statement.where(late if query.overdue else ~late)
    statement = apply_sort(statement, query.sort, {"due_on": Milestone.due_on, "status": Milestone.status},
                           [Milestone.due_on, Milestone.id])
    with read_only() as session:
        contract = find(session, Contract, path.contract_id, "contract")
        return json_response(paginate(session, statement, query,
                                      lambda m: serialize_milestone(m, contract.currency)))


def _milestone_view(action: str):
    def update(path: MilestonePath, body: MilestoneUpdate):
        with unit_of_work() as uow:
            contract = find(uow.session, Contract, path.contract_id, "contract")
            milestone = find(uow.session, Milestone, path.milestone_id, "milestone", for_update=True)
            if milestone.contract_id != contract.id:
                raise Problem(404, "Not found", "No such milestone on this contract", slug="not-found")
            require_fresh(milestone.version)
            previous = advance(MILESTONE_LIFECYCLE, MilestoneStatus, milestone, action, body.reason)
            if action != "miss":
                milestone.date_met = body.on or now().date()
            out = emit_milestone(uow, milestone, contract, MILESTONE_LIFECYCLE.event_action[action],
                                 {"status": [previous, milestone.status], **body.model_dump(mode="json")})
            return record_response(out, milestone.version)
    return named(f"{action.replace('-', '_')}_milestone", update)


for _action in MILESTONE_LIFECYCLE.transitions:
    contracts_api.post(f"/contracts/<contract_id>/milestones/<milestone_id>/{_action}",
                       summary=f"Record the milestone as {MILESTONE_LIFECYCLE.transitions[_action][1].value}",
                       responses={200: MilestoneOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_milestone_view(_action)))


# --- amendments ---

def serialize_amendment(amendment: Amendment) -> dict:
    return AmendmentOut.model_validate(amendment).model_dump(mode="json")


@contracts_api.post("/contracts/<contract_id>/amendments", summary="Amend a contract, with the rationale",
                    responses={201: AmendmentOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def amend_contract(path: ContractPath, body: AmendmentCreate):
    with unit_of_work() as uow:
        contract = find(uow.session, Contract, path.contract_id, "contract", for_update=True)
        try:
            check_amendable(ContractStatus(contract.status))
        except ContractProblem as error:
            raise state_conflict(contract, error) from error
        changes = {}
        if body.value is not None:
            if body.value.currency != contract.currency:
                raise invalid("value.currency", f"the contract is in {contract.currency}")
            try:
                check_amended_value(body.value.amount, paid_total(uow.session, contract.id))
            except ContractProblem as error:
                raise contract_problem(error) from error
            changes["value"] = [format_amount(contract.amount), format_amount(body.value.amount)]
            contract.amount = body.value.amount
        if body.period_end is not None:
            if body.period_end < contract.period_start:
                raise invalid("period_end", "the contract cannot end before it starts")
            changes["period_end"] = [contract.period_end.isoformat(), body.period_end.isoformat()]
            contract.period_end = body.period_end
        if body.title is not None:
            changes["title"] = [contract.title, body.title]
            contract.title = body.title
        amendment = Amendment(contract_id=contract.id, rationale=body.rationale, changes=changes,
                              amended_at=now(), created_by=uow.actor)
        uow.session.add(amendment)
        contract.version += 1
        emit(uow, contract, "amended", {"rationale": body.rationale, "changes": changes})
        uow.session.flush()
        return created(uow, serialize_amendment(amendment),
                       f"/api/v1/contracts/{contract.id}/amendments/{amendment.id}", 1)


@contracts_api.get("/contracts/<contract_id>/amendments", summary="List a contract's amendments",
                   responses={200: Page[AmendmentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_amendments(path: ContractPath, query: PageQuery):
    statement = select(Amendment).where(Amendment.contract_id == path.contract_id)
    statement = apply_sort(statement, query.sort, {"amended_at": Amendment.amended_at},
                           [Amendment.amended_at, Amendment.id])
    with read_only() as session:
        find(session, Contract, path.contract_id, "contract")
        return json_response(paginate(session, statement, query, serialize_amendment))


# --- payments ---

def serialize_payment(payment: Payment) -> dict:
    return PaymentOut(id=payment.id, contract_id=payment.contract_id, milestone_id=payment.milestone_id,
                      value=money(payment.amount, payment.currency), paid_on=payment.paid_on,
                      reference=payment.reference, recorded_at=payment.recorded_at).model_dump(mode="json")


@contracts_api.post("/contracts/<contract_id>/payments", summary="Record a payment (never beyond the value)",
                    responses={201: PaymentOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def record_payment(path: ContractPath, body: PaymentCreate):
    with unit_of_work() as uow:
        # The contract's row lock keeps two concurrent payments from both fitting under the value.
        contract = find(uow.session, Contract, path.contract_id, "contract", for_update=True)
        if body.value.currency != contract.currency:
            raise invalid("value.currency", f"the contract is in {contract.currency}")
        if body.milestone_id is not None:
            milestone = uow.session.get(Milestone, body.milestone_id)
            if milestone is None or milestone.contract_id != contract.id:
                raise invalid("milestone_id", "no such milestone on this contract")
        try:
            check_payment(ContractStatus(contract.status), contract.amount, paid_total(uow.session, contract.id),
                          body.value.amount)
        except ContractProblem as error:
            if error.field == "contract":
                raise state_conflict(contract, error) from error
            raise contract_problem(error) from error
        payment = Payment(contract_id=contract.id, milestone_id=body.milestone_id, amount=body.value.amount,
                          currency=body.value.currency, paid_on=body.paid_on, reference=body.reference,
                          recorded_at=now(), created_by=uow.actor)
        uow.session.add(payment)
        uow.session.flush()
        out = serialize_payment(payment)
        uow.emit("chancery.contracts.contract-payment.recorded.v1", payment.id, out)
        uow.audit("contract-payment.recorded", "contract-payment", payment.id, body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/contracts/{contract.id}/payments/{payment.id}", 1)


@contracts_api.get("/contracts/<contract_id>/payments", summary="List a contract's payments",
                   responses={200: Page[PaymentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_payments(path: ContractPath, query: PageQuery):
    statement = select(Payment).where(Payment.contract_id == path.contract_id)
    statement = apply_sort(statement, query.sort, {"paid_on": Payment.paid_on, "amount": Payment.amount},
                           [Payment.paid_on, Payment.id])
    with read_only() as session:
        find(session, Contract, path.contract_id, "contract")
        return json_response(paginate(session, statement, query, serialize_payment))
