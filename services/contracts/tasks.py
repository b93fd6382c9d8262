"""The contracts worker's periodic tasks (docs/decisions/0004): expiry ahead, due and overdue, announced once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from services.contracts.api.agreements import describe, event_data
from services.contracts.domain.agreement import AgreementStatus, needs_expiry_notice
from services.contracts.settings import contracts_settings
from services.contracts.store.models import Agreement
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


PERIODIC_TASKS = [PeriodicTask("expiring-agreements", 3600, announce_expiring_agreements)]
