"""The worker's outbox relay: publishes unsent events in order, with batched publisher confirms."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import amqp
from kombu import Connection
from opentelemetry import propagate, trace
from sqlalchemy.exc import SQLAlchemyError

from shared.bus.backoff import Backoff
from shared.bus.connection import ResourceAlarm, connected, drop, keep_alive, worker_connection
from shared.bus.envelope import CONTENT_TYPE, routing_key_for
from shared.bus.outbox import Outbox
from shared.bus.topology import Topology
from shared.bus.wakeup import OutboxWakeup
from shared.config import Settings
from shared.db import Database
from shared.fault_points import RELAY_AFTER_PUBLISH, pause_at
from shared.observability import EVENTS_PUBLISHED, EVENTS_UNROUTABLE, span_from

log = logging.getLogger(__name__)


class ConfirmTimeout(TimeoutError):
    pass


class BrokerBlocked(Exception):
    """The broker's resource alarm blocks the relay's connection: the batch is given up (its events stay
    unsent) and the relay waits for the alarm to clear, on the same connection."""


class ConfirmingPublisher:
    """Publishes a batch of messages, then waits once for all of their confirms (not one round trip each).

    Messages are persistent and `mandatory`: one the broker returns as unroutable is not confirmed.
    """

    def __init__(self, settings: Settings, topology: Topology):
        self.settings = settings
        self.topology = topology
        self.connection: Connection | None = None
        self.channel: amqp.Channel | None = None
        self.alarm = ResourceAlarm(settings.service, "relay")
        self._next_tag = 0
        self._awaited: set[int] = set()  # the batch's tags not yet acked or nacked
        self._acked: set[int] = set()
        self._failed: set[int] = set()
        self._returned: set[str] = set()

    def connect(self) -> None:
        if self.channel is None:
            self._connect()

    def _connect(self) -> None:
        self.connection = worker_connection(self.settings, self.alarm)
        self.channel = self.connection.channel()
        self.topology.declare_exchanges(self.channel)
        self.channel.confirm_select()
        self.channel.events["basic_ack"].add(self._on_ack)
        self.channel.events["basic_nack"].add(self._on_nack)
        self.channel.events["basic_return"].add(self._on_return)
        self._next_tag = 0

    def idle(self, timeout: float = 0) -> None:
        """Read what the open connection holds and mind the heartbeats, so that a broker (or network) that
        dropped it or went silent is noticed now, not at the next publish."""
        keep_alive(connected(self.connection), timeout)

    def wait_while_blocked(self, stop: threading.Event) -> None:
        """Hold publishing while the broker blocks the connection, reading it (for the end of the alarm and
        the heartbeats) rather than reconnecting: a new connection would be blocked as well."""
        while self.alarm.blocked and not stop.is_set():
            self.idle(timeout=1)
            self.alarm.count()

    def close(self) -> None:
        self.alarm.end()
        drop(self.connection)
        self.connection = self.channel = None

    def _settle(self, tag: int, multiple: bool, into: set[int]) -> None:
        """A confirm settles its tag, or with `multiple` every tag up to it: only the batch's are looked at, as the
        tags count up for as long as the connection lives."""
        settled = {awaited for awaited in self._awaited if awaited <= tag} if multiple else {tag}
        into.update(settled)
        self._awaited -= settled

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, self._acked)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, self._failed)

    def _on_return(self, _exc, _exchange, _routing_key, message) -> None:
        self._returned.add(message.properties.get("message_id"))

    def publish(self, messages: list[tuple[str, str, bytes, dict[str, Any]]]) -> tuple[list[str], list[str]]:
        """Publish (message id, routing key, body, headers) tuples on the events exchange.

        Returns (confirmed ids, unroutable ids); raises ConfirmTimeout, BrokerBlocked or a connection error
        otherwise.
        """
        self.connect()
        if self.alarm.blocked:
            raise BrokerBlocked("the broker's resource alarm blocks publishing")
        self._awaited, self._acked, self._failed, self._returned = set(), set(), set(), set()
        tags: dict[int, str] = {}
        for message_id, routing_key, body, headers in messages:
            connected(self.channel).basic_publish(
                amqp.Message(body, content_type=CONTENT_TYPE, delivery_mode=2, message_id=message_id,
                             application_headers=headers),
                exchange=self.topology.events.name, routing_key=routing_key, mandatory=True)
            self._next_tag += 1
            tags[self._next_tag] = message_id
            self._awaited.add(self._next_tag)
        self._wait_for_confirms()
        confirmed = [mid for tag, mid in tags.items() if tag in self._acked and mid not in self._returned]
        return confirmed, sorted(self._returned)

    def _wait_for_confirms(self) -> None:
        deadline = time.monotonic() + self.settings.confirm_timeout_seconds
        while self._awaited:
            if self.alarm.blocked:  # its confirms come only once the alarm clears: the batch's transaction won't wait
                raise BrokerBlocked(f"{len(self._awaited)} confirms held by the resource alarm")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConfirmTimeout(f"{len(self._awaited)} confirms missing")
            try:
                connected(self.connection).drain_events(timeout=remaining)
            except TimeoutError:
                continue


class OutboxRelay:
    """Moves events from the outbox to the broker; retries forever with backoff while either is away."""

    LOCK_NAME = "chancery-outbox-relay"

    def __init__(self, settings: Settings, database: Database, outbox: Outbox, topology: Topology):
        self.settings = settings
        self.database = database
        self.outbox = outbox
        self.publisher = ConfirmingPublisher(settings, topology)
        self.wakeup = OutboxWakeup(database.url, settings.relay_poll_seconds)
        self.backoff = Backoff()

    def relay_once(self) -> int:
        """Publish one batch; return how many events were confirmed and marked sent."""
        if self.database.is_sqlite and not self._has_unsent():
            return 0
        # Connect before the write transaction: on SQLite it holds the database's only writer lock,
        # and a broker that does not answer must not stall every request for the connect timeout.
        self.publisher.connect()
        with self.database.session() as session:
            if not self.database.try_exclusive(session, self.LOCK_NAME):
                return 0
            rows = self.outbox.unsent(session, self.settings.relay_batch)
            confirmed, unroutable = self.publisher.publish([self._message(row) for row in rows])
            pause_at(RELAY_AFTER_PUBLISH)
            self.outbox.mark_published(session, confirmed)
        self._count(rows, confirmed, unroutable)
        if unroutable:
            log.warning("broker returned %d unroutable events; they stay unsent", len(unroutable))
            time.sleep(self.backoff.next())
        return len(confirmed)

    def _has_unsent(self) -> bool:
        """A look with a reader first, where a write transaction would take SQLite's only writer lock."""
        with self.database.read_session() as session:
            return self.outbox.has_unsent(session)

    def _message(self, row: dict[str, Any]) -> tuple[str, str, bytes, dict[str, Any]]:
        headers: dict[str, Any] = {}
        carrier = {"traceparent": row["traceparent"]} if row["traceparent"] else {}
        with span_from(carrier, f"publish {row['type']}", trace.SpanKind.PRODUCER,
                       **{"messaging.system": "rabbitmq", "messaging.message.id": row["event_id"]}):
            propagate.inject(headers)
        body = json.dumps(self.outbox.envelope(row), separators=(",", ":"), default=str).encode()
        return row["event_id"], routing_key_for(row["type"], row["data"]), body, headers

    def _count(self, rows, confirmed: list[str], unroutable: list[str]) -> None:
        type_of = {row["event_id"]: row["type"] for row in rows}
        for event_id in confirmed:
            EVENTS_PUBLISHED.labels(self.settings.service, type_of[event_id]).inc()
        for event_id in unroutable:
            EVENTS_UNROUTABLE.labels(self.settings.service, type_of[event_id]).inc()

    @property
    def broker_connected(self) -> bool:
        return self.publisher.channel is not None

    def run(self, stop: threading.Event) -> None:
        self.wakeup.start(stop)
        while not stop.is_set():
            try:
                self.publisher.connect()  # kept open while idle, so that readiness reflects the broker
                self.publisher.wait_while_blocked(stop)
                published = self.relay_once()
                self.backoff.reset()
                if published == 0:
                    self.wakeup.wait()
                    self.publisher.idle()
            except BrokerBlocked:
                continue  # the next turn waits, outside the batch's transaction (on SQLite the only writer lock)
            except Exception as error:  # noqa: BLE001 - the relay outlives every broker or database outage
                delay = self.backoff.next()
                log.warning("outbox relay paused %.1fs: %s: %s", delay, type(error).__name__, error)
                if not isinstance(error, SQLAlchemyError):  # the database's failure leaves the broker's connection up
                    self.publisher.close()
                stop.wait(delay)
        self.publisher.close()
        self.wakeup.join()
