"""An idle consumer whose broker goes silent (a dropped NAT entry, a firewall, a half-open connection) notices it
by the AMQP heartbeats (decision 0071), reconnects when the broker answers again and consumes what was published
meanwhile, each event once (the ledger).

Only notifications (the consumer under test) reaches the broker through the fault proxy; visits' worker publishes
to the broker directly, so that events are published while the consumer's network is silent.
"""

from __future__ import annotations

import time

import pytest

from tests.support.broker import queue_depth
from tests.support.faultproxy import FaultProxy
from tests.support.ledger import Ledger, hear_every_event
from tests.support.processes import BROKER_URL, VISIT, Suite, eventually

pytestmark = pytest.mark.integration
HEARTBEAT_SECONDS = 2
# The consumer checks the heartbeats once a turn (at most every 0.5 s); a loaded machine adds a little.
CHECK_SLACK_SECONDS = 1.0
NOTICED = "consumer reconnecting"
MISSED = "Too many heartbeats missed"


@pytest.fixture(scope="module")
def silent_network(tmp_path_factory):
    with FaultProxy(5672) as broker:
        suite = Suite(("visits", "notifications"), tmp_path_factory.mktemp("heartbeats"), amqp_url=broker.amqp_url,
                      extra_env={"CHANCERY_BROKER_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)},
                      worker_env={"visits": {"CHANCERY_AMQP_URL": BROKER_URL}})
        with suite, Ledger(suite) as ledger:
            try:
                yield suite, broker, ledger
            finally:
                broker.restore()


def create_visits(suite: Suite, ledger: Ledger, count: int) -> None:
    for number in range(count):
        created = suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "delegation_name": f"Delegation {number}"},
                             roles="protocol")
        assert created.status == 201, created.body
        ledger.wrote("visits", "visits", created.json["id"])


def test_an_idle_consumer_notices_a_silent_broker_within_two_heartbeats_and_consumes_what_was_published_meanwhile(
        silent_network):
    suite, broker, ledger = silent_network
    hear_every_event(ledger)
    create_visits(suite, ledger, 1)
    ledger.assert_exactly_once(timeout=60)  # consumed: the consumer is idle from here on

    worker_log = suite.workdir / "notifications-worker.log"
    logged_before = len(worker_log.read_text())
    broker.blackhole()
    silent_since = time.monotonic()

    def noticed() -> bool:
        return any(NOTICED in line and MISSED in line for line in worker_log.read_text()[logged_before:].splitlines())

    eventually(noticed, timeout=6 * HEARTBEAT_SECONDS, interval=0.05, message="the consumer noticing the silence")
    noticed_after = time.monotonic() - silent_since
    assert noticed_after <= 2 * HEARTBEAT_SECONDS + CHECK_SLACK_SECONDS, f"noticed after {noticed_after:.1f}s"

    create_visits(suite, ledger, 5)  # published by visits' worker, straight to the broker
    queue = f"{suite.namespace}.chancery.notifications"
    eventually(lambda: queue_depth(queue) >= 5, timeout=30, interval=0.2,
               message="the events published during the silence waiting in the consumer's queue")

    broker.restore()
    ledger.assert_exactly_once(timeout=60)
