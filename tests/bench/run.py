"""`make bench`: measure the suite against bare baselines and print one JSON document.

    .venv/bin/python -m tests.bench.run [--quick] [--databases sqlite,postgres] [--only endpoints,...]

Figures (each beside its baseline, with the ratio, a target and whether it was met):
  endpoints      per service a write (POST) and a read (GET a page) on the real web process, tracing and metrics
                 on, vs a bare Flask + SQLAlchemy app under the same gunicorn settings (--services to choose)
  tracing        the visits read and write with tracing on (OTLP export) vs off
  outbox_relay   OutboxRelay events/s vs raw kombu publishing without confirms and with a confirm each
  consumer       the notifications consumer with its database effect vs raw kombu consuming with an ack
  end_to_end     commit-to-inbox latency of visits -> notifications at 50 and 500 events/s, and the drain time
                 after load stops, beside the broker's own publish-to-consume latency at the same rate
  footprint      `chancery run` to every /readyz, resident memory of the whole suite idle and under load, and
                 /metrics scrape time, beside a bare gunicorn's start, memory (x5) and /healthz
  fan_out        one event to 1,000 in-app subscribers and 50 webhooks: deliveries/s, time to the last one
  auction        reverse-auction bids accepted/s and p99 latency with 20 concurrent bidders, the real contracts
                 web process vs a bare Flask + SQLAlchemy bid (lock the auction row, check, insert, update)
  auction_page   the console's live auction page: from a bid's answer to the open page's stream showing it, with
                 20 bidders' bids landing, beside the same bid read straight from the contracts API
  trips_page     the console's list of trips over 10,000 trips (p99) vs the one API call it makes, one at a time
  lists          a list's first page, a deep page, a filtered and a sorted page at growing table sizes (--rows,
                 --lists): p50/p99 at each size and the p99 ratio largest / smallest size, goal <= 1.5 (issue 19)
  console        My desk and a visit page vs each API call they make (p50), their p99 with --streams live streams
                 open vs without, and the console's memory (PSS/RSS) idle, under load and holding the streams
The document is also written to var/bench/latest.json. Progress goes to stderr. Needs RabbitMQ on
127.0.0.1:5672, PostgreSQL on 127.0.0.1:5432 (for the postgres figures) and `wrk` (the HTTP figures).
Only ratios compare across runs: the machine is shared and absolute figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime

from shared.suite import SERVICES
from tests.bench import (
    auction,
    auction_page,
    console,
    consumer,
    end_to_end,
    endpoints,
    fan_out,
    footprint,
    lists,
    outbox_relay,
    tracing,
    trips_page,
)
from tests.bench.support import BENCH_DIR, REPO, namespace, say

SECTIONS = ("endpoints", "tracing", "outbox_relay", "consumer", "end_to_end", "footprint", "fan_out", "auction",
            "auction_page", "trips_page", "console", "lists")


class BudgetExceeded(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise BudgetExceeded("the benchmark ran past its time budget")


def _on_term(_signum, _frame):
    raise KeyboardInterrupt


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--services", default=",".join(SERVICES), help="endpoints: comma-separated services")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per figure (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--warmup", type=float, default=3, help="wrk warm-up seconds per server (default 3)")
    parser.add_argument("--events", type=int, default=10_000, help="outbox events to relay (default 10000)")
    parser.add_argument("--consumed", type=int, default=3000, help="events per consumer round (default 3000)")
    parser.add_argument("--rates", default="50,500", help="end-to-end visits per second, comma-separated (50,500)")
    parser.add_argument("--e2e-seconds", type=float, default=10, help="end-to-end duration (default 10)")
    parser.add_argument("--streams", type=int, default=200, help="console: live streams held open (default 200)")
    parser.add_argument("--stream-people", type=int, default=200,
                        help="console: the people holding them, each with streams/people pages (default 200: a "
                             "person each, so notifications holds 200 streams too)")
    parser.add_argument("--auctions", type=int, default=5, help="auction_page: auctions each bidder bids in (5)")
    parser.add_argument("--trips", type=int, default=trips_page.TRIPS,
                        help=f"trips_page: trips in trips' database ({trips_page.TRIPS})")
    parser.add_argument("--rows", default="10000,100000",
                        help="lists: table sizes, comma-separated (default 10000,100000; issue 19's figure is "
                             "10000,100000,1000000)")
    parser.add_argument("--lists", default=",".join(lists.LISTS), help="lists: comma-separated lists to measure")
    parser.add_argument("--budget", type=int, default=5400, help="seconds before the whole run is abandoned")
    parser.add_argument("--quick", action="store_true", help="a smoke run: short, one round, fewer events")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.warmup, args.events, args.e2e_seconds = 3, 1, 1, 2000, 4
        args.consumed, args.auctions = 500, 2
    return args


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _guarded(name: str, function) -> dict:
    """Run one figure; a failure is reported in the document instead of ending the run."""
    started = time.monotonic()
    try:
        result = function()
    except BudgetExceeded:
        raise
    except Exception as error:  # noqa: BLE001 - the other figures are still worth printing
        say(f"{name} failed: {error}")
        traceback.print_exc(file=sys.stderr)
        result = {"error": f"{type(error).__name__}: {error}", "met": False}
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = (set(databases) - {"sqlite", "postgres"}) | (set(sections) - set(SECTIONS))
    if unknown:
        print(f"unknown database or section: {sorted(unknown)}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGTERM, _on_term)
    signal.alarm(args.budget)

    workdir = BENCH_DIR / "work" / str(os.getpid())  # runs side by side (and profiles) never share one
    workdir.mkdir(parents=True)
    started = time.monotonic()
    document: dict = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "host": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average_before": os.getloadavg()},
        "settings": {key: getattr(args, key) for key in ("seconds", "rounds", "connections", "warmup", "events",
                                                         "consumed", "rates", "e2e_seconds", "streams",
                                                         "stream_people", "rows")},
        "note": "machines are shared: compare ratios, not absolute figures",
    }
    try:
        load = {"seconds": args.seconds, "rounds": args.rounds, "connections": args.connections,
                "warmup": args.warmup}
        if "endpoints" in sections:
            services = [s.strip() for s in args.services.split(",") if s.strip()]
            document["endpoints"] = {
                kind: _guarded(f"endpoints {kind}", lambda kind=kind: endpoints.measure(
                    kind, namespace(), workdir, services=services, **load))
                for kind in databases}
        if "tracing" in sections:
            document["tracing"] = {
                kind: _guarded(f"tracing {kind}", lambda kind=kind: tracing.measure(kind, namespace(), workdir, **load))
                for kind in databases}
        if "outbox_relay" in sections:
            document["outbox_relay"] = {
                kind: _guarded(f"outbox_relay {kind}", lambda kind=kind: outbox_relay.measure(
                    kind, namespace(), workdir, events=args.events, rounds=args.rounds, deadline_s=30))
                for kind in databases}
        if "consumer" in sections:
            document["consumer"] = {
                kind: _guarded(f"consumer {kind}", lambda kind=kind: consumer.measure(
                    kind, namespace(), workdir, events=args.consumed, rounds=args.rounds))
                for kind in databases}
        if "end_to_end" in sections:
            document["end_to_end"] = {
                kind: _guarded(f"end_to_end {kind}", lambda kind=kind: end_to_end.measure(
                    kind, workdir, rates=[float(r) for r in args.rates.split(",")], seconds=args.e2e_seconds))
                for kind in databases}
        if "footprint" in sections:  # `chancery run` uses the SQLite defaults: one figure, not one per database
            document["footprint"] = {"sqlite": _guarded("footprint", lambda: footprint.measure(
                namespace(), workdir, seconds=args.seconds))}
        if "fan_out" in sections:
            document["fan_out"] = {kind: _guarded(f"fan_out {kind}", lambda kind=kind: fan_out.measure(kind, workdir))
                                   for kind in databases}
        if "auction" in sections:
            document["auction"] = {kind: _guarded(f"auction {kind}", lambda kind=kind: auction.measure(
                kind, namespace(), workdir, rounds=args.rounds)) for kind in databases}
        if "auction_page" in sections:
            document["auction_page"] = {kind: _guarded(f"auction_page {kind}", lambda kind=kind: auction_page.measure(
                kind, namespace(), workdir, auctions=args.auctions)) for kind in databases}
        if "trips_page" in sections:
            document["trips_page"] = {kind: _guarded(f"trips_page {kind}", lambda kind=kind: trips_page.measure(
                kind, namespace(), workdir, seconds=args.seconds, rounds=args.rounds, warmup=args.warmup,
                trips=args.trips)) for kind in databases}
        if "console" in sections:
            document["console"] = {kind: _guarded(f"console {kind}", lambda kind=kind: console.measure(
                kind, namespace(), workdir, streams=args.streams, stream_people=args.stream_people, **load))
                for kind in databases}
        if "lists" in sections:
            sizes = [int(size) for size in args.rows.split(",")]
            chosen = [name.strip() for name in args.lists.split(",") if name.strip()]
            document["lists"] = {}
            for kind in databases:  # each database's figures kept as they come: a million rows take a while
                document["lists"][kind] = _guarded(f"lists {kind}", lambda kind=kind: lists.measure(
                    kind, namespace(), workdir, sizes=sizes, lists=chosen))
    except (BudgetExceeded, KeyboardInterrupt) as error:
        document["aborted"] = f"{type(error).__name__}: {error}"
    finally:
        signal.alarm(0)
    document["host"]["load_average_after"] = os.getloadavg()
    document["elapsed_s"] = round(time.monotonic() - started, 1)
    document["all_met"] = all(figure.get("met") for section in SECTIONS if section in document
                              for figure in document[section].values())
    failed = [section for section in SECTIONS if section in document
              and any("error" in figure for figure in document[section].values())]
    if failed:
        say(f"logs of the failed figures ({', '.join(failed)}) are kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    text = json.dumps(document, indent=2)
    (BENCH_DIR / "latest.json").write_text(text + "\n")
    print(text)
    return 0 if "aborted" not in document else 1


if __name__ == "__main__":
    sys.exit(main())
