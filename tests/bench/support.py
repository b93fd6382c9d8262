"""What every benchmark needs: scratch databases, gunicorn processes stopped by PID, percentiles, logging."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.processes import (
    BIN,
    BROKER_URL,
    REPO,
    create_postgres_database,
    drop_postgres_database,
    free_port,
    http,
)

BENCH_DIR = REPO / "var" / "bench"


def say(message: str) -> None:
    """Progress goes to stderr: stdout carries only the JSON document."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def namespace() -> str:
    return f"bench{uuid.uuid4().hex[:8]}"


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of `values` (fraction in 0..1)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class ScratchDatabase:
    """A throwaway database of one kind: a SQLite file under `workdir`, or a PostgreSQL database dropped after."""

    kind: str  # "sqlite" or "postgres"
    name: str
    workdir: Path
    url: str = ""

    def __enter__(self) -> ScratchDatabase:
        if self.kind == "postgres":
            self.url = create_postgres_database(self.name)
        else:
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.url = f"sqlite:///{self.workdir / self.name}.db"
        return self

    def __exit__(self, *exc) -> None:
        if self.kind == "postgres":
            drop_postgres_database(self.name)


class TraceSink:
    """An OTLP/HTTP receiver that accepts and drops every export: what a collector costs the service, no more."""

    def __init__(self):
        self.requests = 0
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # the exporter keeps its connection

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> TraceSink:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def service_env(service: str, ns: str, workdir: Path, database_url: str,
                sink: TraceSink | None = None) -> dict[str, str]:
    """The environment of a service process as production sets it: metrics on, and tracing exported to
    `sink` over OTLP as to a collector (no sink: no exporter, so spans are not recorded)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CHANCERY_", "PROMETHEUS"))}
    metrics = workdir / "metrics" / service
    metrics.mkdir(parents=True, exist_ok=True)
    env.update({
        "CHANCERY_SERVICE": service,
        "CHANCERY_NAMESPACE": ns,
        "CHANCERY_AMQP_URL": BROKER_URL,
        "CHANCERY_VAR_DIR": str(workdir),
        "CHANCERY_TRACES_EXPORTER": "otlp" if sink else "none",
        "CHANCERY_RATE_LIMIT": "",  # the load generator is one client sending far more than staff do
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        f"{service.upper()}_DATABASE_URL": database_url,
    })
    if sink:
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.endpoint
    return env


@dataclass
class Gunicorn:
    """One gunicorn master (with the production settings) serving `app`, stopped by its PID."""

    name: str
    app: str
    env: dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/healthz", timeout: float = 60) -> Gunicorn:
        log = open(self.workdir / f"{self.name}.log", "ab")  # noqa: SIM115 - closed with the process
        command = [str(BIN / "gunicorn"), "-c", "python:shared.gunicorn_conf",
                   "--bind", f"127.0.0.1:{self.port}", "--name", f"bench-{self.name}", self.app]
        self.process = subprocess.Popen(command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.workdir}")
            if http("GET", self.base_url + ready_path, timeout=2).status == 200:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s; see {self.workdir}")

    def workers_cpu_seconds(self) -> float | None:
        return workers_cpu_seconds(self.process.pid) if self.process is not None else None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful stop, by the master's PID
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None


def migrate(service: str, env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "chancery"), "migrate", service], env=env, cwd=REPO, check=True,
                   capture_output=True, timeout=120)


def workers_cpu_seconds(master: int) -> float | None:
    """User + system CPU seconds used so far by the worker processes of the gunicorn `master` (Linux /proc), or
    None."""
    if not Path("/proc/self/stat").exists():
        return None
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")
