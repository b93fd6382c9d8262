"""Contracts: drafted for an active award, signed by both sides, implemented through milestones and payments."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, object_session

from services.contracts.api import contract_schemas as schemas
from services.contracts.api.common import PROCUREMENT, named, now
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
from shared.http.records import BODY_PROBLEMS, action_body, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate, sorted_by
from shared.http.views import Resource, acting, blueprint
from shared.http.work import read_only, unit_of_work

contracts_api = blueprint("contracts", __name__, "Contracts and their implementation")


def serialize(session: Session, contract: Contract) -> dict:
    milestones = session.scalars(select(Milestone).where(Milestone.contract_id == contract.id)).all()
    today, paid = now().date(), paid_total(session, contract.id)
    return schemas.ContractOut(
        **{name: getattr(contract, name) for name in schemas.ContractOut.model_fields if hasattr(contract, name)},
        value=value(contract.amount, contract.currency),
        implementation={
            "paid": value(paid, contract.currency), "remaining": value(contract.amount - paid, contract.currency),
            "milestones": len(milestones),
            "milestones_met": sum(m.status == MilestoneStatus.MET for m in milestones),
            "milestones_overdue": sum(is_overdue(MilestoneStatus(m.status), m.due_on, today) for m in milestones)},
        allowed_actions=CONTRACT_LIFECYCLE.allowed_actions(contract.status)
        + (["sign"] if contract.status == ContractStatus.PENDING else []),
    ).model_dump(mode="json")


def ending_before(statement: Select, query: schemas.ContractQuery) -> Select:
    if query.ends_before:
        statement = statement.where(Contract.period_end < query.ends_before)
    return statement


CONTRACTS = Resource(contracts_api, "/contracts", "contract_id", Contract, schemas.ContractOut, PROCUREMENT,
                     PROCUREMENT,
                     serialize=lambda contract: serialize(object_session(contract), contract))
CONTRACTS.create("create_contract", "Draft the contract of an active award (pending until both sign)",
                 schemas.ContractCreate,
                 lambda uow, ids, body: contracts.create_contract(uow, body.award_id,
                                                                  body.model_dump(exclude={"award_id"}),
                                                                  body.model_dump(mode="json")), problems=(404, 409))
CONTRACTS.listing("list_contracts", "List contracts", schemas.ContractQuery, filters=("status", "supplier_id",
                                                                                      "tender_id"),
                  narrow=(ending_before,), sortable=("period_start", "period_end", "amount", "status", "created_at"),
                  order=("-period_start",))
CONTRACTS.read("get_contract", "Read a contract with its implementation status", schemas.ContractPath)
CONTRACTS.act("sign", "sign_contract", "Record one side's signature; both make it active", schemas.ContractPath,
              acting(contracts.sign_contract, "party", "signed_on"), body=schemas.SignatureRequest)
CONTRACTS.transitions(schemas.ContractPath, contracts.move_contract, CONTRACT_LIFECYCLE,
                      {"cancel": "Cancel an unsigned contract, with a reason", "complete": "Close a fulfilled contract",
                       "terminate": "Terminate an active contract early, with a reason"})


# --- milestones ---

def serialize_milestone(milestone: Milestone, currency: str) -> dict:
    return schemas.MilestoneOut(
        id=milestone.id, contract_id=milestone.contract_id, title=milestone.title, type=milestone.milestone_type,
        due_on=milestone.due_on, value=value(milestone.amount, currency), status=milestone.status,
        status_reason=milestone.status_reason, date_met=milestone.date_met, version=milestone.version,
        overdue=is_overdue(MilestoneStatus(milestone.status), milestone.due_on, now().date()),
    ).model_dump(mode="json")


@contracts_api.post("/contracts/<contract_id>/milestones",
                    summary="Schedule a delivery, payment or reporting milestone",
                    responses={201: schemas.MilestoneOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def schedule_milestone(path: schemas.ContractPath, body: schemas.MilestoneCreate):
    with unit_of_work() as uow:
        milestone, contract = contracts.schedule_milestone(
            uow, path.contract_id, {"title": body.title, "milestone_type": body.type.value, "due_on": body.due_on},
            body.value.model_dump() if body.value else None, body.model_dump(mode="json"))
        return created(uow, serialize_milestone(milestone, contract.currency),
                       f"/api/v1/contracts/{contract.id}/milestones/{milestone.id}", 1)


MILESTONE_ORDER = {"due_on": Milestone.due_on, "status": Milestone.status}
MilestoneQuery = sorted_by(schemas.MilestoneQuery, MILESTONE_ORDER)


@contracts_api.get("/contracts/<contract_id>/milestones", summary="List a contract's milestones (overdue ones flagged)",
                   responses={200: Page[schemas.MilestoneOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_milestones(path: schemas.ContractPath, query: MilestoneQuery):
    statement = select(Milestone).where(Milestone.contract_id == path.contract_id)
    if query.status is not None:
        statement = statement.where(Milestone.status == query.status)
    if query.type is not None:
        statement = statement.where(Milestone.milestone_type == query.type)
    if query.overdue is not None:
        late = Milestone.status.in_(("scheduled", "partiallyMet")) & (Milestone.due_on < now().date())
        statement = statement.where(late if query.overdue else ~late)
    statement = apply_sort(statement, query.sort, MILESTONE_ORDER, [Milestone.due_on, Milestone.id])
    with read_only() as session:
        contract = find_contract(session, path.contract_id)
        return json_response(paginate(session, statement, query,
                                      lambda m: serialize_milestone(m, contract.currency)))


def _milestone_view(action: str):
    def update(path: schemas.MilestonePath, body: schemas.MilestoneUpdate):
        with unit_of_work() as uow:
            milestone, contract = contracts.move_milestone(uow, path.contract_id, path.milestone_id, action,
                                                           body.reason, body.on, body.model_dump(mode="json"),
                                                           if_match())
            return record_response(serialize_milestone(milestone, contract.currency), milestone.version)
    update.__annotations__["body"] = action_body(MILESTONE_LIFECYCLE, action, schemas.MilestoneUpdate)
    return named(f"{action.replace('-', '_')}_milestone", update)


for _action in MILESTONE_LIFECYCLE.transitions:
    contracts_api.post(f"/contracts/<contract_id>/milestones/<milestone_id>/{_action}",
                       summary=f"Record the milestone as {MILESTONE_LIFECYCLE.transitions[_action][1].value}",
                       responses={200: schemas.MilestoneOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_milestone_view(_action)))


# --- amendments and payments ---

AMENDMENTS = Resource(contracts_api, "/contracts/<contract_id>/amendments", "amendment_id", Amendment,
                      schemas.AmendmentOut,
                      PROCUREMENT, PROCUREMENT)
AMENDMENTS.create("amend_contract", "Amend a contract, with the rationale", schemas.AmendmentCreate,
                  lambda uow, ids, body: contracts.amend_contract(uow, *ids, body.rationale,
                                                                  body.value.model_dump() if body.value else None,
                                                                  body.period_end, body.title),
                  path=schemas.ContractPath, problems=(404, 409))
AMENDMENTS.listing("list_amendments", "List a contract's amendments", PageQuery, path=schemas.ContractPath,
                   parent=find_contract, sortable=("amended_at",), order=("amended_at",))


def serialize_payment(payment: Payment) -> dict:
    return schemas.PaymentOut(id=payment.id, contract_id=payment.contract_id, milestone_id=payment.milestone_id,
                      value=value(payment.amount, payment.currency), paid_on=payment.paid_on,
                      reference=payment.reference, recorded_at=payment.recorded_at).model_dump(mode="json")


PAYMENTS = Resource(contracts_api, "/contracts/<contract_id>/payments", "payment_id", Payment, schemas.PaymentOut,
                    PROCUREMENT, PROCUREMENT, serialize=serialize_payment)
PAYMENTS.create("record_payment", "Record a payment (never beyond the value)", schemas.PaymentCreate,
                lambda uow, ids, body: contracts.record_payment(uow, *ids, body.model_dump(exclude={"value"}),
                                                                body.value.model_dump(), body.model_dump(mode="json")),
                path=schemas.ContractPath, problems=(404, 409))
PAYMENTS.listing("list_payments", "List a contract's payments", PageQuery, path=schemas.ContractPath,
                 parent=find_contract,
                 sortable=("paid_on", "amount"), order=("paid_on",))
