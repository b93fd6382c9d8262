"""The notifications consumer with its database effect against raw kombu consuming with an ack.

A scratch notifications database (migrated) holds one in-app subscriber to `chancery.visits.#`. Each round
publishes `events` fresh visit.created CloudEvents (confirmed) to the events exchange, where both the
consumer's own quorum queue (declared as its worker declares it) and a bare quorum queue of the same kind
receive them. Then, in rotating order:
- the real EventConsumer of the notifications worker drains its queue: the events already delivered in one
  transaction (decision 0076) with their inbox rows, delivery plans, in-app notifications and delivery
  logs, acked after the commit;
- the baseline drains the bare queue with a kombu Consumer that acks each message and does nothing else,
  at the same prefetch.
Both are timed from the start of consuming to the last event handled.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from kombu import Connection, Consumer, Producer, Queue
from sqlalchemy import func, select

from services.notifications.store.models import Notification, Subscription
from shared.bus.consumer import EventConsumer
from shared.bus.envelope import CONTENT_TYPE, cloud_event
from shared.config import load_settings
from shared.db import utcnow
from shared.migrations import upgrade
from shared.observability import init_tracing
from shared.service import ServiceRuntime
from shared.suite import spec_of
from shared.uow import worker_unit_of_work
from tests.bench.outbox_relay import event_data
from tests.bench.support import ScratchDatabase, median, say
from tests.support.processes import BROKER_URL

TARGET = 0.4
EVENT_TYPE = "chancery.visits.visit.created.v1"


class Bench:
    def __init__(self, ns: str, database_url: str, events: int):
        self.events = events
        self.settings = load_settings("notifications", {
            "NOTIFICATIONS_DATABASE_URL": database_url, "CHANCERY_NAMESPACE": ns, "CHANCERY_AMQP_URL": BROKER_URL,
            "CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_ENV": "development"})
        init_tracing(self.settings, self.settings.service, "bench")
        self.spec = spec_of("notifications")
        self.service = ServiceRuntime.build(self.spec, self.settings)
        self.consumer = self._consumer()
        self.bare = Queue(f"{ns}.bench.bare", exchange=self.service.topology.events, routing_key="chancery.#",
                          durable=True, queue_arguments={"x-queue-type": "quorum"})

    def _consumer(self) -> EventConsumer:
        return EventConsumer(self.settings, self.service.database, self.spec.tables, self.spec.subscriptions,
                             lambda session, event: worker_unit_of_work(self.service, session, event["id"]))

    def prepare(self) -> None:
        upgrade(self.spec, self.settings)
        with self.service.database.session() as session:
            session.add(Subscription(subscriber="bench-olga", subscriber_roles="protocol",
                                     pattern="chancery.visits.#", channel="in-app", language=""))
        with Connection(BROKER_URL, connect_timeout=5) as connection:
            channel = connection.channel()
            self.service.topology.declare_consumer(channel, [b for s in self.spec.subscriptions for b in s.bindings])
            self.bare(channel).declare()

    def fill(self) -> None:
        """`events` new events into both queues, every one confirmed by the broker."""
        with Connection(BROKER_URL, connect_timeout=5, transport_options={"confirm_publish": True}) as connection:
            producer = Producer(connection.channel(), exchange=self.service.topology.events)
            for index in range(self.events):
                data = event_data(index)
                event = cloud_event(service="visits", event_id=data["id"], event_type=EVENT_TYPE,
                                    subject=data["id"], occurred_at=utcnow(), data=data)
                producer.publish(json.dumps(event, separators=(",", ":")).encode(), routing_key=EVENT_TYPE,
                                 message_id=event["id"], delivery_mode=2, content_type=CONTENT_TYPE,
                                 content_encoding="binary", retry=False)

    def notifications(self) -> tuple[int, datetime | None]:
        """How many notifications are stored, and when the last one was written."""
        with self.service.database.read_session() as session:
            count, last = session.execute(select(func.count(), func.max(Notification.created_at))).one()
        return count, last

    def run_consumer(self, deadline_s: float) -> dict:
        target = self.notifications()[0] + self.events
        consumer, stop = self._consumer(), threading.Event()
        started, started_at = time.perf_counter(), utcnow()
        thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
        thread.start()
        try:
            # Polled sparingly (the consumer shares this process); the end is the last notification's own time.
            while self.notifications()[0] < target and time.perf_counter() - started < deadline_s:
                time.sleep(0.25)
            count, last = self.notifications()
            handled = self.events - (target - count)
            elapsed = (_aware(last) - started_at).total_seconds() if last else time.perf_counter() - started
        finally:
            stop.set()
            thread.join(15)
        return {"events": handled, "seconds": round(elapsed, 3), "events_per_s": round(handled / elapsed, 1),
                "drained": handled >= self.events}

    def run_bare(self, deadline_s: float) -> dict:
        acked = 0

        def on_message(message) -> None:
            nonlocal acked
            message.ack()
            acked += 1

        with Connection(BROKER_URL, connect_timeout=5, heartbeat=0) as connection:
            channel = connection.channel()
            channel.basic_qos(0, self.settings.consumer_prefetch, False)
            started = time.perf_counter()
            with Consumer(channel, queues=[self.bare(channel)], on_message=on_message, no_ack=False,
                          auto_declare=False):
                while acked < self.events and time.perf_counter() - started < deadline_s:
                    try:
                        connection.drain_events(timeout=1)
                    except TimeoutError:
                        continue
            elapsed = time.perf_counter() - started
        return {"events": acked, "seconds": round(elapsed, 3), "events_per_s": round(acked / elapsed, 1),
                "drained": acked >= self.events}

    def cleanup(self) -> None:
        try:
            with Connection(BROKER_URL, connect_timeout=5) as connection:
                channel = connection.channel()
                channel.queue_delete(self.bare.name)
                topology = self.service.topology
                for queue in [topology.dead_letter_queue(), *topology.retry_queues(), topology.main_queue([])]:
                    channel.queue_delete(queue.name)
                for exchange in topology.exchanges():
                    channel.exchange_delete(exchange.name)
        finally:
            self.service.database.engine.dispose()
            self.service.database.reader_engine.dispose()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def measure(kind: str, ns: str, workdir: Path, *, events: int, rounds: int, deadline_s: float = 300) -> dict:
    workdir = workdir / f"consumer-{kind}"
    shutil.rmtree(workdir, ignore_errors=True)
    runs: dict[str, list[dict]] = {"consumer": [], "bare": []}
    with ScratchDatabase(kind, f"{ns}_consumer", workdir) as scratch:
        bench = Bench(ns, scratch.url, events)
        try:
            bench.prepare()
            for number in range(rounds):
                say(f"consumer {kind} round {number + 1}/{rounds}: publishing {events} events to both queues")
                bench.fill()
                order = ("bare", "consumer") if number % 2 == 0 else ("consumer", "bare")
                for name in order:
                    result = bench.run_bare(deadline_s) if name == "bare" else bench.run_consumer(deadline_s)
                    runs[name].append(result)
                    say(f"consumer {kind} round {number + 1}/{rounds} {name}: {result['events_per_s']} events/s")
        finally:
            bench.cleanup()
    ratios = [c["events_per_s"] / b["events_per_s"] for c, b in zip(runs["consumer"], runs["bare"], strict=True)
              if b["events_per_s"]]
    ratio = median(ratios)
    return {
        "consumer": {"events_per_s": median([r["events_per_s"] for r in runs["consumer"]]),
                     "prefetch": bench.settings.consumer_prefetch,
                     "drained_every_round": all(r["drained"] for r in runs["consumer"]), "rounds": runs["consumer"]},
        "raw_consume_ack": {"events_per_s": median([r["events_per_s"] for r in runs["bare"]]), "rounds": runs["bare"]},
        "ratio": round(ratio, 3) if ratio is not None else None,
        "events": events,
        "target": f"consumer/raw_consume_ack >= {TARGET}",
        "met": ratio is not None and ratio >= TARGET and all(r["drained"] for r in runs["consumer"]),
    }
