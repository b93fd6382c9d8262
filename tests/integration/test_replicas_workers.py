"""Two worker processes of every service side by side on the real broker and PostgreSQL.

Events are written into each publishing service's outbox while both of its workers run; every event
must reach the broker once, in outbox order per record, and every consuming service must apply each
event it subscribes to once, in that same order per record. Publishers and consumers are found from
the services' catalogs and subscriptions, so a service that starts publishing or consuming is covered
without editing this file; its events' data are the examples of docs/asyncapi.yaml.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from shared.bus.outbox import Outbox
from shared.bus.topology import EVENTS
from shared.db import Database
from shared.suite import SERVICES, spec_of
from tests.support.broker import CitySystemListener, wait_until_consuming
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration

ASYNCAPI = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
RECORDS_PER_SERVICE = 6
EVENTS_PER_RECORD = 4
REPLICAS = ("worker", "worker-2")


class WorkerReplicas(Suite):
    """Only workers, two of each service; no web process is needed to write into an outbox."""

    def start(self) -> WorkerReplicas:
        try:
            self.prepare()
            for service in self.services:
                for role in REPLICAS:
                    self.start_worker(service, role)
            self.wait_for_workers()
        except BaseException:
            self.stop()  # no process outlives a failed start
            raise
        return self

    def wait_for_workers(self) -> None:
        for service in self.services:
            for role in REPLICAS:
                log = self.workdir / f"{service}-{role}.log"
                eventually(lambda log=log: log.is_file() and "worker running" in log.read_text(), timeout=90,
                           message=f"{service} {role} running")
        # A single-active-consumer queue counts only its active consumer; the other replica waits behind it.
        for service in consumers():
            wait_until_consuming(self.namespace, service)


def publishers() -> list[str]:
    return [service for service in SERVICES if spec_of(service).catalog.types]


def consumers() -> list[str]:
    return [service for service in SERVICES if spec_of(service).subscriptions]


def example_data() -> dict[str, dict]:
    messages = yaml.safe_load(ASYNCAPI.read_text())["components"]["messages"]
    return {message["name"]: message["examples"][0]["payload"]["data"]
            for message in messages.values() if message.get("examples")}


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    with WorkerReplicas(SERVICES, tmp_path_factory.mktemp("replicas"), database="postgres") as suite:
        yield suite


def write_events(suite: Suite, service: str, examples: dict[str, dict]) -> None:
    """Interleave the records' events over many small transactions, as requests would."""
    spec = spec_of(service)
    # The relay and the consumers treat every type alike: the types with an example are enough.
    with_example = sorted(set(spec.catalog.types) & set(examples))
    assert with_example, f"docs/asyncapi.yaml has no example for any event type of {service}"
    outbox = Outbox(service, spec.tables, spec.catalog)
    types = itertools.cycle(with_example)
    subjects = [f"{service}-record-{number:02d}" for number in range(RECORDS_PER_SERVICE)]
    database = Database(suite.database_urls[service])
    try:
        for _ in range(EVENTS_PER_RECORD):
            for subject in subjects:
                event_type = next(types)
                with database.session() as session:
                    outbox.record(session, event_type, subject, examples[event_type])
    finally:
        database.dispose()


def read_table(suite: Suite, service: str, columns: str) -> list:
    spec = spec_of(service)
    table = getattr(spec.tables, columns)
    database = Database(suite.database_urls[service])
    try:
        with database.read_session() as session:
            query = select(table).order_by(table.c.position) if columns == "outbox" else \
                select(table).where(table.c.consumer == service)
            return session.execute(query).all()
    finally:
        database.dispose()


def everything_published(suite: Suite) -> dict[str, list] | None:
    """Every service's outbox rows in outbox order, once no service has an unsent event left."""
    outboxes = {service: read_table(suite, service, "outbox") for service in SERVICES}
    if any(row.published_at is None for rows in outboxes.values() for row in rows):
        return None
    return outboxes


def in_order_per_record(outboxes: dict[str, list]) -> dict[tuple[str, str], list[str]]:
    """Event ids per (publishing service, subject), in outbox order."""
    order: dict[tuple[str, str], list[str]] = defaultdict(list)
    for service, rows in outboxes.items():
        for row in rows:
            order[(service, row.subject)].append(row.event_id)
    return dict(order)


def test_two_workers_of_every_service_deliver_and_apply_each_event_once_in_order_per_record(replicas):
    assert publishers() and consumers(), "nothing to relay or nothing to consume: the test would prove nothing"
    listener = CitySystemListener(replicas.namespace, "#")
    try:
        examples = example_data()
        for service in publishers():
            write_events(replicas, service, examples)
        # Consumers may publish events of their own in turn: wait until every outbox is drained
        # and every consumer's inbox has all it subscribes to.
        def settled():
            outboxes = everything_published(replicas)
            if outboxes is None:
                return None
            events = [(service, row) for service, rows in outboxes.items() for row in rows]
            expected = {service: {row.event_id for _, row in events if subscribed(service, row.type)}
                        for service in consumers()}
            inboxes = {service: read_table(replicas, service, "inbox") for service in consumers()}
            # Equal sets, not counts: an event a consumer published after the outboxes were read may already be
            # applied while one they hold is not yet; the next look reads the outboxes again.
            if any({row.event_id for row in inboxes[service]} != expected[service] for service in consumers()):
                return None
            return outboxes, expected, inboxes

        outboxes, expected, inboxes = eventually(settled, timeout=60, interval=0.5,
                                                 message="every event published and applied")
        total = sum(len(rows) for rows in outboxes.values())
        assert total >= len(publishers()) * RECORDS_PER_SERVICE * EVENTS_PER_RECORD
        received = listener.receive(count=total, timeout=30)
    finally:
        listener.close()

    # The broker got every event once, each record's in outbox order, with two relays per database.
    received_ids = [event["id"] for event, _ in received]
    all_ids = [row.event_id for rows in outboxes.values() for row in rows]
    assert sorted(received_ids) == sorted(all_ids), "an event was lost or doubled on its way to the broker"
    arrival = {event_id: position for position, event_id in enumerate(received_ids)}
    for record, ids in in_order_per_record(outboxes).items():
        assert [arrival[i] for i in ids] == sorted(arrival[i] for i in ids), f"{record} published out of order"

    # Every consumer applied each event it subscribes to once, in order per record.
    for service in consumers():
        applied_at = {row.event_id: row.processed_at for row in inboxes[service]}
        assert len(applied_at) == len(inboxes[service]) and set(applied_at) == expected[service], service
        for record, ids in in_order_per_record(outboxes).items():
            times = [applied_at[event_id] for event_id in ids if event_id in applied_at]
            assert times == sorted(times), f"{service} applied the events of {record} out of order"

    for (service, role), process in replicas.processes.items():
        assert process.poll() is None, f"{service} {role} exited with {process.returncode}"


def subscribed(service: str, event_type: str) -> bool:
    return any(s.exchange == EVENTS and s.matches(event_type) for s in spec_of(service).subscriptions)
