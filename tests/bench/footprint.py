"""What the whole suite costs to run: time to ready, memory idle and under load, /metrics scrape time.

`chancery run` (what `make run` starts: migrations, then a gunicorn web and a worker per service, and the
console) is started on scratch SQLite files, its own ports and a throwaway namespace, as a child of this
process, and stopped with SIGINT by its PID, as Ctrl-C does. The bare baseline of each figure, measured in the
same run:
- time to ready: one bare Flask + SQLAlchemy gunicorn (tests/bench/baseline_app.py) answering /healthz;
- resident memory: that bare gunicorn (master and workers) times five, one per service, idle and under the
  same load; the suite also runs a worker per service and the console, which the baseline does not;
- scrape time: /healthz of the same web process (the request path without collecting metrics).
The suite's memory is its PSS (each shared page divided among the processes sharing it: what the suite takes
from the machine) with the RSS beside it (shared pages counted in each process, as `ps` does), from
/proc/<pid>/smaps_rollup of every process in the tree, also by kind of process. Time to ready is until every
/readyz answers: each service's web and worker, and the console. Load: wrk on each service's list endpoint at
once (tests/bench/endpoints.py).
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
READY_GOAL_S = 8  # `make run` to every /readyz (issue 19)
PSS_GOAL_MB = 1000  # the whole suite under `make run` (issue 19)


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


def tree_cpu_s(root: int) -> float:
    """CPU seconds used by `root` and every descendant so far, with the children each has waited for (the
    launcher's migrations): what starting cost, whatever else the machine was doing."""
    ticks = 0
    for pid in tree_members(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and every descendant, in MiB."""
    return sum(tree_members(root).values()) * os.sysconf("SC_PAGE_SIZE") / 2**20


def process_memory_kb(pid: int) -> dict[str, int] | None:
    """PSS and RSS of one process in kB (/proc/<pid>/smaps_rollup), or None once it has ended."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    figures = {"pss": 0, "rss": 0}
    for line in lines:
        name, _, value = line.partition(":")
        if name in ("Pss", "Rss"):
            figures[name.lower()] = int(value.split()[0])
    return figures


def tree_memory_mb(roots: list[int]) -> dict[str, float]:
    """PSS (shared pages divided among the processes sharing them) and RSS of the trees under `roots`, in MiB,
    from /proc/<pid>/smaps_rollup."""
    totals = {"pss": 0, "rss": 0}
    for pid in {pid for root in roots for pid in tree_members(root)}:
        for key, kb in (process_memory_kb(pid) or {}).items():
            totals[key] += kb
    return {key: round(kb / 1024, 1) for key, kb in totals.items()}


def process_kind(pid: int) -> str:
    """`<service> web`, `<service> worker`, or `launcher` for `chancery run` itself (from the process's
    command line and environment, which the launcher sets)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        service = next((entry.split(b"=", 1)[1].decode() for entry in Path(f"/proc/{pid}/environ").read_bytes()
                        .split(b"\0") if entry.startswith(b"CHANCERY_SERVICE=")), None)
    except OSError:
        return "ended"
    if service is None:
        return "launcher"
    return f"{service} {'worker' if b'worker' in command else 'web'}"


def memory_by_kind(root: int) -> dict:
    """The tree's PSS and RSS in MiB, its process count, and PSS / RSS / processes by kind of process."""
    kinds: dict[str, dict[str, float]] = {}
    for pid in tree_members(root):
        figures = process_memory_kb(pid)
        if figures is None:
            continue
        kind = kinds.setdefault(process_kind(pid), {"pss": 0, "rss": 0, "processes": 0})
        kind["pss"] += figures["pss"] / 1024
        kind["rss"] += figures["rss"] / 1024
        kind["processes"] += 1
    by_kind = {name: {"pss": round(kind["pss"], 1), "rss": round(kind["rss"], 1), "processes": kind["processes"]}
               for name, kind in sorted(kinds.items())}
    return {"pss": round(sum(kind["pss"] for kind in kinds.values()), 1),
            "rss": round(sum(kind["rss"] for kind in kinds.values()), 1),
            "processes": sum(kind["processes"] for kind in kinds.values()), "by_kind": by_kind}


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


def peak_memory_during(root: int, action) -> dict[str, float]:
    """The largest tree PSS and RSS sampled while `action()` runs."""
    samples = sampled_during(lambda: tree_memory_mb([root]), action)
    return {key: max(sample[key] for sample in samples) for key in ("pss", "rss")}


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
        self.worker_ports = {service: free_port() for service in SERVICES}
        self.console_port = free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CHANCERY_", "PROMETHEUS"))}
        env.update({"CHANCERY_VAR_DIR": str(workdir), "CHANCERY_NAMESPACE": ns, "CHANCERY_AMQP_URL": BROKER_URL,
                    "CHANCERY_RATE_LIMIT": "", "CONSOLE_PORT": str(self.console_port),
                    **{f"{service.upper()}_PORT": str(port) for service, port in self.ports.items()},
                    **{f"{service.upper()}_WORKER_PORT": str(port) for service, port in self.worker_ports.items()}})
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> dict[str, float]:
        """Seconds from starting `chancery run` to every service's web /readyz answering 200 (`services`), and to
        every /readyz it serves, its workers' and the console's too (`every`)."""
        log = open(self.workdir / "chancery-run.log", "ab")  # noqa: SIM115 - closed with the process
        started = time.monotonic()
        self.process = subprocess.Popen([str(BIN / "chancery"), "run"], env=self.env, cwd=REPO, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        ready: dict[str, float] = {}
        pending = {**{s: port for s, port in self.ports.items()},
                   **{f"{s} worker": port for s, port in self.worker_ports.items()}, "console": self.console_port}
        while pending and time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"chancery run exited with {self.process.returncode}; see {self.workdir}")
            for name, port in list(pending.items()):
                if http("GET", f"http://127.0.0.1:{port}/readyz", timeout=2).status == 200:
                    ready[name] = time.monotonic() - started
                    del pending[name]
            time.sleep(0.05)
        if pending:
            raise RuntimeError(f"not ready after {timeout}s: {sorted(pending)}; see {self.workdir}")
        return {"services": max(ready[s] for s in SERVICES), "every": max(ready.values()),
                "cpu": tree_cpu_s(self.process.pid)}

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
        idle = memory_by_kind(run.process.pid)
        scrape_idle = scrapes(run.ports)
        targets = [(f"http://127.0.0.1:{run.ports[s]}{ENDPOINTS[s].path}{READ_QUERY}",
                    write_script(workdir / f"{s}.lua", "GET", None, ENDPOINTS[s].token())) for s in SERVICES]
        say(f"footprint: {seconds:.0f}s of load on every service")
        loaded = peak_memory_during(run.process.pid, lambda: load_all(targets, seconds))
        scrape_loaded = scrapes(run.ports)
    finally:
        run.stop()
    services = len(SERVICES)
    memory = {"idle": {"pss": idle["pss"], "rss": idle["rss"], "processes": idle["processes"],
                       "by_kind": idle["by_kind"]}, "under_load": loaded}
    return {
        "time_to_ready_s": {"suite": rounded(ready_s["every"], 2), "services_web": rounded(ready_s["services"], 2),
                            "cpu_s": rounded(ready_s["cpu"], 1),
                            "bare_gunicorn": bare["ready_s"], "ratio": rounded(ready_s["every"] / bare["ready_s"], 1),
                            "target": f"<= {READY_GOAL_S} s", "met": ready_s["every"] <= READY_GOAL_S},
        "memory_mb": {**memory, "target": f"PSS <= {PSS_GOAL_MB} MiB idle and under load",
                      "met": max(idle["pss"], loaded["pss"]) <= PSS_GOAL_MB},
        "rss_mb": {
            "idle": {"suite": idle["rss"], "bare_x5": rounded(bare["idle_mb"] * services, 1),
                     "ratio": rounded(idle["rss"] / (bare["idle_mb"] * services), 2)},
            "under_load": {"suite": loaded["rss"], "bare_x5": rounded(bare["loaded_mb"] * services, 1),
                           "ratio": rounded(loaded["rss"] / (bare["loaded_mb"] * services), 2)},
        },
        "scrape": {"idle": scrape_idle, "after_load": scrape_loaded},
        "processes": "a gunicorn web (master + CHANCERY_WEB_WORKERS workers) and a worker per service, the console "
                     "(master + CONSOLE_WEB_WORKERS) and `chancery run` itself",
        "met": ready_s["every"] <= READY_GOAL_S and max(idle["pss"], loaded["pss"]) <= PSS_GOAL_MB,
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
