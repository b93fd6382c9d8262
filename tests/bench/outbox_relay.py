"""Figure 2: the outbox relay's events/s against raw kombu publishing of the same bodies.

A scratch visits database is pre-filled with events through `Outbox.record`; `OutboxRelay.relay_once` then
runs in a loop until the outbox is drained (as the worker does, with its default batch size and publisher
confirms). The baselines publish the very same message bodies and headers with a kombu Producer on the same
exchange: without confirms (timed until the broker's queue holds them all, so the figure is what the broker
accepted rather than what the socket buffered), and with a confirm per message (`confirm_publish=True`).
Every message is routed to one durable quorum queue (the queue type the services consume from), purged
between runs. Everything lives in a throwaway namespace, deleted afterwards.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

from kombu import Connection, Producer, Queue
from sqlalchemy import update

from services.visits.events import CATALOG
from services.visits.store.models import Base, plumbing
from shared.bus.envelope import CONTENT_TYPE
from shared.bus.outbox import Outbox
from shared.bus.relay import OutboxRelay
from shared.bus.topology import Topology
from shared.config import load_settings
from shared.db import Database
from shared.observability import init_tracing
from tests.bench.support import ScratchDatabase, median, say
from tests.support.processes import BROKER_URL, VISIT

TARGET = 0.5
ACTIONS = ("created", "updated", "proposed", "invited", "confirmed")


def event_data(index: int) -> dict:
    return {"id": str(uuid.uuid4()), **VISIT, "purpose": f"{VISIT['purpose']} #{index}", "status": "draft",
            "status_reason": None, "version": 1 + index % 5}


class Bench:
    def __init__(self, kind: str, ns: str, database_url: str, events: int):
        self.kind, self.events = kind, events
        self.settings = load_settings("visits", {
            "VISITS_DATABASE_URL": database_url, "CHANCERY_NAMESPACE": ns, "CHANCERY_AMQP_URL": BROKER_URL,
            "CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_ENV": "development"})
        # a provider with no exporter, as the worker has
        init_tracing(self.settings, self.settings.service, "bench")
        self.database = Database(database_url)
        self.outbox = Outbox("visits", plumbing, CATALOG)
        self.topology = Topology(self.settings)
        self.sink = Queue(f"{ns}.bench.sink", exchange=self.topology.events, routing_key="#", durable=True,
                          queue_arguments={"x-queue-type": "quorum"})

    def prepare(self) -> None:
        Base.metadata.create_all(self.database.engine)
        for start in range(0, self.events, 500):
            with self.database.session() as session:
                for index in range(start, min(start + 500, self.events)):
                    data = event_data(index)
                    self.outbox.record(session, f"chancery.visits.visit.{ACTIONS[index % len(ACTIONS)]}.v1",
                                       data["id"], data)
        with Connection(BROKER_URL, connect_timeout=5) as connection:
            channel = connection.channel()
            self.topology.declare_exchanges(channel)
            self.sink(channel).declare()
        # The baselines publish exactly what the relay publishes: its own message tuples, built once.
        relay = OutboxRelay(self.settings, self.database, self.outbox, self.topology)
        with self.database.read_session() as session:
            self.messages = [relay._message(row) for row in self.outbox.unsent(session, self.events)]

    def purge(self) -> None:
        with Connection(BROKER_URL, connect_timeout=5) as connection:
            self.sink(connection.channel()).purge()

    def depth(self, connection: Connection) -> int:
        return self.sink(connection.channel()).queue_declare(passive=True).message_count

    def run_relay(self, deadline_s: float) -> dict:
        with self.database.session() as session:
            session.execute(update(plumbing.outbox).values(published_at=None))
        self.purge()
        relay = OutboxRelay(self.settings, self.database, self.outbox, self.topology)
        published, batches = 0, 0
        started = time.perf_counter()
        try:
            while time.perf_counter() - started < deadline_s:
                confirmed = relay.relay_once()
                published += confirmed
                batches += 1
                if confirmed == 0:
                    with self.database.read_session() as session:
                        if not self.outbox.has_unsent(session):
                            break
            elapsed = time.perf_counter() - started
        finally:
            relay.publisher.close()
        return {"events": published, "seconds": round(elapsed, 3), "events_per_s": round(published / elapsed, 1),
                "batches": batches, "drained": published >= self.events}

    def run_raw(self, confirm: bool, deadline_s: float) -> dict:
        self.purge()
        options = {"confirm_publish": True} if confirm else {}
        sent = 0
        with Connection(BROKER_URL, connect_timeout=5, heartbeat=0, transport_options=options) as connection:
            producer = Producer(connection.channel(), exchange=self.topology.events)
            started = time.perf_counter()
            for message_id, routing_key, body, headers in self.messages:
                producer.publish(body, routing_key=routing_key, headers=headers, message_id=message_id,
                                 delivery_mode=2, content_type=CONTENT_TYPE, content_encoding="binary",
                                 mandatory=True, retry=False)
                sent += 1
                if time.perf_counter() - started > deadline_s:
                    break
            loop_s = time.perf_counter() - started
            with Connection(BROKER_URL, connect_timeout=5) as probe:
                while self.depth(probe) < sent and time.perf_counter() - started < deadline_s + 30:
                    time.sleep(0.005)
                enqueued = self.depth(probe)
            elapsed = time.perf_counter() - started
        return {"events": sent, "enqueued": enqueued, "seconds": round(elapsed, 3),
                "publish_loop_s": round(loop_s, 3), "events_per_s": round(sent / elapsed, 1)}

    def cleanup(self) -> None:
        try:
            with Connection(BROKER_URL, connect_timeout=5) as connection:
                channel = connection.channel()
                channel.queue_delete(self.sink.name)
                for exchange in self.topology.suite_exchanges():
                    channel.exchange_delete(exchange.name)
        finally:
            self.database.engine.dispose()
            self.database.reader_engine.dispose()


def measure(kind: str, ns: str, workdir: Path, *, events: int, rounds: int, deadline_s: float) -> dict:
    workdir = workdir / f"outbox-relay-{kind}"
    shutil.rmtree(workdir, ignore_errors=True)
    runs: dict[str, list[dict]] = {"relay": [], "raw_unconfirmed": [], "raw_confirm_each": []}
    with ScratchDatabase(kind, f"{ns}_relay", workdir) as scratch:
        bench = Bench(kind, ns, scratch.url, events)
        try:
            say(f"outbox relay {kind}: pre-filling {events} events")
            bench.prepare()
            steps = {"relay": lambda: bench.run_relay(deadline_s),
                     "raw_unconfirmed": lambda: bench.run_raw(False, deadline_s),
                     # one round trip per message: slow, so bounded more tightly (rate = sent / time)
                     "raw_confirm_each": lambda: bench.run_raw(True, min(deadline_s, 10))}
            names = list(steps)
            for number in range(rounds):
                for name in names[number % 3:] + names[:number % 3]:  # rotate the order: shared noise
                    result = steps[name]()
                    runs[name].append(result)
                    say(f"outbox relay {kind} round {number + 1}/{rounds} {name}: {result['events_per_s']} events/s")
        finally:
            bench.cleanup()
    relay_rate = median([r["events_per_s"] for r in runs["relay"]])
    unconfirmed = median([r["events_per_s"] for r in runs["raw_unconfirmed"]])
    confirmed = median([r["events_per_s"] for r in runs["raw_confirm_each"]])
    paired = [r["events_per_s"] / u["events_per_s"] for r, u in zip(runs["relay"], runs["raw_unconfirmed"],
                                                                            strict=True)]
    ratio = median(paired)
    return {
        "relay": {"events_per_s": relay_rate, "batch_size": bench.settings.relay_batch,
                  "drained_every_round": all(r["drained"] for r in runs["relay"]), "rounds": runs["relay"]},
        "raw_unconfirmed": {"events_per_s": unconfirmed, "rounds": runs["raw_unconfirmed"]},
        "raw_confirm_each": {"events_per_s": confirmed, "rounds": runs["raw_confirm_each"]},
        "ratio_relay_to_raw_unconfirmed": round(ratio, 3),
        "ratio_relay_to_raw_confirm_each": round(relay_rate / confirmed, 3) if confirmed else None,
        "events": events,
        "target": f"relay/raw_unconfirmed >= {TARGET}",
        "met": ratio >= TARGET,
    }
