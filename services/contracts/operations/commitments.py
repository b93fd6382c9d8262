"""The commitments register: obligations to foreign investors and economic agents, their fulfilment and
breaches; due and overdue ones announced once per due date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from services.contracts.domain.commitment import (
    COMMITMENT_LIFECYCLE,
    EDITABLE,
    CommitmentStatus,
    is_due_soon,
    is_overdue,
    needs_notice,
)
from services.contracts.events import contents
from services.contracts.operations.versions import check_editable, set_fields, take_action
from services.contracts.store.models import Agreement, Commitment
from shared.db import find, finder
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork

find_commitment = finder(Commitment, "commitment")


def record_commitment_change(uow: UnitOfWork, commitment: Commitment, action: str, changes: dict[str, Any],
                             today: date | None = None) -> None:
    """`today`: the day the change is about (a periodic task's), otherwise the unit of work's."""
    day, notice = today or uow.now().date(), uow.settings.commitment_notice_days
    uow.record_change("commitment", action, commitment, lambda record: contents.commitment(record, day, notice),
                      changes)


def register_commitment(uow: UnitOfWork, fields: dict[str, Any], value: dict[str, Any] | None,
                        changes: dict[str, Any]) -> Commitment:
    if fields.get("agreement_id"):
        find(uow.session, Agreement, fields["agreement_id"], "agreement")
    commitment = Commitment(**fields, amount=value["amount"] if value else None,
                            currency=value["currency"] if value else None, status=CommitmentStatus.OPEN.value,
                            version=1, created_by=uow.actor)
    uow.session.add(commitment)
    record_commitment_change(uow, commitment, "registered", changes)
    return commitment


def update_commitment(uow: UnitOfWork, commitment_id: str, fields: dict[str, Any], changes: dict[str, Any],
                      expected_version: frozenset[int] | None) -> Commitment:
    """Change an open commitment; no fields change nothing."""
    commitment = find_commitment(uow.session, commitment_id, for_update=True)
    check_editable(commitment, expected_version, COMMITMENT_LIFECYCLE, EDITABLE,
                   "a {status} commitment can no longer be changed")
    if not fields:
        return commitment
    set_fields(commitment, fields)
    record_commitment_change(uow, commitment, "updated", changes)
    return commitment


def fulfil_commitment(uow: UnitOfWork, commitment_id: str, evidence: str, fulfilled_on: date,
                      changes: dict[str, Any], expected_version: frozenset[int] | None) -> Commitment:
    """Fulfilled, with its evidence: an open commitment, or a breached one late."""
    commitment = find_commitment(uow.session, commitment_id, for_update=True)
    require_version(commitment.version, expected_version)
    previous = COMMITMENT_LIFECYCLE.advance(commitment, "fulfil")
    commitment.evidence, commitment.fulfilled_on = evidence, fulfilled_on
    record_commitment_change(uow, commitment, "fulfilled", {"status": [previous, commitment.status], **changes})
    return commitment


def move_commitment(uow: UnitOfWork, commitment_id: str, action: str, reason: str | None,
                    expected_version: frozenset[int] | None) -> Commitment:
    """Breached or cancelled, with a reason."""
    commitment = find_commitment(uow.session, commitment_id, for_update=True)
    changes = take_action(commitment, COMMITMENT_LIFECYCLE, action, reason, expected_version)
    record_commitment_change(uow, commitment, COMMITMENT_LIFECYCLE.past_tense(action), changes)
    return commitment


def announce_due_and_overdue_commitments(uow: UnitOfWork, today: date) -> None:
    """`commitment.due` once when an open commitment enters its notice period, `commitment.overdue` once when it
    passes its due date; moving the date arms both again."""
    notice = uow.settings.commitment_notice_days
    candidates = uow.session.scalars(select(Commitment).where(
        Commitment.status == CommitmentStatus.OPEN.value, Commitment.due_on <= today + timedelta(days=notice)))
    for commitment in candidates:
        status = CommitmentStatus(commitment.status)
        if is_overdue(status, commitment.due_on, today) and needs_notice(commitment.overdue_noticed_for,
                                                                          commitment.due_on):
            commitment.overdue_noticed_for = commitment.due_on
            announce(uow, commitment, "overdue", today)
        elif is_due_soon(status, commitment.due_on, today, notice) and needs_notice(commitment.due_noticed_for,
                                                                                    commitment.due_on):
            commitment.due_noticed_for = commitment.due_on
            announce(uow, commitment, "due", today)


def announce(uow: UnitOfWork, commitment: Commitment, action: str, today: date) -> None:
    record_commitment_change(uow, commitment, action, {"due_on": commitment.due_on.isoformat()}, today)
