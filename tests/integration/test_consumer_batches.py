"""The consumer applies several delivered events in one transaction (decision 0076), on the real broker and
PostgreSQL (and SQLite), and still decides retries and dead letters per message."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import Counter
from typing import Any

import pytest
from kombu import Connection, Consumer, Producer
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from services.notifications.store import models
from shared.bus.consumer import ATTEMPT_HEADER, EventConsumer, Subscription, WorkFactory
from shared.bus.envelope import CONTENT_TYPE, cloud_event
from shared.bus.topology import EVENTS
from shared.config import load_settings
from shared.db import make_engine, utcnow
from shared.migrations import upgrade
from shared.observability import EVENTS_DEAD_LETTERED, EVENTS_DUPLICATE, EVENTS_RETRIED
from shared.service import ServiceRuntime
from shared.suite import spec_of
from shared.uow import worker_unit_of_work
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

    service = SERVICE
    settings_overrides: dict[str, str] = {}

    def __init__(self, database_url: str):
        self.namespace = f"batch{uuid.uuid4().hex[:8]}"
        settings = load_settings(self.service, {
            f"{self.service.upper()}_DATABASE_URL": database_url, "CHANCERY_NAMESPACE": self.namespace,
            "CHANCERY_AMQP_URL": BROKER_URL, "CHANCERY_RETRY_DELAYS_SECONDS": "0.2", **self.settings_overrides})
        spec = spec_of(self.service)
        upgrade(spec, settings)
        self.runtime = ServiceRuntime.build(spec, settings)
        self.database = self.runtime.database
        self.reader = make_engine(database_url)  # its own, so that reading does not count as the consumer's commit
        self.audit = spec.tables.audit
        self.failing: dict[str, Exception] = {}
        self.commits = 0
        sqlalchemy_event.listen(self.database.engine, "commit", self._count_commit)
        self.consumer = EventConsumer(settings, self.database, spec.tables, *self.handling())
        self.connection = Connection(BROKER_URL, connect_timeout=5, heartbeat=0,
                                     transport_options={"confirm_publish": True})
        self.consumer.producer = Producer(self.connection.channel())
        self.channel = self.connection.channel()
        self.channel.basic_qos(0, settings.consumer_prefetch, False)
        self.queue = self.consumer.topology.declare_consumer(
            self.channel, [binding for subscription in self.consumer.subscriptions
                           for binding in subscription.bindings])
        self.delivered = []

    def handling(self) -> tuple[list[Subscription], WorkFactory]:
        """The test's own handler, given the session."""
        return [Subscription(EVENTS, "chancery.tests.#", self._record)], lambda session, event: session

    def _count_commit(self, connection) -> None:
        self.commits += 1

    def _record(self, session, event: dict) -> None:
        session.execute(insert(self.audit), {
            "at": utcnow(), "actor": "test", "roles": "", "action": "thing.happened", "record_type": "thing",
            "record_id": event["subject"], "changes": {}, "request_id": event["id"]})
        if event["id"] in self.failing:
            raise self.failing[event["id"]]

    def publish(self, *event_ids: str, event_type: str = EVENT_TYPE, data: Any = None) -> None:
        producer = Producer(self.connection.channel(), exchange=self.consumer.topology.events)
        for event_id in event_ids:
            event = cloud_event(service="tests", event_id=event_id, event_type=event_type, subject=event_id,
                                occurred_at=utcnow(), data={} if data is None else data)
            producer.publish(json.dumps(event).encode(), routing_key=event_type, message_id=event_id,
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
        delete_namespace(self.namespace, (self.service,), retry_delays="0.2")
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


def counted(metric, event_type: str = EVENT_TYPE, service: str = SERVICE) -> float:
    return metric.labels(service, event_type)._value.get()


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


class NotificationsHarness(Harness):
    """The notifications worker's own handling (the fan-out, with the worker's units of work) of visits' events,
    heard by three people in their inboxes (one also by email) and a webhook; an event fails once for good."""

    service = "notifications"
    settings_overrides = {"CHANCERY_CONSUMER_MAX_ATTEMPTS": "1"}
    people = ("ana", "boris", "chen")

    def handling(self) -> tuple[list[Subscription], WorkFactory]:
        return self.runtime.spec.subscriptions, lambda session, event: worker_unit_of_work(self.runtime, session,
                                                                                          event["id"])

    def subscribe(self) -> None:
        with self.database.session() as session:
            for person in self.people:
                session.add(models.Subscription(subscriber=person, subscriber_roles="protocol",
                                                pattern="chancery.visits.#", channel="in-app", language="en"))
            session.add(models.Recipient(name="boris", roles="protocol", email="boris@example.org",
                                         channels={"email": "immediate"}))
            webhook = models.Webhook(owner="city-system", owner_roles="protocol", url="https://city.example/hook",
                                     pattern="chancery.visits.#", secret="s" * 32)
            session.add(webhook)
            session.flush()
            self.webhook = webhook.id

    def rows(self) -> dict[str, list[tuple]]:
        with self.reader.connect() as connection:
            return {table: sorted(connection.execute(text(f"SELECT {columns} FROM {table}")).all())
                    for table, columns in (("deliveries", "event_id, recipient, channel, status"),
                                           ("notifications", "event_id, recipient"),
                                           ("delivery_attempts", "delivery_id, outcome"))}

    def inserts(self) -> Counter:
        """A count of the INSERT statements the consumer sends from now on, per table."""
        counted_inserts: Counter = Counter()
        sqlalchemy_event.listen(self.database.engine, "before_cursor_execute",
                                lambda _c, _cursor, statement, *_: counted_inserts.update(
                                    [statement.split()[2]] if statement.startswith("INSERT INTO") else []))
        return counted_inserts


@pytest.fixture
def notifications_on_postgres():
    name = f"batches_{uuid.uuid4().hex[:10]}"
    running = NotificationsHarness(create_postgres_database(name))
    try:
        running.subscribe()
        yield running
    finally:
        running.close()
        drop_postgres_database(name)


VISIT_UPDATED = "chancery.visits.visit.updated.v1"


def test_a_batch_of_several_events_writes_each_row_once_set_based_and_the_batch_redelivered_changes_nothing(
        notifications_on_postgres):
    harness = notifications_on_postgres
    ids = new_ids(4)
    harness.publish(*ids, event_type=VISIT_UPDATED, data={"delegation_name": "Delegation of the City of Lyon"})
    harness.start_receiving()
    inserts, commits_before = harness.inserts(), harness.commits

    harness.consumer.handle_batch(harness.receive(4))

    rows = harness.rows()
    expected = sorted([(event_id, person, "in-app", "delivered") for event_id in ids for person in harness.people]
                      + [(event_id, "boris", "email", "pending") for event_id in ids]
                      + [(event_id, f"webhook:{harness.webhook}", "webhook", "pending") for event_id in ids])
    assert rows["deliveries"] == expected
    assert rows["notifications"] == sorted((event_id, person) for event_id in ids for person in harness.people)
    assert len(rows["delivery_attempts"]) == len(ids) * len(harness.people)
    assert harness.commits - commits_before == 1
    assert inserts == {"inbox": 1, "deliveries": 1, "notifications": 1, "delivery_attempts": 1}

    duplicates_before = counted(EVENTS_DUPLICATE, VISIT_UPDATED, harness.service)
    harness.publish(*ids, event_type=VISIT_UPDATED, data={"delegation_name": "Delegation of the City of Lyon"})
    redelivered = harness.receive(4)
    harness.consumer.handle_batch(redelivered)

    assert harness.rows() == rows
    assert counted(EVENTS_DUPLICATE, VISIT_UPDATED, harness.service) - duplicates_before == 4
    assert all(message.acknowledged for message in redelivered)


def test_an_event_the_fan_out_refuses_is_dead_lettered_and_the_rest_of_its_batch_is_written_once(
        notifications_on_postgres):
    harness = notifications_on_postgres
    good = new_ids(3)
    [refused] = new_ids(1)
    harness.publish(good[0], event_type=VISIT_UPDATED, data={"delegation_name": "Lyon"})
    harness.publish(refused, event_type=VISIT_UPDATED, data=["not", "an", "object"])
    harness.publish(*good[1:], event_type=VISIT_UPDATED, data={"delegation_name": "Lyon"})
    harness.start_receiving()
    messages = harness.receive(4)
    dead_before = counted(EVENTS_DEAD_LETTERED, VISIT_UPDATED, harness.service)

    harness.consumer.handle_batch(messages)

    assert counted(EVENTS_DEAD_LETTERED, VISIT_UPDATED, harness.service) - dead_before == 1
    assert all(message.acknowledged for message in messages)
    assert harness.rows()["notifications"] == sorted((event_id, person) for event_id in good
                                                     for person in harness.people)
