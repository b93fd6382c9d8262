"""The contracts worker's periodic tasks (docs/decisions/0004): expiry ahead, due and overdue, announced once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from services.contracts.api.agreements import describe, event_data
from services.contracts.api.commitments import describe as describe_commitment
from services.contracts.api.commitments import event_data as commitment_event_data
from services.contracts.domain.agreement import AgreementStatus, needs_expiry_notice
from services.contracts.domain.commitment import CommitmentStatus, is_due_soon, is_overdue, needs_notice
from services.contracts.settings import contracts_settings
from services.contracts.store.models import Agreement, Commitment
from shared.service import PeriodicTask
from shared.uow import UnitOfWork


def announce_expiring_agreements(work: UnitOfWork, now: datetime) -> None:
    """Emit `agreement.expiring` once for each signed agreement entering its notice period before expiry."""
    today, notice = now.date(), contracts_settings(None).agreement_notice_days
    candidates = work.session.scalars(select(Agreement).where(
        Agreement.status == AgreementStatus.SIGNED.value, Agreement.valid_until >= today,
        Agreement.valid_until <= today + timedelta(days=notice)))
    for agreement in candidates:
        if needs_expiry_notice(AgreementStatus(agreement.status), agreement.valid_until,
                               agreement.expiry_noticed_for, today, notice):
            agreement.expiry_noticed_for = agreement.valid_until
            work.emit("chancery.contracts.agreement.expiring.v1", agreement.id,
                      event_data(describe(agreement, today, notice)))
            work.audit("agreement.expiring", "agreement", agreement.id,
                       {"valid_until": agreement.valid_until.isoformat(), "notice_days": notice})


def announce_due_and_overdue_commitments(work: UnitOfWork, now: datetime) -> None:
    """Emit `commitment.due` once when an open commitment enters its notice period, `commitment.overdue` once
    when it passes its due date; moving the date arms both again."""
    today, notice = now.date(), contracts_settings(None).commitment_notice_days
    candidates = work.session.scalars(select(Commitment).where(
        Commitment.status == CommitmentStatus.OPEN.value, Commitment.due_on <= today + timedelta(days=notice)))
    for commitment in candidates:
        status = CommitmentStatus(commitment.status)
        if is_overdue(status, commitment.due_on, today) and needs_notice(commitment.overdue_noticed_for,
                                                                          commitment.due_on):
            commitment.overdue_noticed_for = commitment.due_on
            announce(work, commitment, "overdue", today, notice)
        elif is_due_soon(status, commitment.due_on, today, notice) and needs_notice(commitment.due_noticed_for,
                                                                                    commitment.due_on):
            commitment.due_noticed_for = commitment.due_on
            announce(work, commitment, "due", today, notice)


def announce(work: UnitOfWork, commitment: Commitment, action: str, today: date, notice: int) -> None:
    work.emit(f"chancery.contracts.commitment.{action}.v1", commitment.id,
              commitment_event_data(describe_commitment(commitment, today, notice)))
    work.audit(f"commitment.{action}", "commitment", commitment.id, {"due_on": commitment.due_on.isoformat()})


PERIODIC_TASKS = [PeriodicTask("expiring-agreements", 3600, announce_expiring_agreements),
                  PeriodicTask("due-commitments", 3600, announce_due_and_overdue_commitments)]
