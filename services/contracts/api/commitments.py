"""The commitments register: obligations to foreign investors and economic agents, their fulfilment and breaches."""

from __future__ import annotations

from datetime import date, timedelta

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.commitment_schemas import (
    CommitmentCreate,
    CommitmentOut,
    CommitmentPath,
    CommitmentQuery,
    CommitmentUpdate,
    FulfilmentRequest,
)
from services.contracts.api.common import (
    BODY_PROBLEMS,
    PROCUREMENT,
    advance,
    conflict,
    contracts_settings,
    find,
    named,
    now,
    record_response,
)
from services.contracts.api.schemas import TransitionRequest
from services.contracts.domain.commitment import (
    COMMITMENT_LIFECYCLE,
    EDITABLE,
    CommitmentStatus,
    is_due_soon,
    is_overdue,
)
from services.contracts.store.models import Agreement, Commitment
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

commitments_api = APIBlueprint("commitments", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="commitments",
                                             description="Commitments to foreign investors and economic agents")])
EVENT_FIELDS = ("id", "obligation", "counterparty_name", "counterparty_kind", "country", "partner_id",
                "agreement_id", "responsible_body", "due_on", "value", "status", "status_reason", "evidence",
                "fulfilled_on", "due_soon", "overdue", "version")


def describe(commitment: Commitment, today: date, notice_days: int) -> dict:
    """The commitment as the API shows it on `today` (also used by the worker, outside any request)."""
    status = CommitmentStatus(commitment.status)
    return CommitmentOut(
        **{name: getattr(commitment, name) for name in CommitmentOut.model_fields if hasattr(commitment, name)},
        value=None if commitment.amount is None else {"amount": commitment.amount, "currency": commitment.currency},
        due_soon=is_due_soon(status, commitment.due_on, today, notice_days),
        overdue=is_overdue(status, commitment.due_on, today),
        allowed_actions=COMMITMENT_LIFECYCLE.allowed_actions(status),
    ).model_dump(mode="json")


def serialize(commitment: Commitment) -> dict:
    return describe(commitment, now().date(), contracts_settings().commitment_notice_days)


def event_data(body: dict) -> dict:
    return {name: body[name] for name in EVENT_FIELDS}


def emit(uow: UnitOfWork, commitment: Commitment, action: str, changes: dict) -> dict:
    uow.session.flush()
    body = serialize(commitment)
    uow.emit(f"chancery.contracts.commitment.{action}.v1", commitment.id, event_data(body))
    uow.audit(f"commitment.{action}", "commitment", commitment.id, changes)
    return body


@commitments_api.post("/commitments", summary="Register a commitment to a foreign investor or economic agent",
                      responses={201: CommitmentOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def register_commitment(body: CommitmentCreate):
    with unit_of_work() as uow:
        if body.agreement_id:
            find(uow.session, Agreement, body.agreement_id, "agreement")
        value = body.value
        commitment = Commitment(**body.model_dump(exclude={"value"}), amount=value.amount if value else None,
                                currency=value.currency if value else None, status=CommitmentStatus.OPEN.value,
                                version=1, created_by=uow.actor)
        uow.session.add(commitment)
        out = emit(uow, commitment, "registered", body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/commitments/{commitment.id}", commitment.version)


@commitments_api.get("/commitments", summary="List commitments; due and overdue ones by filter",
                     responses={200: Page[CommitmentOut]})
@allow(*PROCUREMENT)
def list_commitments(query: CommitmentQuery):
    statement = select(Commitment)
    for name in ("status", "counterparty_kind", "country", "partner_id", "responsible_body"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Commitment, name) == getattr(query, name))
    today = now().date()
    if query.overdue is not None:
        late = (Commitment.status == CommitmentStatus.OPEN.value) & (Commitment.due_on < today)
        statement = statement.where(late if query.overdue else ~late)
    if query.due_within_days is not None:
        statement = statement.where(Commitment.status == CommitmentStatus.OPEN.value, Commitment.due_on >= today,
                                    Commitment.due_on <= today + timedelta(days=query.due_within_days))
    sortable = {name: getattr(Commitment, name) for name in ("due_on", "status", "country", "counterparty_name",
                                                             "responsible_body", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Commitment.due_on, Commitment.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@commitments_api.get("/commitments/<commitment_id>", summary="Read a commitment",
                     responses={200: CommitmentOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_commitment(path: CommitmentPath):
    with read_only() as session:
        commitment = find(session, Commitment, path.commitment_id, "commitment")
        return record_response(serialize(commitment), commitment.version)


@commitments_api.patch("/commitments/<commitment_id>", summary="Change an open commitment (send If-Match)",
                       responses={200: CommitmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_commitment(path: CommitmentPath, body: CommitmentUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        commitment = find(uow.session, Commitment, path.commitment_id, "commitment", for_update=True)
        require_fresh(commitment.version)
        status = CommitmentStatus(commitment.status)
        if status not in EDITABLE:
            raise conflict(f"a {status.value} commitment can no longer be changed",
                           COMMITMENT_LIFECYCLE.allowed_actions(status))
        if not changes:
            return record_response(serialize(commitment), commitment.version)
        for name, value in changes.items():
            setattr(commitment, name, value)
        commitment.version += 1
        return record_response(emit(uow, commitment, "updated", body.model_dump(mode="json", exclude_unset=True)),
                               commitment.version)


@commitments_api.post("/commitments/<commitment_id>/fulfil", summary="Record the fulfilment, with its evidence",
                      responses={200: CommitmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def fulfil_commitment(path: CommitmentPath, body: FulfilmentRequest):
    with unit_of_work() as uow:
        commitment = find(uow.session, Commitment, path.commitment_id, "commitment", for_update=True)
        require_fresh(commitment.version)
        previous = advance(COMMITMENT_LIFECYCLE, CommitmentStatus, commitment, "fulfil", None)
        commitment.evidence, commitment.fulfilled_on = body.evidence, body.fulfilled_on
        out = emit(uow, commitment, "fulfilled", {"status": [previous, commitment.status],
                                                  **body.model_dump(mode="json")})
        return record_response(out, commitment.version)


def _transition_view(action: str):
    def transition(path: CommitmentPath, body: TransitionRequest):
        with unit_of_work() as uow:
            commitment = find(uow.session, Commitment, path.commitment_id, "commitment", for_update=True)
            require_fresh(commitment.version)
            previous = advance(COMMITMENT_LIFECYCLE, CommitmentStatus, commitment, action, body.reason)
            out = emit(uow, commitment, COMMITMENT_LIFECYCLE.event_action[action],
                       {"status": [previous, commitment.status], "reason": body.reason})
            return record_response(out, commitment.version)
    return named(f"{action}_commitment", transition)


for _action, _summary in (("breach", "Record a breach of the commitment, with the reason"),
                          ("cancel", "Cancel a commitment that no longer holds, with a reason")):
    commitments_api.post(f"/commitments/<commitment_id>/{_action}", summary=_summary,
                         responses={200: CommitmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))
