"""visits alone, on SQLite, with the broker behind a fault proxy: what its relay does with events that no queue
takes, and with a broker that goes silent while requests share SQLite's single writer lock with the relay."""

from __future__ import annotations

import pytest

from tests.support.broker import CitySystemListener
from tests.support.faultproxy import FaultProxy
from tests.support.ledger import Ledger
from tests.support.metrics import metric as summed
from tests.support.processes import VISIT, Suite, eventually, http

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def visits_alone(tmp_path_factory):
    with FaultProxy(5672) as broker:
        suite = Suite(("visits",), tmp_path_factory.mktemp("visits-alone"), amqp_url=broker.amqp_url)
        with suite:
            ledger = Ledger(suite)
            try:
                yield suite, broker, ledger
            finally:
                ledger.close()
                broker.restore()


def metric(suite: Suite, name: str) -> float:
    return summed(suite, "visits", name)


def create_visits(suite: Suite, ledger: Ledger, count: int) -> list[str]:
    ids = []
    for number in range(count):
        created = suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "delegation_name": f"Delegation {number}"},
                             roles="protocol")
        assert created.status == 201, created.body
        ledger.wrote("visits", "visits", created.json["id"])
        ids.append(created.json["id"])
    return ids


def received_ids(listener: CitySystemListener, expected: set[str]) -> set[str]:
    """Every event id the listener receives until it has seen `expected` (copies the relay published again,
    as at-least-once allows, are seen once)."""
    seen: set[str] = set()

    def everything_seen() -> bool:
        seen.update(event["id"] for event, _ in listener.receive(count=1000, timeout=0.5))
        return expected <= seen

    eventually(everything_seen, timeout=30, message="every event at the listener")
    return seen


def test_an_event_no_queue_takes_is_never_marked_sent_and_is_counted_until_a_queue_is_bound(visits_alone):
    suite, _, ledger = visits_alone
    create_visits(suite, ledger, 1)
    # Returned by the broker again and again (the relay retries with backoff), and still not sent.
    eventually(lambda: metric(suite, "chancery_events_unroutable_total") >= 2, timeout=30, interval=0.2,
               message="the event returned as unroutable twice")
    unsent = ledger.snapshot().unpublished()
    assert len(unsent) == 1
    assert metric(suite, "chancery_outbox_backlog") == 1

    listener = CitySystemListener(suite.namespace, "#")  # a city system starts listening: now it routes
    try:
        ledger.assert_exactly_once(timeout=30)
        assert received_ids(listener, set(unsent)) == set(unsent)
    finally:
        listener.close()


def test_on_sqlite_a_silent_broker_costs_no_request_and_every_event_leaves_once_it_answers_again(visits_alone):
    suite, broker, ledger = visits_alone
    listener = CitySystemListener(suite.namespace, "#")
    try:
        broker.blackhole()
        visit_ids = create_visits(suite, ledger, 20)  # each 201: the relay never holds the writer lock on the broker
        eventually(lambda: http("GET", suite.url("visits", "/readyz"), timeout=5).status == 503, timeout=30,
                   interval=0.5, message="the silent broker seen by /readyz")
        broker.restore()
        snapshot = ledger.assert_exactly_once(timeout=60)
        events = {event_id for event_id, row in snapshot.events.items() if row["subject"] in visit_ids}
        assert len(events) == 20
        assert received_ids(listener, events) == events
    finally:
        listener.close()
