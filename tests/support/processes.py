"""Start services as real processes (gunicorn web and worker) in their own namespace, for integration tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from shared.config import load_settings
from shared.http.auth import mint_development_token
from tests.support.problems import check_problem

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_GRACE_SECONDS = 2
TEST_HEARTBEAT_SECONDS = 1  # the live streams' heartbeat in tests (5 s by default)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def create_postgres_database(name: str) -> str:
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return postgres_url(name)


def postgres_url(name: str, port: int = 5432) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"


def drop_postgres_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Http:
    status: int
    headers: dict[str, str]
    body: object

    @property
    def json(self):
        return self.body


def http(method: str, url: str, body=None, token: str | None = None, headers: dict | None = None,
         raw: bytes | None = None, timeout: float = 10) -> Http:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request_headers = {"Accept": "application/json"}
    if data is not None:
        request_headers["Content-Type"] = "application/json"
    if token:
        request_headers["Authorization"] = f"Bearer {token}"
    request_headers.update(headers or {})
    request = urllib.request.Request(url, data=data, method=method, headers=request_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, response_headers, payload = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, response_headers, payload = error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return Http(0, {}, str(error))
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = payload.decode(errors="replace")
    answer = Http(status, {k.lower(): v for k, v in response_headers.items()}, parsed)
    check_problem(status, answer.headers.get("content-type"), parsed)
    return answer


@dataclass
class Suite:
    """Some of the services, each with a gunicorn web and a worker, in one namespace on the real broker."""

    services: tuple[str, ...]
    workdir: Path
    database: str = "sqlite"  # or "postgres"
    amqp_url: str = BROKER_URL
    broker_port: int = 5672  # where the test reaches the broker past any fault proxy: a private node's own port
    extra_env: dict[str, str] = field(default_factory=dict)
    worker_env: dict[str, dict[str, str]] = field(default_factory=dict)  # per service, its worker's alone
    # Where the services reach PostgreSQL: a fault proxy's port in tests/faults, 5432 otherwise.
    database_port: int = 5432
    worker_probes: bool = False  # each worker serves /metrics, /healthz and /readyz on a port of its own
    namespace: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:10]}")
    ports: dict[str, int] = field(default_factory=dict)
    worker_ports: dict[str, int] = field(default_factory=dict)
    processes: dict[tuple[str, str], subprocess.Popen] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)  # as the services reach them
    direct_database_urls: dict[str, str] = field(default_factory=dict)  # past any fault proxy, for the test

    def env(self, service: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CHANCERY_", "PROMETHEUS"))}
        env.update({
            "CHANCERY_SERVICE": service,
            "CHANCERY_NAMESPACE": self.namespace,
            "CHANCERY_AMQP_URL": self.amqp_url,
            "CHANCERY_VAR_DIR": str(self.workdir),
            "CHANCERY_RETRY_DELAYS_SECONDS": "0.2,0.5",
            "CHANCERY_CONSUMER_MAX_ATTEMPTS": "3",
            "CHANCERY_CONFIRM_TIMEOUT_SECONDS": "3",
            # Tests drive the API faster than staff with one token; tests/security sets the real limit.
            "CHANCERY_RATE_LIMIT": "1000/second",
            "CHANCERY_TRACES_EXPORTER": "console",
            "CHANCERY_TRACES_FILE": str(self.workdir / f"traces-{service}.jsonl"),
            # Gunicorn's own override of shared/gunicorn_conf.py: a stop waits 2 s, not production's 10 s, for
            # the live streams the console and notifications hold open (decision 0150).
            "GUNICORN_CMD_ARGS": f"--graceful-timeout {TEST_GRACE_SECONDS}",
            # A page that went away frees its live stream's slot at the stream's next heartbeat: tests wait less.
            "NOTIFICATIONS_STREAM_HEARTBEAT_SECONDS": str(TEST_HEARTBEAT_SECONDS),
            "PROMETHEUS_MULTIPROC_DIR": str(self.workdir / "metrics" / service),
            f"{service.upper()}_PORT": str(self.ports[service]),
            f"{service.upper()}_DATABASE_URL": self.database_urls[service],
        })
        if service in self.worker_ports:
            env["CHANCERY_WORKER_METRICS_PORT"] = str(self.worker_ports[service])
        env.update(self.extra_env)
        return env

    def start(self) -> Suite:
        self.prepare()
        for service in self.services:
            self.start_web(service)
            self.start_worker(service, env=self.worker_env.get(service))
        self.wait_ready()
        return self

    def prepare(self) -> None:
        """Ports, databases and migrations of every service; no process started yet."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            self.ports[service] = free_port()
            if self.worker_probes:
                self.worker_ports[service] = free_port()
            if self.database == "postgres":
                name = f"{self.namespace}_{service}"
                self.direct_database_urls[service] = create_postgres_database(name)
                self.database_urls[service] = postgres_url(name, self.database_port)
            else:
                self.database_urls[service] = f"sqlite:///{self.workdir / service}.db"
                self.direct_database_urls[service] = self.database_urls[service]
            (self.workdir / "metrics" / service).mkdir(parents=True, exist_ok=True)
        for service in self.services:
            self.migrate(service)

    def migrate(self, service: str) -> None:
        """What `chancery migrate SERVICE` does, in this process (decision 0150): a subprocess per service spent
        seconds on interpreter start-up and imports. Under the service's own environment, as its migrations read
        their settings (the PII keys, the gift rules) from it."""
        from shared.migrations import upgrade
        from shared.suite import spec_of

        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env(service))
        try:
            upgrade(spec_of(service), load_settings(service))
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def _spawn(self, service: str, role: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.workdir / f"{service}-{role}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[(service, role)] = subprocess.Popen(
            command, env={**self.env(service), **(env or {})}, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)

    def start_web(self, service: str, role: str = "web", env: dict[str, str] | None = None) -> None:
        """Start a web process; a second one of the same service needs its own `role` (e.g. "web-2") and port
        (`env`, e.g. {"VISITS_PORT": ...})."""
        self._spawn(service, role, [str(BIN / "gunicorn"), "-c", "python:shared.gunicorn_conf",
                                    f"services.{service}.app:create_app()"], env)

    def start_worker(self, service: str, role: str = "worker", env: dict[str, str] | None = None) -> None:
        """Start a worker; a second replica of the same service needs its own `role` (e.g. "worker-2").
        `env` adds to (or overrides) this one process's environment."""
        self._spawn(service, role, [sys.executable, "-m", "shared.cli", "worker", service], env)

    def kill(self, service: str, role: str, signum: int = signal.SIGKILL) -> None:
        process = self.processes.pop((service, role))
        process.send_signal(signum)
        process.wait(15)

    def wait_ready(self, timeout: float = 60) -> None:
        """Every web process ready, and every started worker consuming: its queue's bindings exist only then,
        and an event published before them would be unroutable."""
        from shared.suite import spec_of
        from tests.support.broker import consumer_count

        deadline = time.monotonic() + timeout
        pending = set(self.services)
        while pending and time.monotonic() < deadline:
            pending = {s for s in pending if http("GET", self.url(s, "/readyz"), timeout=2).status != 200}
            time.sleep(0.2)
        # A service that subscribes to nothing (contracts) has no queue to consume.
        consuming = {service for service, role in self.processes
                     if role.startswith("worker") and spec_of(service).subscriptions}
        while consuming and time.monotonic() < deadline:
            consuming = {s for s in consuming
                         if consumer_count(f"{self.namespace}.chancery.{s}", self.broker_port) == 0}
            time.sleep(0.2)
        if pending or consuming:
            raise RuntimeError(f"not ready: {sorted(pending)}, not consuming: {sorted(consuming)}; "
                               f"logs in {self.workdir}")

    def log_excerpt(self, lines: int = 15) -> str:
        """The last warnings and errors of every process, for a failed test's report (the logs themselves
        are gone with a CI machine's temporary files)."""
        excerpts = []
        for log in sorted(self.workdir.glob("*.log")):
            noteworthy = [line for line in log.read_text(errors="replace").splitlines()
                          if "WARNING" in line or "ERROR" in line or "Traceback" in line]
            if noteworthy:
                excerpts.append(f"--- {log.name} ({len(noteworthy)} warnings and errors, the last {lines}):")
                excerpts.extend(line[:300] for line in noteworthy[-lines:])
        return "\n".join(excerpts) or "no warning or error in any process's log"

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def worker_url(self, service: str, path: str) -> str:
        """The worker's own probes and metrics (`worker_probes=True`)."""
        return f"http://127.0.0.1:{self.worker_ports[service]}{path}"

    def token(self, roles: str, sub: str = "tester", department: str | None = None) -> str:
        return mint_development_token(load_settings(self.services[0]), sub, roles.split(","), department=department)

    def call(self, method: str, service: str, path: str, body=None, roles: str = "admin", sub: str = "tester",
             department: str | None = None, **kwargs) -> Http:
        return http(method, self.url(service, path), body, token=self.token(roles, sub, department), **kwargs)

    def stop(self) -> None:
        """Every process signalled first (a console started beside the suite among them), then waited for: the
        graceful stops overlap."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        from tests.support.broker import delete_namespace

        delete_namespace(self.namespace, self.services, port=self.broker_port)
        if self.database == "postgres":
            # Side by side: each drop waits for a checkpoint, and drops waiting together share one.
            with ThreadPoolExecutor(len(self.services)) as dropping:
                list(dropping.map(drop_postgres_database, (f"{self.namespace}_{s}" for s in self.services)))

    def __enter__(self) -> Suite:
        try:
            return self.start()
        except BaseException:
            self.stop()  # a suite that never became ready must not leave its processes running
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def eventually(check, timeout: float = 10, interval: float = 0.1, message: str = "condition"):
    """Poll `check` until it returns something truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


VISIT = {"delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
         "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning anniversary",
         "host_official": "Deputy Mayor for Culture"}
