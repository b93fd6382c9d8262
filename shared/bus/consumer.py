"""Idempotent consumers: an inbox row per (consumer, event id), the events delivered together applied in one
transaction (decision 0076), ack after commit, delayed retries, dead letters."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from kombu import Connection, Consumer, Producer
from kombu.message import Message
from opentelemetry import trace
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from shared.bus.backoff import Backoff
from shared.bus.connection import ResourceAlarm, connected, drop, keep_alive, wait_beating, worker_connection
from shared.bus.envelope import WITHHELD_PREFIX, parse_cloud_event
from shared.bus.topology import Binding, Topology
from shared.config import Settings
from shared.db import Database, PlumbingTables, utcnow
from shared.fault_points import CONSUMER_AFTER_COMMIT, CONSUMER_BEFORE_COMMIT, pause_at
from shared.observability import (
    EVENTS_CONSUMED,
    EVENTS_DEAD_LETTERED,
    EVENTS_DUPLICATE,
    EVENTS_RETRIED,
    REPUBLISH_ABANDONED,
    span_from,
    tracer,
)
from shared.set_inserts import holds_rows, insert_held_rows

log = logging.getLogger(__name__)

# A handler gets the consumer's unit of work (`.session`, `.emit`, `.audit`, all in the transaction that
# records the event in the inbox) and the CloudEvent.
Handler = Callable[[Any, dict[str, Any]], None]
WorkFactory = Callable[[Session, dict[str, Any]], Any]
ATTEMPT_HEADER = "x-chancery-attempt"
ERROR_HEADER = "x-chancery-error"
_INSERT_IGNORING: dict[str, Callable[[Any], PostgresqlInsert | SqliteInsert]] = {
    "postgresql": postgresql_insert, "sqlite": sqlite_insert}
# How long a batch waits for the next message: long enough for one already on its way from the broker,
# too short to delay a lone event.
_MORE_DELIVERED_SECONDS = 0.001
T = TypeVar("T")


@dataclass(frozen=True)
class Subscription:
    """Events matching `pattern` (AMQP topic syntax) on `exchange` are handled by `handler`."""

    exchange: str
    pattern: str
    handler: Handler
    withheld: bool = False  # also hear events about withheld records (decision 0190), under `withheld.<type>`

    @property
    def bindings(self) -> list[Binding]:
        also = [Binding(self.exchange, WITHHELD_PREFIX + self.pattern)] if self.withheld else []
        return [Binding(self.exchange, self.pattern), *also]

    def matches(self, event_type: str) -> bool:
        return topic_matches(self.pattern, event_type)


@lru_cache(maxsize=16384)  # a handful of patterns against the suite's few hundred event types, for every event
def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is exactly one word, `#` zero or more."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and p[0] in ("*", k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), routing_key.split("."))


class PoisonMessage(ValueError):
    """A message that no retry can fix: it goes straight to the dead-letter queue."""


class InboundSchema:
    """The JSON Schema of an inbound type's `data` (what a city system sends to chancery.inbound)."""

    def __init__(self, schema: dict[str, Any]):
        # Imported here (about 7 MiB and 0.2-0.7 s): only a consumer of inbound types uses it, and every process
        # imports this module (decision 0195); its messages name each broken field as a dead letter's reason.
        from jsonschema import Draft202012Validator

        self.validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def check(self, data: Any) -> dict[str, Any]:
        """The data, or PoisonMessage naming every field that breaks the schema."""
        errors = sorted(self.validator.iter_errors(data), key=lambda error: list(error.absolute_path))
        if errors:
            raise PoisonMessage("; ".join(f"{'.'.join(map(str, e.absolute_path)) or 'data'}: {e.message}"
                                          for e in errors))
        return data


class RepublishUnconfirmed(Exception):
    """A retry or dead letter was not confirmed in time: the consumer reconnects (not a TimeoutError, which its
    loop takes for an idle read)."""


@dataclass(frozen=True)
class Delivery:
    """A parsed message: the CloudEvent it carries and the attempt this delivery is."""

    message: Message
    event: dict[str, Any]
    attempt: int


class EventConsumer:
    def __init__(self, settings: Settings, database: Database, tables: PlumbingTables,
                 subscriptions: list[Subscription], work_for: WorkFactory):
        self.settings = settings
        self.work_for = work_for
        self.database = database
        self.inbox = tables.inbox
        self.subscriptions = subscriptions
        self.topology = Topology(settings)
        self.consumer_name = settings.service
        self.connection: Connection | None = None
        self.producer: Producer | None = None
        self.alarm = ResourceAlarm(settings.service, "consumer")
        self._delivered: list[Message] = []  # by `drain_events`, since the last batch was taken
        self._stop = threading.Event()  # the worker's, once `run` starts

    # --- one transaction ---

    def handle(self, event: dict[str, Any]) -> bool:
        """Apply the event's effects and record it in the inbox, in one transaction.

        Returns False when the event had already been applied (a redelivery), True otherwise.
        """
        with self.database.session() as session:
            if event["id"] not in self._claim(session, [event["id"]]):
                return False
            self._apply(session, event)
            pause_at(CONSUMER_BEFORE_COMMIT)
        return True

    def _claim(self, session: Session, event_ids: list[str]) -> set[str]:
        """Record the events in the inbox in one statement; the ids it recorded (the others were there
        already). A competing consumer's uncommitted claim of the same event makes this one wait for its
        outcome (PostgreSQL; SQLite has one writer at a time)."""
        insert_ignoring = _INSERT_IGNORING[session.get_bind().dialect.name]
        now = utcnow()
        # Sorted, so that two transactions claiming the same events lock them in the same order.
        rows = [{"consumer": self.consumer_name, "event_id": event_id, "processed_at": now}
                for event_id in sorted(set(event_ids))]
        # RETURNING, not rowcount: psycopg reports -1 for this statement whether or not it inserted.
        return set(session.execute(insert_ignoring(self.inbox).on_conflict_do_nothing()
                                   .returning(self.inbox.c.event_id), rows).scalars())

    def _apply(self, session: Session, event: dict[str, Any]) -> None:
        work = self.work_for(session, event)
        for subscription in self.subscriptions:
            if subscription.matches(event["type"]):
                subscription.handler(work, event)

    # --- handling a batch ---

    def handle_batch(self, messages: list[Message]) -> None:
        """Apply the messages' events in one transaction, acked after its commit; if anything fails there,
        each event alone, so that retries and dead letters are decided per message."""
        # Nothing may raise out of here but a broker failure: the reconnect would redeliver every
        # prefetched message and count it against the queue's delivery limit, good ones included.
        deliveries = [delivery for delivery in map(self._parse, messages) if delivery is not None]
        if len(deliveries) > 1 and self._handled_together(deliveries):
            return
        for delivery in deliveries:
            self._handle_alone(delivery)

    def _parse(self, message: Message) -> Delivery | None:
        """The message's event, or None once an unparsable message is dead-lettered."""
        try:
            return Delivery(message, parse_cloud_event(message.body, message.headers, message.content_type),
                            attempt_of(message))
        except ValueError as error:
            self._dead_letter(message, "unparsable", f"poison: {error}")
            return None

    def _handled_together(self, deliveries: list[Delivery]) -> bool:
        """False if the batch's transaction failed (and was rolled back)."""
        try:
            applied = self._while_database_away(lambda: self._apply_together(deliveries),
                                                f"a batch of {len(deliveries)} events")
        except Exception as error:  # noqa: BLE001 - each event is then tried alone
            log.info("a batch of %d events failed, handling each alone: %s: %s",
                     len(deliveries), type(error).__name__, error)
            return False
        if applied is not None:  # None: stopping, unacknowledged, the broker redelivers them
            pause_at(CONSUMER_AFTER_COMMIT)
            for delivery, first in zip(deliveries, applied, strict=True):
                self._acknowledge(delivery, first)
        return True

    def _apply_together(self, deliveries: list[Delivery]) -> list[bool]:
        """One transaction for every event: one claim, each new event's handlers, one commit. Whether each
        delivery was applied (False: its event was in the inbox already, or earlier in the batch)."""
        with self.database.session() as session:
            claimed = self._claim(session, [delivery.event["id"] for delivery in deliveries])
            applied, consumed = [], []
            for delivery in deliveries:
                first = delivery.event["id"] in claimed
                claimed.discard(delivery.event["id"])
                if first:
                    with _consume_span(delivery) as span:
                        self._apply(session, delivery.event)
                        # Its writes in its own trace: else the next event's first query, or the commit, would
                        # flush them in the next event's span or in none.
                        session.flush()
                    consumed.append(span.get_span_context())
                applied.append(first)
            if holds_rows(session):
                with _batch_span(consumed):
                    insert_held_rows(session)
            pause_at(CONSUMER_BEFORE_COMMIT)
        return applied

    # --- one message alone ---

    def _handle_alone(self, delivery: Delivery) -> None:
        """The event in its own transaction; a failure is retried later or dead-lettered."""
        event, message = delivery.event, delivery.message
        with _consume_span(delivery):
            try:
                applied = self._while_database_away(lambda: self.handle(event), f"event {event['id']}")
            except PoisonMessage as error:
                self._dead_letter(message, event["type"], f"poison: {error}")
                return
            except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                self._retry_or_dead_letter(message, event, delivery.attempt, error)
                return
            if applied is None:
                return  # stopping: unacknowledged, the broker redelivers it
            pause_at(CONSUMER_AFTER_COMMIT)
            self._acknowledge(delivery, applied)

    def _while_database_away(self, transaction: Callable[[], T], what: str) -> T | None:
        """The transaction's result, tried again with backoff while the database is away rather than
        burning the messages' attempts; None if the worker stops meanwhile. Other errors are raised."""
        database_backoff = Backoff()
        while True:
            try:
                return transaction()
            except DBAPIError as error:
                if not error.connection_invalidated and not _is_unavailable(error):
                    raise
                delay = database_backoff.next()
                log.warning("database unavailable, retrying %s in %.1fs", what, delay)
                if wait_beating(self.connection, self._stop, delay):
                    return None

    def _acknowledge(self, delivery: Delivery, applied: bool) -> None:
        (EVENTS_CONSUMED if applied else EVENTS_DUPLICATE).labels(self.settings.service,
                                                                  delivery.event["type"]).inc()
        delivery.message.ack()

    def _retry_or_dead_letter(self, message: Message, event: dict[str, Any], attempt: int,
                              error: Exception) -> None:
        reason = f"{type(error).__name__}: {error}"[:500]
        if attempt >= self.settings.consumer_max_attempts:
            log.error("event %s failed %d times, dead-lettered: %s", event["id"], attempt, reason)
            self._dead_letter(message, event["type"], reason, attempt)
            return
        delays = self.settings.retry_delays_seconds
        delay = delays[min(attempt - 1, len(delays) - 1)]
        log.warning("event %s failed (attempt %d), retry in %.1fs: %s", event["id"], attempt, delay, reason)
        self._republish(message, self.topology.retry, self.topology.retry_routing_key(delay),
                        {ATTEMPT_HEADER: attempt + 1, ERROR_HEADER: reason})
        EVENTS_RETRIED.labels(self.settings.service, event["type"]).inc()
        message.ack()

    def _dead_letter(self, message: Message, event_type: str, reason: str, attempt: int = 1) -> None:
        self._republish(message, self.topology.dead_letter, self.settings.service,
                        {ATTEMPT_HEADER: attempt, ERROR_HEADER: reason[:500]})
        EVENTS_DEAD_LETTERED.labels(self.settings.service, event_type).inc()
        message.ack()

    def _republish(self, message: Message, exchange, routing_key: str, extra_headers: dict) -> None:
        """Publish a copy with confirms before the original is acked: a crash in between duplicates, never loses.
        A confirm that does not come within the limit (a resource alarm that lasts, decision 0072) ends the
        connection rather than the worker's progress: the original stays unacknowledged and is redelivered."""
        headers = dict(message.headers or {})
        headers.update(extra_headers)
        limit = self.settings.republish_timeout_seconds
        try:
            connected(self.producer).publish(
                message.body, exchange=exchange, routing_key=routing_key, headers=headers,
                content_type=message.content_type, content_encoding=message.content_encoding or "utf-8",
                delivery_mode=2, message_id=message.properties.get("message_id"), retry=False, confirm_timeout=limit)
        except TimeoutError as error:
            REPUBLISH_ABANDONED.labels(self.settings.service).inc()
            cause = "while the broker blocks the connection" if self.alarm.blocked else "from the broker"
            log.error("no confirm of a message republished to %s came within %.0fs %s: dropping the connection, "
                      "the broker redelivers the unacknowledged messages", exchange.name, limit, cause)
            raise RepublishUnconfirmed(f"no confirm within {limit:.0f}s {cause}") from error

    # --- the loop ---

    def _connect(self) -> None:
        self.connection = worker_connection(self.settings, self.alarm, transport_options={"confirm_publish": True})
        channel = self.connection.channel()
        queue = self.topology.declare_consumer(channel, [b for s in self.subscriptions for b in s.bindings])
        channel.basic_qos(0, self.settings.consumer_prefetch, False)
        self.producer = Producer(self.connection.channel())
        self._delivered = []  # any left from a lost connection are redelivered
        self._consumer = Consumer(channel, queues=[queue], on_message=self._delivered.append,
                                  no_ack=False, auto_declare=False)  # declared (or adopted) just above
        self._consumer.consume()

    def _next_batch(self) -> list[Message]:
        """Wait for a message, then take those already delivered behind it, up to a batch: never wait for
        a batch to fill, so that a lone event is handled at once. Messages delivered while the last batch
        republished a retry or a dead letter (its confirm wait reads the connection) need no wait at all:
        with the prefetch full, none other would come to end it. An idle consumer minds the heartbeats here."""
        keep_alive(connected(self.connection), 0 if self._delivered else 0.5)
        while len(self._delivered) < self.settings.consumer_batch_size:
            try:
                connected(self.connection).drain_events(timeout=_MORE_DELIVERED_SECONDS)
            except TimeoutError:
                break
        batch = list(self._delivered)
        self._delivered.clear()
        return batch

    def close(self) -> None:
        self.alarm.end()
        drop(self.connection)
        self.connection = self.producer = None

    @property
    def broker_connected(self) -> bool:
        return self.producer is not None

    def run(self, stop: threading.Event) -> None:
        self._stop = stop
        backoff = Backoff()
        while not stop.is_set():
            try:
                if self.connection is None:
                    self._connect()
                    backoff.reset()
                self.handle_batch(self._next_batch())
            except TimeoutError:
                continue
            except Exception as error:  # noqa: BLE001 - reconnect after any broker failure
                delay = backoff.next()
                log.warning("consumer reconnecting in %.1fs: %s: %s", delay, type(error).__name__, error)
                self.close()
                stop.wait(delay)
        self.close()


def attempt_of(message: Message) -> int:
    value = (message.headers or {}).get(ATTEMPT_HEADER, 1)
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{ATTEMPT_HEADER} is not a number: {value!r}") from error


def trace_headers(message: Message) -> dict[str, str]:
    """The headers that may carry a trace context; a malformed one is ignored (as W3C asks), not fatal."""
    return {name: value for name, value in (message.headers or {}).items() if isinstance(value, str)}


def _consume_span(delivery: Delivery):
    """The event's consume span, parented from the trace context its message carries."""
    return span_from(trace_headers(delivery.message), f"consume {delivery.event['type']}", trace.SpanKind.CONSUMER,
                     **{"messaging.system": "rabbitmq", "messaging.message.id": delivery.event["id"]})


def _batch_span(consumed: list[trace.SpanContext]):
    """The span of the rows a batch's events inserted together (decision 0200): in no event's trace, linked to
    each event's consume span."""
    return tracer().start_as_current_span(
        "consume batch", kind=trace.SpanKind.CONSUMER, links=[trace.Link(context) for context in consumed],
        attributes={"messaging.system": "rabbitmq", "messaging.batch.message_count": len(consumed)})


def _is_unavailable(error: DBAPIError) -> bool:
    """The database could not serve the transaction (unreachable, a dropped connection, SQLite busy, a deadlock):
    the message waits for it. Judged by the error's class, never by its text, which quotes the refused row
    (an IntegrityError whose data says "connection" would otherwise block its queue for ever)."""
    return isinstance(error, OperationalError | InterfaceError)
