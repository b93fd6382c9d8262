"""The console under load (issue 15, decisions 0090 and 0095), in front of visits, trips and notifications (a web
and a worker each, as `make run` starts them), every figure beside a baseline measured in the same run:

- pages: My desk and a visit page driven by wrk with a signed-in person's session cookie, each beside the API calls
  the page makes, with the same person's token, in interleaved rounds: the calls all at once as the page makes
  them (`ParallelCalls`, a bare client: one round trip is all of them started together, timed until the last
  answers), and each call driven alone. One connection (one page or one set of calls at a time): this is a
  page's latency against its calls'. Goal: the page's p50 at most 1.3 times the p50 of its calls made in
  parallel, i.e. of the slowest of them as they contend with each other on the same cores (decision 0096);
  the ratio is the median of the rounds'. The ratio to the slowest call alone is kept beside it, and the
  console's CPU per page (its worker's CPU time over the pages it served).
- streams: the same pages at `connections` with `streams` live streams open on the console (held by
  `stream_people` people, each stream a connection reading it as a browser does; a round starts once every
  person's feed follows notifications), beside the same pages without them, in interleaved rounds. Goal: p99 at
  most 1.5 times.
- memory: PSS and RSS of the console's processes (gunicorn master and workers, /proc/<pid>/smaps_rollup) idle,
  under the pages' load and with the streams open, beside the services' processes of the same suite. Goal: the
  console at most 150 MiB (PSS, the memory it adds; RSS also counts pages it shares).
The calls a page makes are listed here (PAGES); the console's own metrics of its calls check the list each run
(`calls_per_page`), so a page that gains a call shows up as a mismatch instead of a wrong figure.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from http.client import HTTPConnection, HTTPResponse
from pathlib import Path
from urllib.parse import urlsplit

from services.console.pages.desk import this_week
from services.visits.api.delegation_schemas import MEMBER_EXAMPLE
from services.visits.api.invitation_schemas import INVITATION_EXAMPLE
from services.visits.api.programme_schemas import ITEM_EXAMPLE
from tests.bench.footprint import sampled_during, tree_memory_mb
from tests.bench.load import require_wrk, run_wrk, summarize, write_script
from tests.bench.support import median, percentile, rounded, say, workers_cpu_seconds
from tests.console.people import Person
from tests.support.console import Console
from tests.support.metrics import metric
from tests.support.processes import VISIT, Suite, http

ROLES, DEPARTMENT = ["protocol", "department-head"], "International Relations Department"
TARGETS = {"page_over_parallel_calls_p50": 1.3, "p99_with_streams_over_without": 1.5, "console_pss_mb": 150}
SERVICES = ("visits", "trips", "notifications")


def desk_calls(today: date) -> list[tuple[str, str]]:
    """What My desk (services/console/pages/desk.py) calls for a protocol officer heading a department."""
    week = "&".join(f"{key}={value}" for key, value in this_week(today).items())
    due = f"done=false&due_until={today + timedelta(days=7)}"
    first = "page=1&page_size=10"
    return [("notifications", "/inbox?unread=true&page_size=10"),
            ("visits", f"/visits?{week}&sort=starts_on&page_size=10"),
            ("visits", f"/invitations?status=received&{first}"), ("visits", f"/invitations?status=assigned&{first}"),
            ("visits", f"/visits?status=invited&{first}"), ("visits", f"/visa-letters?status=approved&{first}"),
            ("visits", f"/checklist-tasks?{due}&{first}"), ("visits", f"/follow-ups?{due}&{first}"),
            ("trips", f"/trips?awaiting=department-head&awaiting_department={DEPARTMENT.replace(' ', '+')}&{first}")]


def visit_calls(visit_id: str) -> list[tuple[str, str]]:
    """What a visit's page (services/console/pages/visits.py) calls."""
    return [("visits", f"/visits/{visit_id}{part}") for part in ("", "/members", "/agenda-items", "/status-history")]


class BenchSuite(Suite):
    def wait_ready(self, timeout: float = 180) -> None:
        """Longer than the tests' minute: on a shared machine at load 25 three services took more to start."""
        super().wait_ready(timeout)


def measure(kind: str, ns: str, workdir: Path, *, seconds: float, rounds: int, connections: int, warmup: float,
            streams: int, stream_people: int) -> dict:
    require_wrk()
    workdir = workdir / f"console-{kind}"
    # Notifications as deployed: its default cap holds a stream per person (decision 0059), no sizing here.
    suite = BenchSuite(SERVICES, workdir, database=kind, namespace=ns,
                  extra_env={"CHANCERY_RATE_LIMIT": "", "CHANCERY_TRACES_EXPORTER": "none"})
    with suite:
        console = Console(suite).start()
        try:
            return _measure(suite, console, workdir, seconds=seconds, rounds=rounds, connections=connections,
                            warmup=warmup, streams=streams, stream_people=stream_people)
        finally:
            console.stop()


def _measure(suite: Suite, console: Console, workdir: Path, *, seconds: float, rounds: int, connections: int,
             warmup: float, streams: int, stream_people: int) -> dict:
    visit_id = seed(suite)
    person = Person(console.url(""))
    person.sign_in("bench", ROLES, DEPARTMENT)
    cookie = f"chancery_console={person.client.cookies['chancery_console']}"
    token = suite.token(",".join(ROLES), "bench", DEPARTMENT)
    pages = {"desk": ("/", desk_calls(date.today())), "visit": (f"/visits/{visit_id}", visit_calls(visit_id))}
    scripts = {"page": write_script(workdir / "page.lua", "GET", None, None, {"Cookie": cookie}),
               "call": write_script(workdir / "call.lua", "GET", None, token)}
    roots = _console_roots(console)
    notifications_web = [suite.processes[("notifications", "web")].pid]
    memory = {"idle": tree_memory_mb(roots), "notifications_web_idle": tree_memory_mb(notifications_web)}
    figures: dict = {"pages": {}, "streams": {}}
    for name, (path, calls) in pages.items():
        say(f"console {name}: warm-up")
        run_wrk(console.url(path), scripts["page"], warmup, 1)
        figures["pages"][name] = {"calls_per_page": calls_per_page(console, person, path), "calls_listed": len(calls),
                                  **_page_beside_calls(suite, console, path, calls, scripts, token, seconds, rounds)}
    memory["pages_load"] = _peak_during(roots, lambda: run_wrk(console.url("/"), scripts["page"], seconds,
                                                              connections))
    holders = StreamHolders(console, stream_people, streams,
                            lambda: metric(suite, "notifications", "chancery_inbox_stream_reads_total", cause="opened"))
    try:
        for name, (path, _calls) in pages.items():
            figures["streams"][name] = _with_and_without_streams(console.url(path), scripts["page"], holders,
                                                                 seconds, rounds, connections, name)
        holders.open()
        memory["streams_open"] = tree_memory_mb(roots)
        # A person each: notifications holds as many upstream streams as the console pages (decision 0059).
        memory["notifications_web_streams_open"] = tree_memory_mb(notifications_web)
        memory["streams_and_pages_load"] = _peak_during(roots, lambda: run_wrk(
            console.url("/"), scripts["page"], seconds, connections))
        memory["streams_held"] = holders.held
    finally:
        holders.close()
    memory["services"] = tree_memory_mb([process.pid for process in suite.processes.values()])
    return _judged(figures, memory, streams, stream_people, connections)


def _page_beside_calls(suite: Suite, console: Console, path: str, calls: list[tuple[str, str]], scripts: dict,
                       token: str, seconds: float, rounds: int) -> dict:
    labels = [f"{service} {url}" for service, url in calls]
    runs: dict[str, list[dict]] = {"page": [], "parallel": [], **{label: [] for label in labels}}
    parallel = ParallelCalls([suite.url(service, f"/api/v1{url}") for service, url in calls], token)
    try:
        for number in range(rounds):
            targets = [("page", functools.partial(page_run, console, path, scripts["page"], seconds)),
                       ("parallel", functools.partial(parallel.run, seconds))] + [
                (label, functools.partial(run_wrk, suite.url(service, f"/api/v1{url}"), scripts["call"], seconds, 1))
                for label, (service, url) in zip(labels, calls, strict=True)]
            for label, run in targets if number % 2 == 0 else reversed(targets):
                runs[label].append(run())
            say(f"console {path} round {number + 1}/{rounds}: page p50 {runs['page'][-1]['p50_ms']} ms, its calls in "
                f"parallel p50 {runs['parallel'][-1]['p50_ms']} ms, slowest call alone p50 "
                f"{max(runs[label][-1]['p50_ms'] for label in labels)} ms")
    finally:
        parallel.close()
    over_parallel = [runs["page"][n]["p50_ms"] / runs["parallel"][n]["p50_ms"] for n in range(rounds)]
    over_alone = [runs["page"][n]["p50_ms"] / max(runs[label][n]["p50_ms"] for label in labels)
                  for n in range(rounds)]
    return {"page": summarize(runs["page"]), "calls_in_parallel": summarize(runs["parallel"]),
            "calls": {label: summarize(runs[label]) for label in labels},
            "page_p50_over_parallel_calls_p50": rounded(median(over_parallel)),
            "per_round": [round(r, 3) for r in over_parallel],
            "page_p50_over_slowest_call_alone_p50": rounded(median(over_alone)),
            "per_round_alone": [round(r, 3) for r in over_alone]}


def page_run(console: Console, path: str, script: Path, seconds: float) -> dict:
    """wrk on the page, with the console worker's CPU per page served."""
    assert console.process is not None
    before = workers_cpu_seconds(console.process.pid)
    result = run_wrk(console.url(path), script, seconds, 1)
    after = workers_cpu_seconds(console.process.pid)
    if before is not None and after is not None and result["ok"]:
        result["cpu_ms_per_request"] = round((after - before) * 1000 / result["ok"], 2)
    return result


class ParallelCalls:
    """A bare client making a page's API calls as the page does: all at once, one thread and one keep-alive
    connection per call; a round trip lasts until the last of them has answered."""

    def __init__(self, urls: list[str], token: str):
        self.targets = [urlsplit(url) for url in urls]
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.connections = [HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=10)
                            for target in self.targets]
        self.pool = ThreadPoolExecutor(max_workers=len(urls))

    def _get(self, number: int) -> int:
        target, connection = self.targets[number], self.connections[number]
        connection.request("GET", f"{target.path}?{target.query}", headers=self.headers)
        response = connection.getresponse()
        response.read()
        return response.status

    def run(self, seconds: float) -> dict:
        for connection in self.connections:
            connection.close()  # the services close idle keep-alive connections between runs; reconnects
        latencies: list[float] = []
        ok, other = 0, 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            begun = time.perf_counter()
            statuses = list(self.pool.map(self._get, range(len(self.targets))))
            latencies.append((time.perf_counter() - begun) * 1000)
            ok, other = (ok + 1, other) if all(status == 200 for status in statuses) else (ok, other + 1)
        elapsed = time.perf_counter() - started
        return {"requests_per_s": round(ok / elapsed, 1),
                **{f"p{share}_ms": round(percentile(latencies, share / 100) or 0, 2) for share in (50, 90, 99)},
                "max_ms": round(max(latencies), 2), "requests": len(latencies), "ok": ok, "other_status": other,
                "socket_errors": 0, "seconds": round(elapsed, 2)}

    def close(self) -> None:
        self.pool.shutdown()
        for connection in self.connections:
            connection.close()


def _with_and_without_streams(url: str, script: Path, holders: StreamHolders, seconds: float, rounds: int,
                              connections: int, name: str) -> dict:
    runs: dict[str, list[dict]] = {"without": [], "with": []}
    for number in range(rounds):
        for state in ("without", "with") if number % 2 == 0 else ("with", "without"):
            if state == "with":
                holders.open()
            else:
                holders.close()
            result = run_wrk(url, script, seconds, connections)
            result["streams_held"] = holders.held
            runs[state].append(result)
            say(f"console {name} {state} streams ({holders.held} held): {result['requests_per_s']} req/s "
                f"p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms")
    holders.close()
    # A round in which no page was answered has no p99 (wrk says 0): that is no ratio, and the goal missed.
    ratios = [w["p99_ms"] / o["p99_ms"] if w["ok"] else None
              for w, o in zip(runs["with"], runs["without"], strict=True) if o["p99_ms"]]
    return {"without": summarize(runs["without"]), "with": summarize(runs["with"]),
            "streams_held": [r["streams_held"] for r in runs["with"]],
            "p99_with_over_without": None if None in ratios else rounded(median([r for r in ratios if r is not None])),
            "per_round": [None if r is None else round(r, 3) for r in ratios]}


def _judged(figures: dict, memory: dict, streams: int, stream_people: int, connections: int) -> dict:
    pages_met = all(page["page_p50_over_parallel_calls_p50"] <= TARGETS["page_over_parallel_calls_p50"]
                    and page["calls_per_page"] == page["calls_listed"] for page in figures["pages"].values())
    streams_met = all(figure["p99_with_over_without"] is not None
                      and figure["p99_with_over_without"] <= TARGETS["p99_with_streams_over_without"]
                      and min(figure["streams_held"]) >= streams for figure in figures["streams"].values())
    console_pss = max(memory[key]["pss"] for key in ("idle", "pages_load", "streams_open", "streams_and_pages_load"))
    return {**figures, "memory_mb": memory, "console_pss_peak_mb": console_pss,
            "settings": {"streams": streams, "stream_people": stream_people, "stream_connections": connections},
            "targets": {key: f"<= {value}" for key, value in TARGETS.items()},
            "met_by_goal": {"pages": pages_met, "streams": streams_met,
                            "memory": console_pss <= TARGETS["console_pss_mb"]},
            "met": pages_met and streams_met and console_pss <= TARGETS["console_pss_mb"]}


def _peak_during(roots: list[int], action) -> dict[str, float]:
    """The largest PSS and RSS of the trees under `roots` sampled while `action()` runs."""
    samples = sampled_during(lambda: tree_memory_mb(roots), action)
    return {key: max(sample[key] for sample in samples) for key in ("pss", "rss")}


def _console_roots(console: Console) -> list[int]:
    assert console.process is not None
    return [console.process.pid]


def calls_per_page(console: Console, person: Person, path: str, pages: int = 3) -> float | None:
    """API calls the console made per request of `path`, from its own metrics (after the calls of any page still
    in flight from the load before have ended)."""
    time.sleep(2)
    before = _calls_made(console)
    for _ in range(pages):
        assert person.get(path).status_code == 200
    time.sleep(1)
    after = _calls_made(console)
    return None if before is None or after is None else round((after - before) / pages, 1)


def _calls_made(console: Console) -> float | None:
    made = calls_timed(console)
    return None if made is None else made[0]


def calls_timed(console: Console) -> tuple[float, float] | None:
    """How many API calls the console has made, and the seconds it waited for them, from its own metrics."""
    answer = http("GET", console.url("/metrics"), timeout=10)
    if answer.status != 200:
        return None
    count, seconds = (sum(float(figure) for figure in re.findall(
        rf"^chancery_console_api_call_duration_seconds_{part}\{{[^}}]*\}} ([0-9.e+]+)$", str(answer.body),
        re.MULTILINE)) for part in ("count", "sum"))
    return count, seconds


def seed(suite: Suite) -> str:
    """Visits this week, invitations to triage, and one visit with its delegation and programme."""
    def created(path: str, body: dict) -> dict:
        answer = suite.call("POST", "visits", f"/api/v1{path}", body, roles="protocol")
        assert answer.status == 201, (path, answer.status, answer.body)
        return answer.json

    today = date.today()
    for number in range(10):
        created("/visits", {**VISIT, "delegation_name": f"Delegation {number}", "starts_on": today.isoformat(),
                            "ends_on": (today + timedelta(days=2)).isoformat()})
    invitation = {key: value for key, value in INVITATION_EXAMPLE.items() if key != "partner_id"}
    for number in range(5):
        created("/invitations", {**invitation, "title": f"Invitation {number}"})
    visit = created("/visits", VISIT)
    created(f"/visits/{visit['id']}/members", MEMBER_EXAMPLE)
    for hour in (10, 13, 16):
        created(f"/visits/{visit['id']}/agenda-items", {
            **ITEM_EXAMPLE, "guest_participants": [], "starts_at": f"2027-03-10T{hour}:00:00",
            "ends_at": f"2027-03-10T{hour + 1}:30:00"})
    return visit["id"]


class StreamHolders:
    """`streams` live streams on the console, held by `people` signed-in people, each a connection that reads its
    stream and reopens it when it ends, as a browser's EventSource does.

    Streams are held once every person's feed follows notifications (`upstream_opened`, notifications' count of
    streams opened, has grown by one a person): a page's stream answers before its feed has asked notifications for
    the newest notification and opened its own stream there, and the rounds measure pages beside streams held, not
    beside 200 streams being opened (that burst is the console's start, or a deploy's, not its steady state)."""

    def __init__(self, console: Console, people: int, streams: int, upstream_opened: Callable[[], float]):
        self.port = console.port
        self.streams = streams
        self.feeds = min(people, streams)
        self.upstream_opened = upstream_opened
        self.cookies = []
        for number in range(people):
            person = Person(console.url(""))
            person.sign_in(f"reader{number}", ["protocol"])
            self.cookies.append(f"chancery_console={person.client.cookies['chancery_console']}")
        self.held = 0
        self.refused = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: list[HTTPConnection] = []

    def open(self, timeout: float = 60) -> None:
        if self._threads:
            return
        self._stop.clear()
        opened_before = self.upstream_opened()
        self._threads = [threading.Thread(target=self._hold, args=(self.cookies[n % len(self.cookies)],),
                                          daemon=True) for n in range(self.streams)]
        for thread in self._threads:
            thread.start()
        deadline = time.monotonic() + timeout
        while self.held < self.streams and time.monotonic() < deadline:
            time.sleep(0.2)
        while (following := self.upstream_opened() - opened_before) < self.feeds and time.monotonic() < deadline:
            time.sleep(0.2)
        say(f"console: {self.held} of {self.streams} streams held ({self.refused} refused meanwhile), "
            f"{following:g} of {self.feeds} feeds following notifications")

    def close(self) -> None:
        if not self._threads:
            return
        self._stop.set()
        with self._lock:
            for connection in self._connections:
                if connection.sock is not None:
                    connection.sock.shutdown(2)
        for thread in self._threads:
            thread.join(15)
        self._threads, self._connections = [], []
        time.sleep(12)  # the console notices at its next heartbeat, and a feed lingers 10 s after its last page

    def _hold(self, cookie: str) -> None:
        while not self._stop.is_set():
            connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
            with self._lock:
                self._connections.append(connection)
            try:
                connection.request("GET", "/live/inbox", headers={"Cookie": cookie, "Accept": "text/event-stream"})
                response = connection.getresponse()
                if response.status != 200:
                    with self._lock:
                        self.refused += 1
                    time.sleep(1)
                    continue
                self._read(response)
            except OSError:
                time.sleep(0.5)
            finally:
                connection.close()

    def _read(self, response: HTTPResponse) -> None:
        with self._lock:
            self.held += 1
        try:
            while not self._stop.is_set() and response.readline():
                pass
        finally:
            with self._lock:
                self.held -= 1
