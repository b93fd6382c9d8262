"""Two faults only the broker itself can make, on a RabbitMQ node of the module's own (the machine's broker is
shared: an alarm there would block every other test run): its resource alarm blocking publishers (decision
0072; the consumer's republishing too), and a handler that outlives its `consumer_timeout` (decision 0073).
visits and notifications on SQLite, where the relay shares the only writer lock with the requests, reach the
node through a fault proxy; the ledger proves nothing lost or doubled.
"""

from __future__ import annotations

import signal
import statistics
import time

import pytest

from shared.fault_points import CONSUMER_BEFORE_COMMIT, ENV, SECONDS_ENV
from tests.support.broker import publish_raw
from tests.support.faultproxy import FaultProxy
from tests.support.ledger import Ledger, hear_every_event
from tests.support.metrics import metric
from tests.support.private_broker import PrivateBroker
from tests.support.processes import VISIT, Suite, eventually

pytestmark = pytest.mark.integration
CONSUMER_TIMEOUT_MS = 5000
# The broker looks for late acknowledgements at each channel tick (60 s by default).
ADVANCED_CONFIG = f"[{{rabbit, [{{consumer_timeout, {CONSUMER_TIMEOUT_MS}}}, {{channel_tick_interval, 1000}}]}}]."
# Far below the 3 s confirm timeout the suite's relays run with, which a request used to wait for.
USUAL_LATENCY_SECONDS = 1.0
ALARM_SECONDS = 6


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("own-broker")
    with PrivateBroker(workdir / "rabbitmq", advanced=ADVANCED_CONFIG) as node, FaultProxy(node.port) as proxy:
        suite = Suite(("visits", "notifications"), workdir / "suite", amqp_url=proxy.amqp_url, broker_port=node.port)
        with suite, Ledger(suite) as ledger:
            hear_every_event(ledger)
            yield suite, node, proxy, ledger


def create_visits(suite: Suite, ledger: Ledger, count: int, interval: float = 0.0) -> list[float]:
    """Create `count` visits, one every `interval` seconds; how long each request took."""
    latencies = []
    for number in range(count):
        started = time.monotonic()
        created = suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "delegation_name": f"Delegation {number}"},
                             roles="protocol")
        latencies.append(time.monotonic() - started)
        assert created.status == 201, created.body
        ledger.wrote("visits", "visits", created.json["id"])
        time.sleep(interval)
    return latencies


def memory_alarm(node: PrivateBroker, on: bool) -> None:
    node.ctl("set_vm_memory_high_watermark", "0.0000001" if on else "0.4")
    eventually(lambda: ("memory" in node.ctl("eval", "rabbit_alarm:get_alarms().")) == on, timeout=30,
               interval=0.2, message=f"the memory alarm {'on' if on else 'off'}")


class LogSince:
    """What a process logs from now on."""

    def __init__(self, suite: Suite, process: str):
        self.path = suite.workdir / f"{process}.log"
        self.start = len(self.path.read_text()) if self.path.exists() else 0

    def text(self) -> str:
        return self.path.read_text()[self.start:] if self.path.exists() else ""

    def count(self, fragment: str) -> int:
        return self.text().count(fragment)


def blocked(suite: Suite, name: str) -> float:
    return metric(suite, "visits", name, connection="relay")


def test_while_the_broker_blocks_publishers_requests_keep_their_latency_the_relay_waits_and_then_publishes_it_all(
        own_broker):
    suite, node, _, ledger = own_broker
    usual = create_visits(suite, ledger, 5, interval=0.1)
    ledger.assert_exactly_once(timeout=60)
    relay_log = LogSince(suite, "visits-worker")
    blocked_seconds_before = blocked(suite, "chancery_broker_blocked_seconds_total")

    memory_alarm(node, on=True)
    try:
        latencies = create_visits(suite, ledger, 5 * ALARM_SECONDS, interval=0.2)
        eventually(lambda: blocked(suite, "chancery_broker_blocked") == 1, timeout=15, interval=0.2,
                   message="the block shown by chancery_broker_blocked")
        assert len(ledger.snapshot().unpublished()) > 0, "the alarm held nothing back: it proves nothing"
    finally:
        memory_alarm(node, on=False)
    ledger.assert_exactly_once(timeout=60)

    assert max(latencies) < USUAL_LATENCY_SECONDS, (
        f"requests during the alarm took up to {max(latencies):.3f}s (median {statistics.median(latencies):.3f}s), "
        f"{max(usual):.3f}s before it")
    eventually(lambda: relay_log.count("alarm on the relay connection ended") == 1, timeout=15,
               message="the end of the block logged")
    assert relay_log.count("the broker blocks the relay connection") == 1, "the block logged once"
    assert relay_log.count("ConfirmTimeout") == 0, "the relay spent its confirm timeout on a blocked broker"
    assert relay_log.count("outbox relay paused") == 0, "the relay reconnected to a blocked broker"
    assert blocked(suite, "chancery_broker_blocked") == 0
    assert blocked(suite, "chancery_broker_blocked_seconds_total") - blocked_seconds_before >= ALARM_SECONDS / 2


def test_a_connection_lost_while_the_broker_blocks_it_is_made_again_and_blocked_again_and_nothing_is_lost(
        own_broker):
    suite, node, proxy, ledger = own_broker
    relay_log = LogSince(suite, "visits-worker")
    memory_alarm(node, on=True)
    try:
        create_visits(suite, ledger, 3)
        eventually(lambda: relay_log.count("the broker blocks the relay connection") == 1, timeout=15,
                   message="the relay blocked")
        assert proxy.reset_links() > 0
        create_visits(suite, ledger, 3)
        eventually(lambda: relay_log.count("the broker blocks the relay connection") == 2, timeout=30,
                   message="the relay connected again and blocked again")
        assert suite.processes[("visits", "worker")].poll() is None, "the worker died with its blocked connection"
    finally:
        memory_alarm(node, on=False)
    ledger.assert_exactly_once(timeout=60)


def test_a_handler_that_outlives_the_consumer_timeout_gets_its_channel_reopened_and_its_event_applied_once(
        own_broker):
    suite, _, _, ledger = own_broker
    duplicates_before = metric(suite, "notifications", "chancery_events_duplicate_total")
    suite.kill("notifications", "worker", signal.SIGTERM)
    held_log = LogSince(suite, "notifications-held")
    # Held before its commit for longer than the broker waits for the acknowledgement (and its tick).
    suite.start_worker("notifications", "held", env={ENV: CONSUMER_BEFORE_COMMIT,
                                                     SECONDS_ENV: str(CONSUMER_TIMEOUT_MS / 1000 + 4)})
    try:
        create_visits(suite, ledger, 1)
        eventually(lambda: held_log.count(f"fault point {CONSUMER_BEFORE_COMMIT} reached") >= 1, timeout=60,
                   interval=0.2, message="the handler held")
        eventually(lambda: "delivery acknowledgement on channel" in held_log.text(), timeout=30, interval=0.2,
                   message="the broker closing the channel of the late acknowledgement")
        ledger.assert_exactly_once(timeout=60)
        # The redelivery after the channel reopened found the event in the inbox, applied by the held handler.
        eventually(lambda: metric(suite, "notifications", "chancery_events_duplicate_total") > duplicates_before,
                   timeout=30, interval=0.5, message="the redelivered event recognised")
    finally:
        suite.kill("notifications", "held", signal.SIGTERM)
        suite.start_worker("notifications")


def test_a_dead_letter_the_blocking_broker_does_not_confirm_in_time_is_given_back_and_dead_lettered_afterwards(
        own_broker):
    suite, node, _, _ = own_broker
    letters_before = len(suite.call("GET", "notifications", "/api/v1/dead-letters", roles="operator").json["items"])
    abandoned_before = metric(suite, "notifications", "chancery_consumer_republish_abandoned_total")
    suite.kill("notifications", "worker", signal.SIGTERM)
    limited_log = LogSince(suite, "notifications-limited")
    # A message no attempt can handle, waiting in the queue: the consumer's one move is to dead-letter it.
    publish_raw(suite.namespace, "chancery.visits.visit.created.v1", b"\x00not json{", port=node.port)
    memory_alarm(node, on=True)
    try:
        suite.start_worker("notifications", "limited", env={"CHANCERY_REPUBLISH_TIMEOUT_SECONDS": "2"})
        eventually(lambda: limited_log.count("no confirm of a message republished") >= 2, timeout=60, interval=0.2,
                   message="the consumer giving up its dead letter's confirm, and again after reconnecting")
        assert "while the broker blocks the connection" in limited_log.text()
        assert suite.processes[("notifications", "limited")].poll() is None, "the worker died with its connection"
        assert metric(suite, "notifications", "chancery_consumer_republish_abandoned_total") >= abandoned_before + 2
    finally:
        memory_alarm(node, on=False)
    try:
        eventually(lambda: len(suite.call("GET", "notifications", "/api/v1/dead-letters", roles="operator")
                               .json["items"]) > letters_before, timeout=60, interval=0.5,
                   message="the message dead-lettered once the alarm cleared")
    finally:
        suite.kill("notifications", "limited", signal.SIGTERM)
        suite.start_worker("notifications")
