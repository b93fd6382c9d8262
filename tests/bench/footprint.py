"""What the whole suite costs to run: time to ready, resident memory idle and under load, /metrics scrape time.

`chancery run` (what `make run` starts: migrations, then a gunicorn web and a worker per service) is started
on scratch SQLite files, its own ports and a throwaway namespace, as a child of this process, and stopped
with SIGINT by its PID, as Ctrl-C does. The bare baseline of each figure, measured in the same run:
- time to ready: one bare Flask + SQLAlchemy gunicorn (tests/bench/baseline_app.py) answering /healthz;
- resident memory: that bare gunicorn (master and workers) times five, one per service, idle and under the
  same load; the suite also runs a worker per service, which the baseline does not;
- scrape time: /healthz of the same web process (the request path without collecting metrics).
Memory is the sum of the resident set of every process in the tree (Linux /proc; shared pages counted in
each process, as `ps` does). Load: wrk on each service's list endpoint at once (tests/bench/endpoints.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from shared.suite import SERVICES
from tests.bench import baseline_app
from tests.bench.endpoints import ENDPOINTS, READ_QUERY
from tests.bench.load import require_wrk, run_wrk, write_script
from tests.bench.support import Gunicorn, median, rounded, say, service_env
from tests.support.processes import BIN, BROKER_URL, REPO, free_port, http

T = TypeVar("T")


def tree_members(root: int) -> dict[int, int]:
    """`root` and every descendant, each with its resident set in pages (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21])  # ppid, rss in pages
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in members]
        members.update(children)
        frontier.extend(children)
    return {pid: rss.get(pid, 0) for pid in members}


def tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and every descendant, in MiB."""
    return sum(tree_members(root).values()) * os.sysconf("SC_PAGE_SIZE") / 2**20


def tree_memory_mb(roots: list[int]) -> dict[str, float]:
    """PSS (shared pages divided among the processes sharing them) and RSS of the trees under `roots`, in MiB,
    from /proc/<pid>/smaps_rollup."""
    totals = {"pss": 0, "rss": 0}
    for pid in {pid for root in roots for pid in tree_members(root)}:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue  # the process ended meanwhile
        for line in lines:
            name, _, value = line.partition(":")
            if name in ("Pss", "Rss"):
                totals[name.lower()] += int(value.split()[0])  # kB
    return {key: round(kb / 1024, 1) for key, kb in totals.items()}


def sampled_during(measure: Callable[[], T], action: Callable[[], object]) -> list[T]:
    """`measure()` before, every half second while `action()` runs, and after."""
    samples, done = [measure()], threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            samples.append(measure())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        action()
    finally:
        done.set()
        sampler.join()
    return [*samples, measure()]


def peak_rss_during(root: int, action) -> float:
    """The largest tree RSS sampled while `action()` runs."""
    return max(sampled_during(lambda: tree_rss_mb(root), action))


def load_all(targets: list[tuple[str, Path]], seconds: float) -> None:
    """wrk with two connections against every (url, script) at once, for `seconds`."""
    threads = [threading.Thread(target=run_wrk, args=(url, script, seconds, 2)) for url, script in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def scrape_ms(base_url: str, path: str, times: int = 15) -> float | None:
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        if http("GET", base_url + path, timeout=10).status == 200:
            durations.append((time.perf_counter() - started) * 1000)
    return rounded(median(durations), 2)


def scrapes(ports: dict[str, int]) -> dict:
    figures = {}
    for service, port in ports.items():
        base = f"http://127.0.0.1:{port}"
        metrics, healthz = scrape_ms(base, "/metrics"), scrape_ms(base, "/healthz")
        size = len(str(http("GET", base + "/metrics").body))
        figures[service] = {"metrics_ms": metrics, "healthz_ms": healthz, "metrics_bytes": size,
                            "ratio": rounded(metrics / healthz, 1) if metrics and healthz else None}
    return figures


class SuiteRun:
    """`chancery run` in a scratch var directory, on ports of its own."""

    def __init__(self, ns: str, workdir: Path):
        self.workdir = workdir
        self.ports = {service: free_port() for service in SERVICES}
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CHANCERY_", "PROMETHEUS"))}
        env.update({"CHANCERY_VAR_DIR": str(workdir), "CHANCERY_NAMESPACE": ns, "CHANCERY_AMQP_URL": BROKER_URL,
                    "CHANCERY_RATE_LIMIT": "",
                    **{f"{service.upper()}_PORT": str(port) for service, port in self.ports.items()}})
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> float:
        """Seconds from starting `chancery run` to every service's /readyz answering 200."""
        log = open(self.workdir / "chancery-run.log", "ab")  # noqa: SIM115 - closed with the process
        started = time.monotonic()
        self.process = subprocess.Popen([str(BIN / "chancery"), "run"], env=self.env, cwd=REPO, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        pending = set(SERVICES)
        while pending and time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"chancery run exited with {self.process.returncode}; see {self.workdir}")
            pending = {s for s in pending if http("GET", f"http://127.0.0.1:{self.ports[s]}/readyz",
                                                  timeout=2).status != 200}
            time.sleep(0.05)
        if pending:
            raise RuntimeError(f"not ready after {timeout}s: {sorted(pending)}; see {self.workdir}")
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # as Ctrl-C: it stops every process it started
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        from tests.support.broker import delete_namespace

        delete_namespace(self.env["CHANCERY_NAMESPACE"], SERVICES, retry_delays="")


def measure(ns: str, workdir: Path, *, seconds: float) -> dict:
    require_wrk()
    workdir = workdir / "footprint"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    bare = _bare(ns, workdir, seconds)
    run = SuiteRun(ns, workdir)
    try:
        say("footprint: starting `chancery run`")
        ready_s = run.start()
        time.sleep(3)
        idle_mb = tree_rss_mb(run.process.pid)
        scrape_idle = scrapes(run.ports)
        targets = [(f"http://127.0.0.1:{run.ports[s]}{ENDPOINTS[s].path}{READ_QUERY}",
                    write_script(workdir / f"{s}.lua", "GET", None, ENDPOINTS[s].token())) for s in SERVICES]
        say(f"footprint: {seconds:.0f}s of load on every service")
        loaded_mb = peak_rss_during(run.process.pid, lambda: load_all(targets, seconds))
        scrape_loaded = scrapes(run.ports)
    finally:
        run.stop()
    services = len(SERVICES)
    return {
        "time_to_ready_s": {"suite": rounded(ready_s, 2), "bare_gunicorn": bare["ready_s"],
                            "ratio": rounded(ready_s / bare["ready_s"], 1)},
        "rss_mb": {
            "idle": {"suite": rounded(idle_mb, 1), "bare_x5": rounded(bare["idle_mb"] * services, 1),
                     "ratio": rounded(idle_mb / (bare["idle_mb"] * services), 2)},
            "under_load": {"suite": rounded(loaded_mb, 1), "bare_x5": rounded(bare["loaded_mb"] * services, 1),
                           "ratio": rounded(loaded_mb / (bare["loaded_mb"] * services), 2)},
        },
        "scrape": {"idle": scrape_idle, "after_load": scrape_loaded},
        "processes": "a gunicorn web (master + CHANCERY_WEB_WORKERS workers) and a worker per service",
        "met": True,  # no goal: these figures are reported, not judged
    }


def _bare(ns: str, workdir: Path, seconds: float) -> dict:
    database = workdir / "bare.db"
    baseline_app.create_schema(f"sqlite:///{database}")
    env = {**service_env("visits", ns, workdir / "bare", f"sqlite:///{database}"),
           "BENCH_DATABASE_URL": f"sqlite:///{database}"}
    env.pop("PROMETHEUS_MULTIPROC_DIR")
    server = Gunicorn("bare", "tests.bench.baseline_app:create_app()", env, workdir)
    started = time.monotonic()
    try:
        server.start()
        ready_s = time.monotonic() - started
        time.sleep(3)
        idle_mb = tree_rss_mb(server.process.pid)
        script = write_script(workdir / "bare.lua", "GET", None, None)
        url = f"{server.base_url}{ENDPOINTS['visits'].path}{READ_QUERY}"
        loaded_mb = peak_rss_during(server.process.pid, lambda: load_all([(url, script)], seconds))
    finally:
        server.stop()
    return {"ready_s": rounded(ready_s, 2), "idle_mb": idle_mb, "loaded_mb": loaded_mb}
