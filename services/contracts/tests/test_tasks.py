"""The worker's periodic tasks, on the runtime the worker builds: it reads the service's own settings from the
environment (`ServiceSpec.own_settings`), as the web app does."""

from datetime import UTC, datetime

from services.contracts.app import SPEC
from services.contracts.tasks import announce_due_and_overdue_commitments, announce_expiring_agreements
from services.contracts.tests.procurement_story import open_commitment, signed_agreement
from shared.config import load_settings
from shared.service import ServiceRuntime
from shared.testing import RecordingUnitOfWork


def test_the_workers_runtime_reads_the_services_own_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTRACTS_COMMITMENT_NOTICE_DAYS", "45")
    runtime = ServiceRuntime.build(SPEC, load_settings("contracts", {"CHANCERY_VAR_DIR": str(tmp_path)}))
    assert runtime.own_settings.commitment_notice_days == 45


def test_the_tasks_announce_expiry_and_due_commitments_by_the_services_notice_days(clock, monkeypatch):
    monkeypatch.setenv("CONTRACTS_COMMITMENT_NOTICE_DAYS", "45")
    uow = RecordingUnitOfWork(SPEC, clock=clock, own_settings=SPEC.own_settings(None))
    signed_agreement(uow)
    announce_expiring_agreements(uow, datetime(2031, 1, 1, tzinfo=UTC))
    open_commitment(uow)
    announce_due_and_overdue_commitments(uow, datetime(2027, 5, 16, tzinfo=UTC))
    assert uow.event_types()[-3:] == ["chancery.contracts.agreement.expiring.v1",
                                      "chancery.contracts.commitment.registered.v1",
                                      "chancery.contracts.commitment.due.v1"]
