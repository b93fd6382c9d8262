"""`chancery run`: migrate and start the web and worker process of every service, and stop them on Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import cast

from kombu import Connection

from shared.config import load_settings
from shared.suite import PORTS, SERVICES, member

WORKER_PORT_OFFSET = 100
# The embedded default, an office on one machine (decision 0195): one web worker per service, its threads (or
# greenlets) serving the office's requests; the environment overrides it. Production sizes are in
# docs/operations.md ("Processes and memory").
EMBEDDED_DEFAULTS = {"CHANCERY_WEB_WORKERS": "1"}


def broker_problem(url: str) -> str | None:
    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.connect()
    except Exception as error:  # noqa: BLE001 - reported in one line
        safe = url.split("@")[-1]
        return (f"RabbitMQ is not reachable at amqp://…@{safe} ({type(error).__name__}: {error}). "
                "Start one with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`), "
                "or point CHANCERY_AMQP_URL at yours.")
    return None


def _spawn(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115 - owned by the child for its lifetime
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001
        return False


def _migrate_all() -> subprocess.CompletedProcess:
    """`chancery migrate` in a child process: alembic and every service's models leave with it instead of staying
    in this one's memory for the suite's lifetime (decision 0195)."""
    return subprocess.run([sys.executable, "-m", "shared.cli", "migrate"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def _process_env(name: str, var_dir: Path, base_env: dict[str, str]) -> dict[str, str]:
    metrics_dir = var_dir / "metrics" / name
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    return {**base_env, "CHANCERY_SERVICE": name, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir.resolve())}


def _web(name: str) -> list[str]:
    return [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:shared.gunicorn_conf",
            f"{member(name).app}()"]


def worker_port(name: str, base_env: dict[str, str]) -> int:
    """Where a service's worker serves its probes and metrics: `<SERVICE>_WORKER_PORT`, or its web port plus
    WORKER_PORT_OFFSET (8201 for visits on 8101)."""
    chosen = base_env.get(f"{name.upper()}_WORKER_PORT")
    return int(chosen) if chosen else cast(int, load_settings(name).port) + WORKER_PORT_OFFSET


def start_service(name: str, var_dir: Path, base_env: dict[str, str]) -> list[subprocess.Popen]:
    env = _process_env(name, var_dir, base_env)
    worker = [sys.executable, "-m", "shared.cli", "worker", name]
    worker_env = {**env, "CHANCERY_WORKER_METRICS_PORT": str(worker_port(name, base_env))}
    return [_spawn(_web(name), env, var_dir / "log" / f"{name}-web.log"),
            _spawn(worker, worker_env, var_dir / "log" / f"{name}-worker.log")]


def start_console(var_dir: Path, base_env: dict[str, str]) -> subprocess.Popen:
    """The staff console (decision 0090): a web process only, on gevent (decision 0095); the operators' page reads
    each worker's probes and metrics where `start_service` put them, unless the environment says otherwise."""
    workers = {f"CONSOLE_{name.upper()}_WORKER_URL": f"http://127.0.0.1:{worker_port(name, base_env)}"
               for name in SERVICES}
    env = _process_env("console", var_dir, {**workers, **base_env})
    return _spawn(_web("console"), env, var_dir / "log" / "console-web.log")


def run_suite() -> int:
    settings = load_settings("visits")
    problem = broker_problem(settings.amqp_url)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    var_dir = settings.var_dir
    (var_dir / "log").mkdir(parents=True, exist_ok=True)
    migrated = _migrate_all()
    if migrated.returncode != 0:
        print(migrated.stdout + migrated.stderr, end="", file=sys.stderr)
        return migrated.returncode
    print("Migrated:", ", ".join(SERVICES))
    base_env = {**EMBEDDED_DEFAULTS, **os.environ}

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    processes = [p for name in SERVICES for p in start_service(name, var_dir, base_env)]
    processes.append(start_console(var_dir, base_env))
    (var_dir / "run.pids").write_text("".join(f"{p.pid}\n" for p in processes))
    deadline = time.monotonic() + 90
    ports = {name: cast(int, load_settings(name).port) for name in SERVICES}
    workers = {name: worker_port(name, base_env) for name in SERVICES}
    console_port = int(os.environ.get("CONSOLE_PORT") or PORTS["console"])
    every_port = (*ports.values(), *workers.values(), console_port)
    while not stopping and time.monotonic() < deadline and not all(_ready(p) for p in every_port):
        time.sleep(0.5)
    _print_banner(ports, workers, console_port, var_dir)
    while not stopping:
        for process in processes:
            if process.poll() is not None:
                print(f"process {' '.join(cast(list[str], process.args)[-2:])} exited with {process.returncode}; "
                      f"see {var_dir}/log", file=sys.stderr)
                stopping = True
        time.sleep(0.5)
    _stop_all(processes)
    return 0


def _stop_all(processes: list[subprocess.Popen]) -> None:
    print("Stopping every process…")
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    print("Stopped.")


def _print_banner(ports: dict[str, int], workers: dict[str, int], console_port: int, var_dir: Path) -> None:
    console_state = "ready" if _ready(console_port) else "NOT READY (see var/log/console-web.log)"
    print(f"\nChancery is running. Open the console: http://127.0.0.1:{console_port}   [{console_state}]")
    print("The services:")
    for name, port in ports.items():
        state = "ready" if _ready(port) else "NOT READY (see logs)"
        print(f"  {name:<14} http://127.0.0.1:{port}/api/v1   docs http://127.0.0.1:{port}/docs   "
              f"metrics http://127.0.0.1:{port}/metrics   [{state}]")
        print(f"  {'':<14} worker http://127.0.0.1:{workers[name]}/metrics   "
              f"[{'ready' if _ready(workers[name]) else 'NOT READY (see logs)'}]")
    print(f"\nLogs: {var_dir}/log/<service>-web.log and <service>-worker.log")
    print("Get a token:  .venv/bin/chancery token --sub alice --roles protocol")
    print("Then:         curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8101/api/v1/visits")
    print("Press Ctrl-C to stop every process.\n", flush=True)
