"""Per service, a write and a read endpoint of the real web process against the bare baseline app.

Each service runs as in production, with metrics on (Prometheus multiprocess) and tracing on (every span
recorded and exported over OTLP/HTTP to a local sink, as to a collector); the bare baseline
(tests/bench/baseline_app.py: Flask + SQLAlchemy, nothing else) serves the same collection path. Both run
under gunicorn with the production settings (`-c python:shared.gunicorn_conf`), each on its own scratch
database of the same kind; the service's worker does not run, so the figure is the request path alone.
Both databases get the same rows first (SEED_ROWS writes), then the reads are measured (a page of 20,
newest first, with the total), then the writes. Rounds are interleaved (tests/bench/load.py `compare`).
Writes are also compared with the same-work baseline (issue 19): the same app writing, in the same transaction,
the rows a create writes beside its record (its parts, its outbox event and its audit record), so that the
platform's cost shows apart from the work's.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from services.trips.api.trip_schemas import TRIP_EXAMPLE
from shared.config import load_settings
from shared.http.auth import mint_development_token
from tests.bench import baseline_app
from tests.bench.load import UNIQUE, compare, require_wrk
from tests.bench.support import Gunicorn, ScratchDatabase, TraceSink, migrate, say, service_env
from tests.support.processes import VISIT, http

TARGETS = {"write": 0.75, "read": 0.8, "same_work": 0.8}
SEED_ROWS = 100
READ_QUERY = "?page_size=20"


@dataclass(frozen=True)
class Endpoint:
    """A service's collection: POST creates one (`body`, `@N@` unique per request), GET lists a page."""

    service: str
    collection: str
    role: str
    body: dict

    @property
    def path(self) -> str:
        return f"/api/v1/{self.collection}"

    def token(self) -> str:
        settings = load_settings(self.service, {"CHANCERY_ENV": "development"})
        return mint_development_token(settings, "bench", [self.role])


STAFF = {"full_name": "Anna Volkova", "job_title": "Chief specialist", "category": "staff",
         "department": "International Relations Department"}
ENDPOINTS = {endpoint.service: endpoint for endpoint in (
    Endpoint("visits", "visits", "protocol", {**VISIT, "delegation_name": f"Delegation {UNIQUE}"}),
    Endpoint("trips", "trips", "travel", {**TRIP_EXAMPLE, "title": f"Trip {UNIQUE}", "invitation_id": None,
                                          "travellers": [STAFF]}),
    Endpoint("contracts", "suppliers", "procurement", {
        "legal_name": f"Congress Services {UNIQUE}", "country": "DE",
        "identifier": {"scheme": "DE-CR", "id": f"HRB {UNIQUE}"}}),
    Endpoint("outreach", "partners", "outreach", {"kind": "city", "name": f"City {UNIQUE}", "country": "BG"}),
    Endpoint("notifications", "subscriptions", "protocol", {"pattern": f"chancery.visits.n{UNIQUE}.#"}),
)}


@contextmanager
def subject_server(endpoint: Endpoint, kind: str, ns: str, workdir: Path, *, name: str,
                   sink: TraceSink | None) -> Iterator[Gunicorn]:
    """The service's real web process on a migrated scratch database, tracing to `sink` (None: tracing off)."""
    with ScratchDatabase(kind, f"{ns}_{name}", workdir) as database:
        env = service_env(endpoint.service, ns, workdir / name, database.url, sink=sink)
        migrate(endpoint.service, env)
        server = Gunicorn(name, f"services.{endpoint.service}.app:create_app()", env, workdir)
        try:
            yield server.start()
        finally:
            server.stop()


@contextmanager
def baseline_server(endpoint: Endpoint, kind: str, ns: str, workdir: Path, *,
                    same_work: bool = False) -> Iterator[Gunicorn]:
    """The bare baseline app; `same_work`: the same-work baseline (its writes add parts, outbox and audit rows)."""
    name = "same_work" if same_work else "baseline"
    with ScratchDatabase(kind, f"{ns}_{name}", workdir) as database:
        baseline_app.create_schema(database.url)
        env = {**service_env(endpoint.service, ns, workdir / name, database.url),
               "BENCH_DATABASE_URL": database.url, "BENCH_SAME_WORK": "1" if same_work else "0"}
        env.pop("PROMETHEUS_MULTIPROC_DIR")
        server = Gunicorn(name, "tests.bench.baseline_app:create_app()", env, workdir)
        try:
            yield server.start()
        finally:
            server.stop()


def seed(server: Gunicorn, endpoint: Endpoint, token: str | None, rows: int) -> None:
    for number in range(rows):
        body = _unique(endpoint.body, f"seed{number:05d}")
        answer = http("POST", server.base_url + endpoint.path, body, token=token)
        if answer.status != 201:
            raise RuntimeError(f"{server.name} answered {answer.status} to {endpoint.path}: {answer.body}")


def _unique(value, tag: str):
    if isinstance(value, dict):
        return {key: _unique(item, tag) for key, item in value.items()}
    if isinstance(value, list):
        return [_unique(item, tag) for item in value]
    return value.replace(UNIQUE, tag) if isinstance(value, str) else value


def read_and_write(servers: dict[str, Gunicorn], tokens: dict[str, str | None], endpoint: Endpoint,
                   workdir: Path, label: str, targets: dict[str, float], **load) -> dict:
    """Seed the servers alike, then compare reads, then writes; `servers` has a subject and a baseline, and may
    have a same-work baseline, which only the writes are compared with."""
    for role, server in servers.items():
        seed(server, endpoint, tokens.get(role), SEED_ROWS)
    readers = {role: server for role, server in servers.items() if role != "same_work"}
    figures = {
        "read": compare(readers, tokens, "GET", endpoint.path + READ_QUERY, None, workdir, f"{label} read",
                        target=targets["read"], **load),
        "write": compare(servers, tokens, "POST", endpoint.path, endpoint.body, workdir, f"{label} write",
                         target=targets["write"], same_work_target=targets.get("same_work"), **load),
    }
    met = all(figure["met"] and figure.get("same_work", {}).get("met", True) for figure in figures.values())
    return {**figures, "met": met}


def measure(kind: str, ns: str, workdir: Path, *, services: list[str], **load) -> dict:
    require_wrk()
    results: dict = {}
    with TraceSink() as sink:
        for service in services:
            endpoint = ENDPOINTS[service]
            place = workdir / f"endpoints-{kind}-{service}"
            shutil.rmtree(place, ignore_errors=True)
            place.mkdir(parents=True)
            say(f"endpoints {kind} {service}: {endpoint.path}")
            with ExitStack() as stack:
                servers = {
                    "subject": stack.enter_context(subject_server(endpoint, kind, ns, place, name="subject",
                                                                  sink=sink)),
                    "baseline": stack.enter_context(baseline_server(endpoint, kind, ns, place)),
                    "same_work": stack.enter_context(baseline_server(endpoint, kind, ns, place, same_work=True)),
                }
                tokens = {"subject": endpoint.token(), "baseline": None}
                results[service] = read_and_write(servers, tokens, endpoint, place, f"{kind} {service}", TARGETS,
                                                  **load)
        exported = sink.requests
    return {"services": results, "trace_exports_received": exported,
            "met": all(result["met"] for result in results.values())}
