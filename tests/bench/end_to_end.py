"""Latency from a visit's commit to the in-app inbox of a subscribed user, at steady rates (50 and 500/s).

visits and notifications run as real processes (tests.support.processes.Suite: gunicorn web + worker each,
in a throwaway namespace, tracing exporter none). A protocol user subscribes to `chancery.visits.#`; visits
are created open-loop at a fixed rate (each request starts on its schedule whatever the previous ones do).
Latency = the notification's created_at (set by the notifications worker) minus the visit's created_at (set
by the visits web process): two server timestamps from the same clock. The visit's timestamp is taken just
before its transaction commits, so the figure is an upper bound of commit-to-inbox by the commit's duration.
After each rate's load stops, the drain time is the last notification's created_at minus the last visit's.
The bare baseline at each rate is the broker alone: kombu publishing (confirmed) to one quorum queue and a
kombu consumer acking, latency from send to receipt.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from kombu import Connection, Consumer, Producer, Queue
from sqlalchemy import select

from shared.config import load_settings
from shared.db import Database
from shared.http.auth import mint_development_token
from tests.bench.support import percentile, rounded, say
from tests.support.processes import BROKER_URL, VISIT, Suite, http

GOAL_RATE, TARGET_P50_MS, TARGET_P99_MS = 50, 10.0, 50.0
USER = "bench-olga"


def _inbox(suite: Suite, token: str) -> dict[str, datetime]:
    """subject (visit id) -> created_at of its `created` notification, every page of the user's inbox."""
    found: dict[str, datetime] = {}
    page = 1
    while True:
        answer = http("GET", suite.url("notifications", f"/api/v1/inbox?page={page}&page_size=200"
                                       "&event_type=chancery.visits.visit.created.v1&total=exact"), token=token)
        if answer.status != 200:
            raise RuntimeError(f"inbox answered {answer.status}: {answer.body}")
        for item in answer.json["items"]:
            found[item["subject"]] = datetime.fromisoformat(item["created_at"])
        if page * 200 >= answer.json["total"]:
            return found
        page += 1


def _inbox_total(suite: Suite, token: str) -> int:
    answer = http("GET", suite.url("notifications", "/api/v1/inbox?page_size=1"
                                   "&event_type=chancery.visits.visit.created.v1&total=exact"), token=token)
    return answer.json["total"] if answer.status == 200 else -1


def _published(visits_url: str) -> dict[str, datetime]:
    """subject -> published_at of each visit's `created` event, read from the visits outbox after the run."""
    from services.visits.store.models import plumbing

    database = Database(visits_url)
    try:
        with database.read_session() as session:
            outbox = plumbing.outbox
            rows = session.execute(select(outbox.c.subject, outbox.c.published_at).where(
                outbox.c.type == "chancery.visits.visit.created.v1", outbox.c.published_at.is_not(None))).all()
    finally:
        database.engine.dispose()
        database.reader_engine.dispose()
    return {subject: published_at for subject, published_at in rows}


def _offer(suite: Suite, token: str, rate: float, seconds: float) -> tuple[dict[str, datetime], list[str], dict]:
    """Create visits open-loop at `rate` for `seconds` (each request starts on its schedule whatever the
    previous ones do); return visit id -> created_at, the failures, and how the client kept up."""
    created: dict[str, datetime] = {}
    failures: list[str] = []
    lock = threading.Lock()
    late: list[float] = []

    def create(due: float) -> None:
        late.append(time.monotonic() - due)
        answer = http("POST", suite.url("visits", "/api/v1/visits"), VISIT, token=token)
        with lock:
            if answer.status == 201:
                created[answer.json["id"]] = datetime.fromisoformat(answer.json["created_at"])
            else:
                failures.append(f"{answer.status}")

    total = int(rate * seconds)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for index in range(total):
            due = started + index / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(create, due)
    sent_in = time.monotonic() - started
    return created, failures, {"achieved_rate_per_s": round(len(created) / sent_in, 1) if sent_in else None,
                               "client_schedule_lag_p99_ms": _ms(percentile([x * 1000 for x in late], 0.99))}


def _at_rate(suite: Suite, token: str, rate: float, seconds: float, drain_timeout: float) -> dict:
    before = set(_inbox(suite, token))
    say(f"end-to-end: {int(rate * seconds)} visits at {rate:g}/s")
    created, failures, client = _offer(suite, token, rate, seconds)
    deadline = time.monotonic() + drain_timeout
    while _inbox_total(suite, token) < len(created) + len(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    inbox = _inbox(suite, token)
    published = _published(suite.database_urls["visits"])
    latencies = [(inbox[visit_id] - at).total_seconds() * 1000 for visit_id, at in created.items()
                 if visit_id in inbox]
    arrivals = sorted(inbox[v] for v in created if v in inbox)
    span = (arrivals[-1] - arrivals[0]).total_seconds() if len(arrivals) > 1 else 0
    # Where the time goes: commit -> marked sent by the relay, and marked sent -> in the inbox.
    relayed = [(published[v] - at).total_seconds() * 1000 for v, at in created.items() if v in published]
    consumed = [(inbox[v] - published[v]).total_seconds() * 1000 for v in created if v in inbox and v in published]
    return {
        "count": len(latencies), "created": len(created), "missing": len(created) - len(latencies),
        "http_failures": len(failures), "rate_per_s": rate, **client,
        "p50_ms": _ms(percentile(latencies, 0.5)), "p90_ms": _ms(percentile(latencies, 0.9)),
        "p99_ms": _ms(percentile(latencies, 0.99)), "max_ms": _ms(max(latencies) if latencies else None),
        # Server clocks: the last visit committed (load stops) -> its backlog's last notification written.
        "drain_after_load_s": rounded((arrivals[-1] - max(created.values())).total_seconds())
        if arrivals and len(arrivals) == len(created) else None,
        "inbox_write_rate_per_s": round((len(arrivals) - 1) / span, 1) if span else None,
        "stages": {
            "visit_to_relayed": {"p50_ms": _ms(percentile(relayed, 0.5)), "p99_ms": _ms(percentile(relayed, 0.99))},
            "relayed_to_inbox": {"p50_ms": _ms(percentile(consumed, 0.5)),
                                 "p99_ms": _ms(percentile(consumed, 0.99))},
        },
    }


def broker_floor(rate: float, seconds: float) -> dict:
    """The bare baseline: publish (confirmed) -> consume -> ack through one quorum queue at `rate`, with
    kombu and nothing else; latency = time received minus time sent, one clock."""
    queue = Queue(f"bench{uuid.uuid4().hex[:8]}.floor", routing_key="floor", durable=True,
                  queue_arguments={"x-queue-type": "quorum"})
    latencies: list[float] = []
    total = int(rate * seconds)
    ready = threading.Event()

    def consume() -> None:
        def on_message(message) -> None:
            latencies.append((time.time() - float(message.body.decode())) * 1000)
            message.ack()

        with Connection(BROKER_URL, connect_timeout=5, heartbeat=0) as connection:
            channel = connection.channel()
            channel.basic_qos(0, 50, False)
            with Consumer(channel, queues=[queue(channel)], on_message=on_message, no_ack=False):
                ready.set()
                deadline = time.monotonic() + seconds + 30
                while len(latencies) < total and time.monotonic() < deadline:
                    try:
                        connection.drain_events(timeout=1)
                    except TimeoutError:
                        continue

    consumer = threading.Thread(target=consume, daemon=True)
    with Connection(BROKER_URL, connect_timeout=5, transport_options={"confirm_publish": True}) as connection:
        queue(connection.channel()).declare()
        consumer.start()
        ready.wait(10)
        producer = Producer(connection.channel())
        started = time.monotonic()
        for index in range(total):
            pause = started + index / rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            producer.publish(str(time.time()).encode(), routing_key=queue.name, delivery_mode=2, retry=False)
        consumer.join(seconds + 40)
        connection.channel().queue_delete(queue.name)
    return {"rate_per_s": rate, "count": len(latencies), "p50_ms": _ms(percentile(latencies, 0.5)),
            "p99_ms": _ms(percentile(latencies, 0.99)), "max_ms": _ms(max(latencies) if latencies else None)}


def measure(kind: str, workdir: Path, *, rates: list[float], seconds: float, drain_timeout: float = 180) -> dict:
    workdir = workdir / f"end-to-end-{kind}"
    shutil.rmtree(workdir, ignore_errors=True)
    suite = Suite(("visits", "notifications"), workdir, database=kind,
                  extra_env={"CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_RATE_LIMIT": ""})
    suite.namespace = f"bench{suite.namespace[1:9]}"
    token = mint_development_token(load_settings("visits", {"CHANCERY_ENV": "development"}), USER, ["protocol"])
    figures: dict = {}
    try:
        suite.start()
        subscribed = http("POST", suite.url("notifications", "/api/v1/subscriptions"),
                          {"pattern": "chancery.visits.#"}, token=token)
        if subscribed.status != 201:
            raise RuntimeError(f"subscribing answered {subscribed.status}: {subscribed.body}")
        # Warm-up: connections, caches and the consumer's queue, outside the measurement.
        for _ in range(10):
            http("POST", suite.url("visits", "/api/v1/visits"), VISIT, token=token)
        warm = time.monotonic() + 30
        while _inbox_total(suite, token) < 10 and time.monotonic() < warm:
            time.sleep(0.1)
        for rate in rates:
            figures[f"{rate:g}_per_s"] = {"suite": _at_rate(suite, token, rate, seconds, drain_timeout),
                                          "broker_floor": broker_floor(rate, seconds)}
    finally:
        suite.stop()
    for figure in figures.values():
        suite_p50, floor_p50 = figure["suite"]["p50_ms"], figure["broker_floor"]["p50_ms"]
        figure["p50_ratio_to_floor"] = round(suite_p50 / floor_p50, 1) if suite_p50 and floor_p50 else None
    at_goal = figures.get(f"{GOAL_RATE:g}_per_s", {}).get("suite", {})
    met = (bool(at_goal) and at_goal["missing"] == 0 and not at_goal["http_failures"]
           and (at_goal["p50_ms"] or 1e9) <= TARGET_P50_MS and (at_goal["p99_ms"] or 1e9) <= TARGET_P99_MS)
    return {**figures, "target": f"at {GOAL_RATE:g}/s: p50 <= {TARGET_P50_MS:g} ms, p99 <= {TARGET_P99_MS:g} ms",
            "met": met}


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
