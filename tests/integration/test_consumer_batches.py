"""The consumer applies several delivered events in one transaction (decision 0076), on the real broker and
PostgreSQL (and SQLite), and still decides retries and dead letters per message."""

from __future__ import annotations

import json
import logging
import threading
import uuid

import pytest
from kombu import Connection, Consumer, Producer
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from shared.bus.consumer import ATTEMPT_HEADER, EventConsumer, Subscription
from shared.bus.envelope import CONTENT_TYPE, cloud_event
from shared.bus.topology import EVENTS
from shared.config import load_settings
from shared.db import Database, make_engine, utcnow
from shared.migrations import upgrade
from shared.observability import EVENTS_DUPLICATE, EVENTS_RETRIED
from shared.suite import spec_of
from tests.support.broker import delete_namespace
from tests.support.faultproxy import FaultProxy
from tests.support.processes import (
    BROKER_URL,
    create_postgres_database,
    drop_postgres_database,
    eventually,
    postgres_url,
)

pytestmark = pytest.mark.integration
SERVICE = "trips"  # any consuming service's tables and queue names do; the handler is this test's own
EVENT_TYPE = "chancery.tests.thing.happened.v1"


class Harness:
    """An EventConsumer with a handler that writes an audit row per event (raising for the ids in
    `failing` their error), its queue on a test namespace, and a count of the commits of its database.

    The test receives the messages itself and hands them to `handle_batch`, so that a batch is exactly
    what it published; the consumer republishes retries and dead letters on the test's connection."""

    def __init__(self, database_url: str):
        self.namespace = f"batch{uuid.uuid4().hex[:8]}"
        settings = load_settings(SERVICE, {
            f"{SERVICE.upper()}_DATABASE_URL": database_url, "CHANCERY_NAMESPACE": self.namespace,
            "CHANCERY_AMQP_URL": BROKER_URL, "CHANCERY_RETRY_DELAYS_SECONDS": "0.2"})
        spec = spec_of(SERVICE)
        upgrade(spec, settings)
        self.database = Database(database_url)
        self.reader = make_engine(database_url)  # its own, so that reading does not count as the consumer's commit
        self.audit = spec.tables.audit
        self.failing: dict[str, Exception] = {}
        self.commits = 0
        sqlalchemy_event.listen(self.database.engine, "commit", self._count_commit)
        self.consumer = EventConsumer(settings, self.database, spec.tables,
                                      [Subscription(EVENTS, "chancery.tests.#", self._record)],
                                      lambda session, event: session)
        self.connection = Connection(BROKER_URL, connect_timeout=5, heartbeat=0,
                                     transport_options={"confirm_publish": True})
        self.consumer.producer = Producer(self.connection.channel())
        self.channel = self.connection.channel()
        self.channel.basic_qos(0, settings.consumer_prefetch, False)
        self.queue = self.consumer.topology.declare_consumer(
            self.channel, [binding for subscription in self.consumer.subscriptions
                           for binding in subscription.bindings])
        self.delivered = []

    def _count_commit(self, connection) -> None:
        self.commits += 1

    def _record(self, session, event: dict) -> None:
        session.execute(insert(self.audit), {
            "at": utcnow(), "actor": "test", "roles": "", "action": "thing.happened", "record_type": "thing",
            "record_id": event["subject"], "changes": {}, "request_id": event["id"]})
        if event["id"] in self.failing:
            raise self.failing[event["id"]]

    def publish(self, *event_ids: str) -> None:
        producer = Producer(self.connection.channel(), exchange=self.consumer.topology.events)
        for event_id in event_ids:
            event = cloud_event(service="tests", event_id=event_id, event_type=EVENT_TYPE, subject=event_id,
                                occurred_at=utcnow(), data={})
            producer.publish(json.dumps(event).encode(), routing_key=EVENT_TYPE, message_id=event_id,
                             delivery_mode=2, content_type=CONTENT_TYPE, content_encoding="binary", retry=False)

    def receive(self, count: int) -> list:
        """The next `count` messages of the queue, delivered and not yet acknowledged."""
        def delivered_enough() -> bool:
            try:
                self.connection.drain_events(timeout=0.2)
            except TimeoutError:
                pass
            return len(self.delivered) >= count

        eventually(delivered_enough, timeout=15, message=f"{count} messages delivered")
        messages = self.delivered[:count]
        del self.delivered[:count]
        return messages

    def start_receiving(self) -> None:
        self.receiver = Consumer(self.channel, queues=[self.queue], on_message=self.delivered.append,
                                 no_ack=False, auto_declare=False)
        self.receiver.consume()

    def applied(self) -> dict[str, int]:
        """How many times each event's effect is in the database."""
        with self.reader.connect() as connection:
            rows = connection.execute(select(self.audit.c.request_id, func.count())
                                      .group_by(self.audit.c.request_id))
            return dict(rows.all())

    def close(self) -> None:
        self.connection.release()
        delete_namespace(self.namespace, (SERVICE,), retry_delays="0.2")
        for engine in (self.reader, self.database.engine, self.database.reader_engine):
            engine.dispose()


@pytest.fixture
def harness(database_url):
    running = Harness(database_url)
    try:
        yield running
    finally:
        running.close()


def new_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def counted(metric, event_type: str = EVENT_TYPE) -> float:
    return metric.labels(SERVICE, event_type)._value.get()


def test_several_delivered_events_are_applied_in_one_transaction_and_acknowledged_after_it(harness):
    ids = new_ids(5)
    harness.publish(*ids)
    harness.start_receiving()
    messages = harness.receive(5)

    harness.consumer.handle_batch(messages)

    assert harness.commits == 1
    assert harness.applied() == dict.fromkeys(ids, 1)
    assert all(message.acknowledged for message in messages)


def test_the_loop_takes_events_already_queued_together_and_applies_each_once(harness):
    ids = new_ids(20)
    harness.publish(*ids)
    stop = threading.Event()
    worker = threading.Thread(target=harness.consumer.run, args=(stop,), daemon=True)
    worker.start()
    try:
        eventually(lambda: len(harness.applied()) == len(ids), timeout=30, message="every event applied")
    finally:
        stop.set()
        worker.join(15)

    assert harness.applied() == dict.fromkeys(ids, 1)
    assert harness.commits < len(ids)


def test_a_duplicate_inside_a_batch_and_an_event_applied_before_are_skipped_while_the_others_apply(harness):
    earlier, *fresh = new_ids(4)
    harness.publish(earlier)
    harness.start_receiving()
    harness.consumer.handle_batch(harness.receive(1))
    duplicates_before, commits_before = counted(EVENTS_DUPLICATE), harness.commits
    harness.publish(earlier, fresh[0], fresh[1], fresh[0], fresh[2])
    messages = harness.receive(5)

    harness.consumer.handle_batch(messages)

    assert harness.commits - commits_before == 1
    assert harness.applied() == dict.fromkeys([earlier, *fresh], 1)
    assert counted(EVENTS_DUPLICATE) - duplicates_before == 2
    assert all(message.acknowledged for message in messages)


def test_one_failing_event_in_a_batch_is_retried_alone_while_the_rest_of_its_batch_is_applied_exactly_once(
        harness):
    ids = new_ids(5)
    failing = ids[2]
    harness.failing[failing] = RuntimeError(f"event {failing} cannot be applied yet")
    harness.publish(*ids)
    harness.start_receiving()
    messages = harness.receive(5)
    retried_before = counted(EVENTS_RETRIED)

    harness.consumer.handle_batch(messages)

    assert harness.applied() == {event_id: 1 for event_id in ids if event_id != failing}
    assert all(message.acknowledged for message in messages)
    assert counted(EVENTS_RETRIED) - retried_before == 1
    [retry] = harness.receive(1)  # back from its holding queue
    assert (json.loads(retry.body)["id"], retry.headers[ATTEMPT_HEADER]) == (failing, 2)

    harness.failing.clear()
    harness.consumer.handle_batch([retry])
    assert harness.applied() == dict.fromkeys(ids, 1)


def test_an_event_its_database_refuses_is_retried_even_when_the_refusal_quotes_the_word_connection(harness):
    [refused] = new_ids(1)
    harness.failing[refused] = IntegrityError("INSERT INTO audit_records", {}, Exception(
        'new row violates check constraint "no_visits" DETAIL: Failing row contains (connection to Sofia)'))
    harness.publish(refused)
    harness.start_receiving()
    [message] = harness.receive(1)
    retried_before = counted(EVENTS_RETRIED)

    handling = threading.Thread(target=harness.consumer.handle_batch, args=([message],), daemon=True)
    handling.start()
    handling.join(30)

    assert not handling.is_alive(), "the consumer waits for a database that is there"
    assert message.acknowledged
    assert counted(EVENTS_RETRIED) - retried_before == 1


def test_a_message_delivered_while_the_consumer_republished_another_is_handled_without_waiting_for_more(harness):
    consumer = harness.consumer
    consumer._connect()
    [event_id] = new_ids(1)
    harness.publish(event_id)

    def delivered_meanwhile() -> bool:  # as during a retry's confirm wait, which reads the same connection
        try:
            consumer.connection.drain_events(timeout=0.2)
        except TimeoutError:
            pass
        return bool(consumer._delivered)

    eventually(delivered_meanwhile, timeout=15, message="the message delivered")
    try:
        consumer.handle_batch(consumer._next_batch())  # nothing else is on its way
    finally:
        consumer.close()

    assert harness.applied() == {event_id: 1}


def test_with_the_database_away_a_batch_stays_unacknowledged_without_burning_attempts_until_it_is_back(caplog):
    name = f"batches_{uuid.uuid4().hex[:10]}"
    create_postgres_database(name)
    with FaultProxy(5432) as proxy:
        harness = Harness(postgres_url(name, port=proxy.port))
        try:
            ids = new_ids(3)
            harness.publish(*ids)
            harness.start_receiving()
            messages = harness.receive(3)
            retried_before = counted(EVENTS_RETRIED)
            proxy.cut()
            handling = threading.Thread(target=harness.consumer.handle_batch, args=(messages,), daemon=True)
            with caplog.at_level(logging.WARNING, logger="shared.bus.consumer"):
                handling.start()
                eventually(lambda: "retrying a batch of 3 events" in caplog.text, timeout=15,
                           message="the consumer waiting for the database")
                assert not any(message.acknowledged for message in messages)

                proxy.restore()
                handling.join(30)

            assert harness.applied() == dict.fromkeys(ids, 1)
            assert all(message.acknowledged for message in messages)
            assert counted(EVENTS_RETRIED) == retried_before
        finally:
            harness.close()
    drop_postgres_database(name)
