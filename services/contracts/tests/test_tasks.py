"""The worker's periodic tasks: `shared.worker.run_worker` gives the runtime no settings of the service's own, so
the tasks read them from the environment."""

from datetime import UTC, datetime

from services.contracts.app import SPEC
from services.contracts.tasks import announce_due_and_overdue_commitments, announce_expiring_agreements
from services.contracts.tests.procurement_story import open_commitment, signed_agreement
from shared.testing import RecordingUnitOfWork


def test_a_task_on_a_runtime_without_the_services_settings_reads_them_and_announces(clock, monkeypatch):
    monkeypatch.setenv("CONTRACTS_COMMITMENT_NOTICE_DAYS", "45")
    uow = RecordingUnitOfWork(SPEC, clock=clock)  # no own settings, as in the worker
    signed_agreement(uow)
    announce_expiring_agreements(uow, datetime(2031, 1, 1, tzinfo=UTC))
    open_commitment(uow)
    announce_due_and_overdue_commitments(uow, datetime(2027, 5, 16, tzinfo=UTC))
    assert uow.settings.commitment_notice_days == 45
    assert uow.event_types()[-3:] == ["chancery.contracts.agreement.expiring.v1",
                                      "chancery.contracts.commitment.registered.v1",
                                      "chancery.contracts.commitment.due.v1"]
