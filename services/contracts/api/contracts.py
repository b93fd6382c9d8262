"""Contracts: drafted for an active award, signed by both sides, implemented through milestones and payments."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracts.api.common import PROCUREMENT, named, now
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
from services.contracts.domain.contract import (
    CONTRACT_LIFECYCLE,
    MILESTONE_LIFECYCLE,
    ContractStatus,
    MilestoneStatus,
    is_overdue,
)
from services.contracts.events.contents import value
from services.contracts.operations import contracts
from services.contracts.operations.contracts import find_contract, paid_total
from services.contracts.store.models import Amendment, Contract, Milestone, Payment
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

contracts_api = APIBlueprint("contracts", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="contracts", description="Contracts and their implementation")])


def serialize(session: Session, contract: Contract) -> dict:
    milestones = session.scalars(select(Milestone).where(Milestone.contract_id == contract.id)).all()
    today, paid = now().date(), paid_total(session, contract.id)
    return ContractOut(
        **{name: getattr(contract, name) for name in ContractOut.model_fields if hasattr(contract, name)},
        value=value(contract.amount, contract.currency),
        implementation={
            "paid": value(paid, contract.currency), "remaining": value(contract.amount - paid, contract.currency),
            "milestones": len(milestones),
            "milestones_met": sum(m.status == MilestoneStatus.MET for m in milestones),
            "milestones_overdue": sum(is_overdue(MilestoneStatus(m.status), m.due_on, today) for m in milestones)},
        allowed_actions=CONTRACT_LIFECYCLE.allowed_actions(contract.status)
        + (["sign"] if contract.status == ContractStatus.PENDING else []),
    ).model_dump(mode="json")


def contract_response(session: Session, contract: Contract):
    return record_response(serialize(session, contract), contract.version)


@contracts_api.post("/contracts", summary="Draft the contract of an active award (pending until both sign)",
                    responses={201: ContractOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def create_contract(body: ContractCreate):
    with unit_of_work() as uow:
        contract = contracts.create_contract(uow, body.award_id, body.model_dump(exclude={"award_id"}),
                                             body.model_dump(mode="json"))
        return created(uow, serialize(uow.session, contract), f"/api/v1/contracts/{contract.id}", contract.version)


@contracts_api.get("/contracts", summary="List contracts", responses={200: Page[ContractOut]})
@allow(*PROCUREMENT)
def list_contracts(query: ContractQuery):
    statement = select(Contract)
    statement = where_set(statement, Contract, query, ("status", "supplier_id", "tender_id"))
    if query.ends_before:
        statement = statement.where(Contract.period_end < query.ends_before)
    statement = sort_by(statement, query.sort, Contract,
                        ("period_start", "period_end", "amount", "status", "created_at"),
                        [Contract.period_start.desc(), Contract.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, lambda c: serialize(session, c)))


@contracts_api.get("/contracts/<contract_id>", summary="Read a contract with its implementation status",
                   responses={200: ContractOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_contract(path: ContractPath):
    with read_only() as session:
        return contract_response(session, find_contract(session, path.contract_id))


@contracts_api.post("/contracts/<contract_id>/sign", summary="Record one side's signature; both make it active",
                    responses={200: ContractOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def sign_contract(path: ContractPath, body: SignatureRequest):
    with unit_of_work() as uow:
        contract = contracts.sign_contract(uow, path.contract_id, body.party, body.signed_on,
                                           body.model_dump(mode="json"), if_match())
        return contract_response(uow.session, contract)


def _transition_view(action: str):
    def transition(path: ContractPath, body: TransitionRequest):
        with unit_of_work() as uow:
            contract = contracts.move_contract(uow, path.contract_id, action, body.reason, if_match())
            return contract_response(uow.session, contract)
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
        due_on=milestone.due_on, value=value(milestone.amount, currency), status=milestone.status,
        status_reason=milestone.status_reason, date_met=milestone.date_met, version=milestone.version,
        overdue=is_overdue(MilestoneStatus(milestone.status), milestone.due_on, now().date()),
    ).model_dump(mode="json")


@contracts_api.post("/contracts/<contract_id>/milestones",
                    summary="Schedule a delivery, payment or reporting milestone",
                    responses={201: MilestoneOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def schedule_milestone(path: ContractPath, body: MilestoneCreate):
    with unit_of_work() as uow:
        milestone, contract = contracts.schedule_milestone(
            uow, path.contract_id, {"title": body.title, "milestone_type": body.type.value, "due_on": body.due_on},
            body.value.model_dump() if body.value else None, body.model_dump(mode="json"))
        return created(uow, serialize_milestone(milestone, contract.currency),
                       f"/api/v1/contracts/{contract.id}/milestones/{milestone.id}", 1)


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
    statement = sort_by(statement, query.sort, Milestone, ("due_on", "status"), [Milestone.due_on, Milestone.id])
    with read_only() as session:
        contract = find_contract(session, path.contract_id)
        return json_response(paginate(session, statement, query,
                                      lambda m: serialize_milestone(m, contract.currency)))


def _milestone_view(action: str):
    def update(path: MilestonePath, body: MilestoneUpdate):
        with unit_of_work() as uow:
            milestone, contract = contracts.move_milestone(uow, path.contract_id, path.milestone_id, action,
                                                           body.reason, body.on, body.model_dump(mode="json"),
                                                           if_match())
            return record_response(serialize_milestone(milestone, contract.currency), milestone.version)
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
        amendment = contracts.amend_contract(uow, path.contract_id, body.rationale,
                                             body.value.model_dump() if body.value else None, body.period_end,
                                             body.title)
        return created(uow, serialize_amendment(amendment),
                       f"/api/v1/contracts/{path.contract_id}/amendments/{amendment.id}", 1)


@contracts_api.get("/contracts/<contract_id>/amendments", summary="List a contract's amendments",
                   responses={200: Page[AmendmentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_amendments(path: ContractPath, query: PageQuery):
    statement = select(Amendment).where(Amendment.contract_id == path.contract_id)
    statement = sort_by(statement, query.sort, Amendment, ("amended_at",), [Amendment.amended_at, Amendment.id])
    with read_only() as session:
        find_contract(session, path.contract_id)
        return json_response(paginate(session, statement, query, serialize_amendment))


# --- payments ---

def serialize_payment(payment: Payment) -> dict:
    return PaymentOut(id=payment.id, contract_id=payment.contract_id, milestone_id=payment.milestone_id,
                      value=value(payment.amount, payment.currency), paid_on=payment.paid_on,
                      reference=payment.reference, recorded_at=payment.recorded_at).model_dump(mode="json")


@contracts_api.post("/contracts/<contract_id>/payments", summary="Record a payment (never beyond the value)",
                    responses={201: PaymentOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def record_payment(path: ContractPath, body: PaymentCreate):
    with unit_of_work() as uow:
        payment = contracts.record_payment(uow, path.contract_id, body.model_dump(exclude={"value"}),
                                           body.value.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize_payment(payment),
                       f"/api/v1/contracts/{path.contract_id}/payments/{payment.id}", 1)


@contracts_api.get("/contracts/<contract_id>/payments", summary="List a contract's payments",
                   responses={200: Page[PaymentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_payments(path: ContractPath, query: PageQuery):
    statement = select(Payment).where(Payment.contract_id == path.contract_id)
    statement = sort_by(statement, query.sort, Payment, ("paid_on", "amount"), [Payment.paid_on, Payment.id])
    with read_only() as session:
        find_contract(session, path.contract_id)
        return json_response(paginate(session, statement, query, serialize_payment))
