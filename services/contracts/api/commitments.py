"""The commitments register: obligations to foreign investors and economic agents, their fulfilment and breaches."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select

from services.contracts.api import commitment_schemas as schemas
from services.contracts.api.common import PROCUREMENT, READERS, now, own_settings
from services.contracts.domain.commitment import COMMITMENT_LIFECYCLE, CommitmentStatus, is_due_soon, is_overdue
from services.contracts.events.contents import value
from services.contracts.operations import commitments
from services.contracts.store.models import Commitment
from shared.http.views import Resource, acting, blueprint, changes

commitments_api = blueprint("commitments", __name__, "Commitments to foreign investors and economic agents")


def serialize(commitment: Commitment) -> dict:
    """The commitment as the API shows it today."""
    status, today = CommitmentStatus(commitment.status), now().date()
    return schemas.CommitmentOut(
        **{name: getattr(commitment, name) for name in schemas.CommitmentOut.model_fields if hasattr(commitment, name)},
        value=value(commitment.amount, commitment.currency),
        due_soon=is_due_soon(status, commitment.due_on, today, own_settings().commitment_notice_days),
        overdue=is_overdue(status, commitment.due_on, today),
        allowed_actions=COMMITMENT_LIFECYCLE.allowed_actions(status),
    ).model_dump(mode="json")


def due(statement: Select, query: schemas.CommitmentQuery) -> Select:
    today = now().date()
    if query.overdue is not None:
        late = (Commitment.status == CommitmentStatus.OPEN.value) & (Commitment.due_on < today)
        statement = statement.where(late if query.overdue else ~late)
    if query.due_within_days is not None:
        statement = statement.where(Commitment.status == CommitmentStatus.OPEN.value, Commitment.due_on >= today,
                                    Commitment.due_on <= today + timedelta(days=query.due_within_days))
    return statement


COMMITMENTS = Resource(commitments_api, "/commitments", "commitment_id", Commitment, schemas.CommitmentOut, READERS,
                       PROCUREMENT, serialize=serialize)
COMMITMENTS.create("register_commitment", "Register a commitment to a foreign investor or economic agent",
                   schemas.CommitmentCreate,
                   lambda uow, ids, body: commitments.register_commitment(
                       uow, body.model_dump(exclude={"value"}), body.value.model_dump() if body.value else None,
                       body.model_dump(mode="json")), problems=(404,))
COMMITMENTS.listing("list_commitments", "List commitments; due and overdue ones by filter", schemas.CommitmentQuery,
                    filters=("status", "counterparty_kind", "country", "partner_id", "responsible_body"),
                    narrow=(due,), order=("due_on",),
                    sortable=("due_on", "status", "country", "counterparty_name", "responsible_body", "created_at"))
COMMITMENTS.read("get_commitment", "Read a commitment", schemas.CommitmentPath)
COMMITMENTS.change("update_commitment", "Change an open commitment (send If-Match)", schemas.CommitmentPath,
                   schemas.CommitmentUpdate, changes(commitments.update_commitment), problems=(404, 409, 412))
COMMITMENTS.act("fulfil", "fulfil_commitment", "Record the fulfilment, with its evidence", schemas.CommitmentPath,
                acting(commitments.fulfil_commitment, "evidence", "fulfilled_on"), body=schemas.FulfilmentRequest)
COMMITMENTS.transitions(schemas.CommitmentPath, commitments.move_commitment, COMMITMENT_LIFECYCLE,
                        {"breach": "Record a breach of the commitment, with the reason",
                         "cancel": "Cancel a commitment that no longer holds, with a reason"},
                        actions=("breach", "cancel"))
