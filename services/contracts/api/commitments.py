"""The commitments register: obligations to foreign investors and economic agents, their fulfilment and breaches."""

from __future__ import annotations

from datetime import timedelta

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
from services.contracts.api.common import PROCUREMENT, named, now, own_settings
from services.contracts.domain.commitment import COMMITMENT_LIFECYCLE, CommitmentStatus, is_due_soon, is_overdue
from services.contracts.events.contents import value
from services.contracts.operations import commitments
from services.contracts.operations.commitments import find_commitment
from services.contracts.store.models import Commitment
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

commitments_api = APIBlueprint("commitments", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="commitments",
                                             description="Commitments to foreign investors and economic agents")])


def serialize(commitment: Commitment) -> dict:
    """The commitment as the API shows it today."""
    status, today = CommitmentStatus(commitment.status), now().date()
    return CommitmentOut(
        **{name: getattr(commitment, name) for name in CommitmentOut.model_fields if hasattr(commitment, name)},
        value=value(commitment.amount, commitment.currency),
        due_soon=is_due_soon(status, commitment.due_on, today, own_settings().commitment_notice_days),
        overdue=is_overdue(status, commitment.due_on, today),
        allowed_actions=COMMITMENT_LIFECYCLE.allowed_actions(status),
    ).model_dump(mode="json")


def commitment_response(commitment: Commitment):
    return record_response(serialize(commitment), commitment.version)


@commitments_api.post("/commitments", summary="Register a commitment to a foreign investor or economic agent",
                      responses={201: CommitmentOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def register_commitment(body: CommitmentCreate):
    with unit_of_work() as uow:
        commitment = commitments.register_commitment(uow, body.model_dump(exclude={"value"}),
                                                     body.value.model_dump() if body.value else None,
                                                     body.model_dump(mode="json"))
        return created(uow, serialize(commitment), f"/api/v1/commitments/{commitment.id}", commitment.version)


@commitments_api.get("/commitments", summary="List commitments; due and overdue ones by filter",
                     responses={200: Page[CommitmentOut]})
@allow(*PROCUREMENT)
def list_commitments(query: CommitmentQuery):
    statement = select(Commitment)
    statement = where_set(statement, Commitment, query,
                          ("status", "counterparty_kind", "country", "partner_id", "responsible_body"))
    today = now().date()
    if query.overdue is not None:
        late = (Commitment.status == CommitmentStatus.OPEN.value) & (Commitment.due_on < today)
        statement = statement.where(late if query.overdue else ~late)
    if query.due_within_days is not None:
        statement = statement.where(Commitment.status == CommitmentStatus.OPEN.value, Commitment.due_on >= today,
                                    Commitment.due_on <= today + timedelta(days=query.due_within_days))
    statement = sort_by(statement, query.sort, Commitment,
                        ("due_on", "status", "country", "counterparty_name", "responsible_body", "created_at"),
                        [Commitment.due_on, Commitment.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@commitments_api.get("/commitments/<commitment_id>", summary="Read a commitment",
                     responses={200: CommitmentOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_commitment(path: CommitmentPath):
    with read_only() as session:
        return commitment_response(find_commitment(session, path.commitment_id))


@commitments_api.patch("/commitments/<commitment_id>", summary="Change an open commitment (send If-Match)",
                       responses={200: CommitmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_commitment(path: CommitmentPath, body: CommitmentUpdate):
    with unit_of_work() as uow:
        return commitment_response(commitments.update_commitment(
            uow, path.commitment_id, body.model_dump(exclude_unset=True),
            body.model_dump(mode="json", exclude_unset=True), if_match()))


@commitments_api.post("/commitments/<commitment_id>/fulfil", summary="Record the fulfilment, with its evidence",
                      responses={200: CommitmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def fulfil_commitment(path: CommitmentPath, body: FulfilmentRequest):
    with unit_of_work() as uow:
        return commitment_response(commitments.fulfil_commitment(
            uow, path.commitment_id, body.evidence, body.fulfilled_on, body.model_dump(mode="json"), if_match()))


def _transition_view(action: str):
    def transition(path: CommitmentPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return commitment_response(commitments.move_commitment(uow, path.commitment_id, action, body.reason,
                                                                   if_match()))
    return named(f"{action}_commitment", transition)


for _action, _summary in (("breach", "Record a breach of the commitment, with the reason"),
                          ("cancel", "Cancel a commitment that no longer holds, with a reason")):
    commitments_api.post(f"/commitments/<commitment_id>/{_action}", summary=_summary,
                         responses={200: CommitmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))
