"""`chancery run`: migrate, then become `shared.supervisor`, which starts the web and worker process of every
service and the console, and stops them on Ctrl-C."""

from __future__ import annotations

import compileall
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

from kombu import Connection

from shared.config import load_settings
from shared.suite import PORTS, SERVICES, member

WORKER_PORT_OFFSET = 100
PROJECT = Path(__file__).resolve().parents[1]
TEST_DIRECTORIES = re.compile(r"[/\\]tests[/\\]")
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


def compile_project() -> None:
    """Write the bytecode of `shared/` and `services/` once, before a dozen interpreters import them: where
    PYTHONDONTWRITEBYTECODE is set (this project's containers set it, so do some machines) each process would
    compile `shared/` and its service again at every start (decision 0235). Up to date, it only reads the files'
    times; where the tree cannot be written, the processes compile in memory as before."""
    for directory in ("shared", "services"):
        compileall.compile_dir(PROJECT / directory, quiet=2, rx=TEST_DIRECTORIES)


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


Process = dict[str, Any]  # what shared.supervisor starts: its command, its environment's changes, its log


def _process(command: list[str], env: dict[str, str], log_path: Path) -> Process:
    """A process for the supervisor, its environment given by what differs from this one's (which it inherits):
    the plan travels on its command line, with no secret of the environment in it."""
    return {"command": command, "env": {key: value for key, value in env.items() if os.environ.get(key) != value},
            "log": str(log_path)}


def service_processes(name: str, var_dir: Path, base_env: dict[str, str]) -> list[Process]:
    env = _process_env(name, var_dir, base_env)
    worker = [sys.executable, "-m", "shared.cli", "worker", name]
    worker_env = {**env, "CHANCERY_WORKER_METRICS_PORT": str(worker_port(name, base_env))}
    return [_process(_web(name), env, var_dir / "log" / f"{name}-web.log"),
            _process(worker, worker_env, var_dir / "log" / f"{name}-worker.log")]


def console_process(var_dir: Path, base_env: dict[str, str]) -> Process:
    """The staff console (decision 0090): a web process only, on gevent (decision 0095); the operators' page reads
    each worker's probes and metrics where `service_processes` put them, unless the environment says otherwise."""
    workers = {f"CONSOLE_{name.upper()}_WORKER_URL": f"http://127.0.0.1:{worker_port(name, base_env)}"
               for name in SERVICES}
    env = _process_env("console", var_dir, {**workers, **base_env})
    return _process(_web("console"), env, var_dir / "log" / "console-web.log")


def run_suite() -> int:
    """Check the broker, migrate (in a child), then exec `shared.supervisor` with the plan: the process that
    watches the suite imports only the standard library, not the settings, kombu and pydantic this one needed
    (decision 0220)."""
    settings = load_settings("visits")
    problem = broker_problem(settings.amqp_url)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    var_dir = settings.var_dir
    (var_dir / "log").mkdir(parents=True, exist_ok=True)
    compile_project()
    migrated = _migrate_all()
    if migrated.returncode != 0:
        print(migrated.stdout + migrated.stderr, end="", file=sys.stderr)
        return migrated.returncode
    print("Migrated:", ", ".join(SERVICES), flush=True)
    base_env = {**EMBEDDED_DEFAULTS, **os.environ}
    plan = {"processes": [*(p for name in SERVICES for p in service_processes(name, var_dir, base_env)),
                          console_process(var_dir, base_env)],
            "ports": {name: cast(int, load_settings(name).port) for name in SERVICES},
            "workers": {name: worker_port(name, base_env) for name in SERVICES},
            "console_port": int(os.environ.get("CONSOLE_PORT") or PORTS["console"]), "var_dir": str(var_dir)}
    os.execv(sys.executable, [sys.executable, "-m", "shared.supervisor", json.dumps(plan)])
