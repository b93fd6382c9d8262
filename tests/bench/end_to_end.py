"""Figure 3: latency from a visit's commit to the in-app inbox of a subscribed user, at a steady 50 events/s.

visits and notifications run as real processes (tests.support.processes.Suite: gunicorn web + worker each,
in a throwaway namespace, tracing exporter none). A protocol user subscribes to `chancery.visits.#`; visits
are created open-loop at a fixed rate (each request starts on its schedule whatever the previous ones do).
Latency = the notification's created_at (set by the notifications worker) minus the visit's created_at (set
by the visits web process): two server timestamps from the same clock. The visit's timestamp is taken just
before its transaction commits, so the figure is an upper bound of commit-to-inbox by the commit's duration.
"""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from shared.config import load_settings
from shared.db import Database
from shared.http.auth import mint_development_token
from tests.bench.support import percentile, say
from tests.support.processes import VISIT, Suite, http

TARGET_P99_MS = 50.0
USER = "bench-olga"


def _inbox(suite: Suite, token: str) -> dict[str, datetime]:
    """subject (visit id) -> created_at of its `created` notification, every page of the user's inbox."""
    found: dict[str, datetime] = {}
    page = 1
    while True:
        answer = http("GET", suite.url("notifications", f"/api/v1/inbox?page={page}&page_size=200"
                                       "&event_type=chancery.visits.visit.created.v1"), token=token)
        if answer.status != 200:
            raise RuntimeError(f"inbox answered {answer.status}: {answer.body}")
        for item in answer.json["items"]:
            found[item["subject"]] = datetime.fromisoformat(item["created_at"])
        if page * 200 >= answer.json["total"]:
            return found
        page += 1


def _inbox_total(suite: Suite, token: str) -> int:
    answer = http("GET", suite.url("notifications", "/api/v1/inbox?page_size=1"
                                   "&event_type=chancery.visits.visit.created.v1"), token=token)
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


def measure(kind: str, workdir: Path, *, rate: float, seconds: float, drain_timeout: float = 60) -> dict:
    workdir = workdir / f"end-to-end-{kind}"
    shutil.rmtree(workdir, ignore_errors=True)
    suite = Suite(("visits", "notifications"), workdir, database=kind,
                  extra_env={"CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_RATE_LIMIT": ""})
    suite.namespace = f"bench{suite.namespace[1:9]}"
    token = mint_development_token(load_settings("visits", {"CHANCERY_ENV": "development"}), USER, ["protocol"])
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
        before = set(_inbox(suite, token))

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
        say(f"end-to-end {kind}: {total} visits at {rate:.0f}/s")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            for index in range(total):
                due = started + index / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                pool.submit(create, due)
        sent_in = time.monotonic() - started

        deadline = time.monotonic() + drain_timeout
        while time.monotonic() < deadline:
            if _inbox_total(suite, token) >= len(created) + len(before):
                break
            time.sleep(0.2)
        inbox = _inbox(suite, token)
        published = _published(suite.database_urls["visits"])
    finally:
        suite.stop()
    latencies = [(inbox[visit_id] - at).total_seconds() * 1000 for visit_id, at in created.items()
                 if visit_id in inbox]
    p99 = percentile(latencies, 0.99)
    # How fast notifications were written: below the offered rate, a backlog grows and so does latency.
    arrivals = sorted(inbox[v] for v in created if v in inbox)
    span = (arrivals[-1] - arrivals[0]).total_seconds() if len(arrivals) > 1 else 0
    # Where the time goes: commit -> marked sent by the relay, and marked sent -> in the inbox.
    relayed = [(published[v] - at).total_seconds() * 1000 for v, at in created.items() if v in published]
    consumed = [(inbox[v] - published[v]).total_seconds() * 1000 for v in created if v in inbox and v in published]
    return {
        "count": len(latencies),
        "created": len(created),
        "missing": len(created) - len(latencies),
        "http_failures": len(failures),
        "rate_per_s": rate,
        "achieved_rate_per_s": round(len(created) / sent_in, 1) if sent_in else None,
        "p50_ms": _ms(percentile(latencies, 0.5)),
        "p90_ms": _ms(percentile(latencies, 0.9)),
        "p99_ms": _ms(p99),
        "max_ms": _ms(max(latencies) if latencies else None),
        "min_ms": _ms(min(latencies) if latencies else None),
        "inbox_write_rate_per_s": round((len(arrivals) - 1) / span, 1) if span else None,
        "stages": {
            "visit_to_relayed": {"p50_ms": _ms(percentile(relayed, 0.5)), "p99_ms": _ms(percentile(relayed, 0.99))},
            "relayed_to_inbox": {"p50_ms": _ms(percentile(consumed, 0.5)),
                                 "p99_ms": _ms(percentile(consumed, 0.99))},
        },
        "client_schedule_lag_p99_ms": _ms(percentile([x * 1000 for x in late], 0.99)),
        "target": f"p99 <= {TARGET_P99_MS:g} ms",
        "met": p99 is not None and p99 <= TARGET_P99_MS and len(latencies) == len(created) and not failures,
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
