"""Where a service's request time goes: py-spy samples its real web process under wrk load.

    .venv/bin/python -m tests.bench.profile visits write [--seconds 15] [--database sqlite]
    .venv/bin/python -m tests.bench.profile console desk|visit|trips [--seconds 15]

Starts the service as tests/bench/endpoints.py does (metrics and tracing on), seeds it, drives the read or
the write with wrk, and samples every gunicorn worker with py-spy (the `bench` extra). `console` starts the
console in front of visits, trips and notifications as tests/bench/console.py does and drives My desk or a
visit's page with a signed-in person's cookie, one page at a time; `trips` the list of trips over 10,000 trips
as tests/bench/trips_page.py loads them, read by the mayor's office. Writes the collapsed stacks to
var/bench/profile-<service>-<operation>.txt and prints the functions with the largest share of samples,
inclusive: what to look at first.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.bench import trips_page
from tests.bench.console import DEPARTMENT, ROLES, SERVICES, BenchSuite
from tests.bench.console import seed as seed_console
from tests.bench.endpoints import ENDPOINTS, READ_QUERY, SEED_ROWS, seed, subject_server
from tests.bench.load import run_wrk, write_script
from tests.bench.support import BENCH_DIR, TraceSink, namespace, say
from tests.console.people import Person
from tests.support.console import Console
from tests.support.processes import BIN

CONSOLE_PAGES = ("desk", "visit", "trips")


def record(pid: int, seconds: float, output: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--format", "raw",
                             "--duration", str(round(seconds)), "--rate", "200", "--gil", "--nonblocking", "--output",
                             str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def inclusive_shares(stacks: Path, top: int) -> list[tuple[float, str]]:
    """Each function's share of the samples in which it is on the stack (once per sample), largest first."""
    counts: Counter[str] = Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        seen = {frame.split(" (")[0] + " " + frame.split("/")[-1].split(":")[0].rstrip(")")
                for frame in frames.split(";")[1:]}
        for frame in seen:
            counts[frame] += samples
    return [(round(100 * n / total, 1), frame) for frame, n in counts.most_common(top)] if total else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service", choices=sorted(ENDPOINTS) + ["console"])
    parser.add_argument("operation", choices=("read", "write", *CONSOLE_PAGES))
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args(argv)
    workdir = BENCH_DIR / "work" / f"profile-{args.service}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    output = BENCH_DIR / f"profile-{args.service}-{args.operation}.txt"
    if (args.service == "console") != (args.operation in CONSOLE_PAGES):
        parser.error("the console's operations are desk, visit and trips; a service's are read and write")
    profiled = profile_console if args.service == "console" else profile_service
    if not profiled(args, workdir, output):
        return 1
    for share, frame in inclusive_shares(output, args.top):
        print(f"{share:5.1f}%  {frame}")
    return 0


def sampled(pid: int, url: str, script: Path, seconds: float, connections: int, output: Path) -> bool:
    """py-spy on the processes under `pid` while wrk drives `url`; False (and py-spy's errors) when it failed."""
    run_wrk(url, script, 2, connections)
    sampler = record(pid, seconds + 1, output)
    run_wrk(url, script, seconds, connections)
    _, errors = sampler.communicate(timeout=60)
    if sampler.returncode:
        print(errors.decode(errors="replace"), file=sys.stderr)
        return False
    return True


def profile_service(args: argparse.Namespace, workdir: Path, output: Path) -> bool:
    endpoint = ENDPOINTS[args.service]
    method, path, body = ("POST", endpoint.path, endpoint.body) if args.operation == "write" else \
        ("GET", endpoint.path + READ_QUERY, None)
    token = endpoint.token()
    with TraceSink() as sink, subject_server(endpoint, args.database, namespace(), workdir, name="profiled",
                                             sink=sink) as server:
        seed(server, endpoint, token, SEED_ROWS)
        script = write_script(workdir / "profile.lua", method, body, token)
        say(f"profiling {args.service} {args.operation} for {args.seconds:.0f}s")
        return sampled(server.process.pid, server.base_url + path, script, args.seconds, 8, output)


def profile_console(args: argparse.Namespace, workdir: Path, output: Path) -> bool:
    trips = args.operation == "trips"
    suite = BenchSuite(("trips",) if trips else SERVICES, workdir, database=args.database, namespace=namespace(),
                       extra_env={"CHANCERY_RATE_LIMIT": "", "CHANCERY_TRACES_EXPORTER": "none"})
    with suite:
        console = Console(suite).start()
        try:
            person = Person(console.url(""))
            if trips:
                trips_page.load_trips(suite.direct_database_urls["trips"], trips_page.TRIPS)
                person.sign_in("bench", [trips_page.ROLE])
                path = trips_page.PAGE
            else:
                visit_id = seed_console(suite)
                person.sign_in("bench", ROLES, DEPARTMENT)
                path = "/" if args.operation == "desk" else f"/visits/{visit_id}"
            script = write_script(workdir / "page.lua", "GET", None, None,
                                  {"Cookie": f"chancery_console={person.client.cookies['chancery_console']}"})
            say(f"profiling the console's {args.operation} for {args.seconds:.0f}s")
            assert console.process is not None
            return sampled(console.process.pid, console.url(path), script, args.seconds, 1, output)
        finally:
            console.stop()

if __name__ == "__main__":
    sys.exit(main())
