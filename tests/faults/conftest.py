"""One suite of all five services per module, on PostgreSQL, with the broker and the database each behind a
fault proxy, and the module's ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from shared.suite import SERVICES, spec_of
from tests.faults.load import SteadyLoad
from tests.support.faultproxy import FaultProxy
from tests.support.ledger import Ledger, hear_every_event
from tests.support.processes import Suite, eventually, http

CONSUMERS = tuple(service for service in SERVICES if spec_of(service).subscriptions)
# A loop stuck this long shows on the worker's /healthz: longer than any wait a fault may cause (a
# confirm timeout, a connect timeout), far shorter than the default.
STALL_SECONDS = "15"


@dataclass
class FaultySuite:
    suite: Suite
    broker: FaultProxy
    database: FaultProxy
    ledger: Ledger
    partner_id: str

    def load(self, **options) -> SteadyLoad:
        return SteadyLoad(self.suite, self.ledger, self.partner_id, **options)

    def readiness(self) -> dict[str, int]:
        """The status of every web's and every worker's /readyz."""
        answers = {}
        for service in self.suite.services:
            answers[f"{service} web"] = http("GET", self.suite.url(service, "/readyz"), timeout=5).status
            answers[f"{service} worker"] = http("GET", self.suite.worker_url(service, "/readyz"), timeout=5).status
        return answers

    def all_ready(self) -> bool:
        return set(self.readiness().values()) == {200}

    def restore(self) -> None:
        self.broker.restore()
        self.database.restore()


def start_faulty_suite(workdir) -> Iterator[FaultySuite]:
    with FaultProxy(5672) as broker, FaultProxy(5432) as database:
        suite = Suite(SERVICES, workdir, database="postgres", amqp_url=broker.amqp_url, database_port=database.port,
                      worker_probes=True, extra_env={"CHANCERY_WORKER_STALL_SECONDS": STALL_SECONDS})
        with suite:  # ready: every web answers and every consumer consumes
            ledger = Ledger(suite)
            try:
                faulty = FaultySuite(suite, broker, database, ledger, hear_everything_and_add_a_partner(suite, ledger))
                eventually(faulty.all_ready, timeout=60, interval=0.5, message="every web and worker ready")
                yield faulty
            finally:
                ledger.close()


def hear_everything_and_add_a_partner(suite: Suite, ledger: Ledger) -> str:
    """The first writes: the recipient who hears every event (before any event), and the partner the load's
    visits and trips are about (so that outreach's timeline has an entry for each)."""
    hear_every_event(ledger)
    partner = suite.call("POST", "outreach", "/api/v1/partners", {"kind": "capital", "name": "Sofia", "country": "BG"},
                         roles="outreach")
    assert partner.status == 201, partner.body
    ledger.wrote("outreach", "partners", partner.json["id"])
    return partner.json["id"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed fault test reports what the suite's processes warned about."""
    report = yield
    faulty_suite = getattr(item, "funcargs", {}).get("faulty")
    if report.failed and report.when == "call" and faulty_suite is not None:
        report.sections.append(("the suite's warnings and errors", faulty_suite.suite.log_excerpt()))
    return report


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Iterator[FaultySuite]:
    yield from start_faulty_suite(tmp_path_factory.mktemp("faults"))


@pytest.fixture
def faults(faulty: FaultySuite) -> Iterator[FaultySuite]:
    """The module's suite, with both proxies forwarding again after each test whatever it broke."""
    try:
        yield faulty
    finally:
        faulty.restore()
