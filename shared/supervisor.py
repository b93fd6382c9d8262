"""What `chancery run` becomes once the suite is migrated (`shared.launcher` execs it with the plan as its one
argument): start every service's web and worker and the console, say where they are, and stop them all on Ctrl-C.
On the standard library alone: it runs for as long as the suite does and watches it (decision 0220)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, cast

READY_WITHIN_S = 90


def _spawn(process: dict[str, Any]) -> subprocess.Popen:
    log = open(process["log"], "ab")  # noqa: SIM115 - owned by the child for its lifetime
    return subprocess.Popen(process["command"], env={**os.environ, **process["env"]}, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001
        return False


def supervise(plan: dict[str, Any]) -> int:
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    var_dir = Path(plan["var_dir"])
    processes = [_spawn(process) for process in plan["processes"]]
    (var_dir / "run.pids").write_text("".join(f"{p.pid}\n" for p in processes))
    deadline = time.monotonic() + READY_WITHIN_S
    ports, workers, console_port = plan["ports"], plan["workers"], plan["console_port"]
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


if __name__ == "__main__":
    sys.exit(supervise(json.loads(sys.argv[1])))
