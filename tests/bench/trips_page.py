"""The console's list of trips over 10,000 trips (issue 16), in front of the real trips web process.

10,000 trips (each with a destination and a traveller, of several departments, statuses and dates) are written
straight into trips' database in bulk, as a few years of the office's requests; then the list as the mayor's
office opens it (`/trips`: every department's trips, latest start first, page 1 of 400, with the total) is driven
by wrk with a signed-in person's session cookie, beside the one API call the page makes (`GET /api/v1/trips`
with the same filters, sort and page, the same person's token), in interleaved rounds, one request at a time
each (decision 0096: a page's latency against its call's). Goal: the page's p99 at most 1.5 times the call's.
The ratio is the median of the rounds'; the console's CPU per page and the page's calls (from its own metrics,
as tests/bench/console.py checks them) are reported beside it.
"""

from __future__ import annotations

import functools
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from services.trips.store.models import Destination, Traveller, Trip
from shared.db import Database
from tests.bench.console import BenchSuite, calls_per_page, calls_timed, page_run
from tests.bench.load import require_wrk, run_wrk, summarize, write_script
from tests.bench.support import median, rounded, say
from tests.console.people import Person
from tests.support.console import Console
from tests.support.processes import Suite, http

TRIPS, BATCH = 10_000, 2_000
TARGETS = {"page_p99_over_call_p99": 1.5}
ROLE = "mayor-office"  # reads every department's trips; its first list is "all" (services/console/pages/trips.py)
PAGE = "/trips"
CALL = "/trips?sort=-starts_on&page_size=25"  # what the page asks trips for (its PAGE_SIZE and sort, the first page)
DEPARTMENTS = ("International Relations Department", "Economic Development Department", "Culture Department",
               "Office of the Mayor", "Education Department", "Transport Department")
PLACES = (("BG", "Sofia"), ("DE", "Berlin"), ("FR", "Lyon"), ("IT", "Bologna"), ("RS", "Belgrade"), ("AT", "Vienna"),
          ("CN", "Chengdu"), ("US", "Boston"))
STATUSES = ("draft", "approved", "closed", "cancelled")


def measure(kind: str, ns: str, workdir: Path, *, seconds: float, rounds: int, warmup: float,
            trips: int = TRIPS) -> dict:
    require_wrk()
    suite = BenchSuite(("trips",), workdir / f"trips-page-{kind}", database=kind, namespace=ns,
                       extra_env={"CHANCERY_RATE_LIMIT": "", "CHANCERY_TRACES_EXPORTER": "none"})
    with suite:
        console = Console(suite).start()
        try:
            return _measure(suite, console, suite.workdir, seconds=seconds, rounds=rounds, warmup=warmup,
                            trips=trips)
        finally:
            console.stop()


def _measure(suite: Suite, console: Console, workdir: Path, *, seconds: float, rounds: int, warmup: float,
             trips: int) -> dict:
    started = time.monotonic()
    load_trips(suite.direct_database_urls["trips"], trips)
    loading_s = round(time.monotonic() - started, 1)
    say(f"trips page: {trips} trips written in {loading_s} s")
    token = suite.token(ROLE, "bench")
    listed = http("GET", suite.url("trips", f"/api/v1{CALL}&total=exact"), token=token, timeout=30)
    assert listed.status == 200 and listed.json["total"] == trips, (listed.status, listed.body)
    person = Person(console.url(""))
    person.sign_in("bench", [ROLE])
    scripts = {"page": write_script(workdir / "trips-page.lua", "GET", None, None, {
                   "Cookie": f"chancery_console={person.client.cookies['chancery_console']}"}),
               "call": write_script(workdir / "trips-call.lua", "GET", None, token)}
    say("trips page: warm-up")
    run_wrk(console.url(PAGE), scripts["page"], warmup, 1)
    run_wrk(suite.url("trips", f"/api/v1{CALL}"), scripts["call"], warmup, 1)
    runs: dict[str, list[dict]] = {"page": [], "call": []}
    targets = [("page", functools.partial(_page_and_its_call, console, scripts["page"], seconds)),
               ("call", functools.partial(run_wrk, suite.url("trips", f"/api/v1{CALL}"), scripts["call"], seconds, 1))]
    for number in range(rounds):
        for label, run in targets if number % 2 == 0 else reversed(targets):
            runs[label].append(run())
        say(f"trips page round {number + 1}/{rounds}: page p50 {runs['page'][-1]['p50_ms']} ms p99 "
            f"{runs['page'][-1]['p99_ms']} ms, its call p50 {runs['call'][-1]['p50_ms']} ms p99 "
            f"{runs['call'][-1]['p99_ms']} ms")
    over_p99 = [page["p99_ms"] / call["p99_ms"] for page, call in zip(runs["page"], runs["call"], strict=True)
                if call["p99_ms"]]
    over_p50 = [page["p50_ms"] / call["p50_ms"] for page, call in zip(runs["page"], runs["call"], strict=True)
                if call["p50_ms"]]
    ratio = rounded(median(over_p99))
    waited = rounded(median([run.get("console_call_mean_ms") for run in runs["page"]]), 2)
    called = calls_per_page(console, person, PAGE)
    return {"trips": trips, "loading_s": loading_s, "call": CALL, "page": summarize(runs["page"]),
            "api_call": summarize(runs["call"]), "page_p99_over_call_p99": ratio,
            "per_round": [round(r, 3) for r in over_p99], "page_p50_over_call_p50": rounded(median(over_p50)),
            "console_call_mean_ms": waited,
            "calls_per_page": called, "targets": {key: f"<= {value}" for key, value in TARGETS.items()},
            "met": ratio is not None and ratio <= TARGETS["page_p99_over_call_p99"] and called == 1
            and not any(run["other_status"] for run in runs["page"] + runs["call"])}


def _page_and_its_call(console: Console, script: Path, seconds: float) -> dict:
    """The page under wrk, with the mean time the console waited for its call meanwhile (its own metrics): what
    the page adds to the call as the console meets it, apart from how the call fares beside the bare one."""
    before = calls_timed(console)
    result = page_run(console, PAGE, script, seconds)
    after = calls_timed(console)
    if before and after and after[0] > before[0]:
        result["console_call_mean_ms"] = round((after[1] - before[1]) * 1000 / (after[0] - before[0]), 2)
    return result


def load_trips(database_url: str, count: int) -> None:
    """`count` trips with a destination and a traveller each, written in batches of one statement each."""
    database = Database(database_url)
    try:
        for first in range(0, count, BATCH):
            numbers = range(first, min(count, first + BATCH))
            rows = [trip_row(number) for number in numbers]
            with database.session() as session:
                session.execute(insert(Trip), [trip for trip, _place, _traveller in rows])
                session.execute(insert(Destination), [place for _trip, place, _traveller in rows])
                session.execute(insert(Traveller), [traveller for _trip, _place, traveller in rows])
    finally:
        database.engine.dispose()
        database.reader_engine.dispose()


def trip_row(number: int) -> tuple[dict, dict, dict]:
    """The `number`th trip: departments, places and statuses in turn, dates spread over four years."""
    trip_id, department = str(uuid.uuid4()), DEPARTMENTS[number % len(DEPARTMENTS)]
    country, city = PLACES[number % len(PLACES)]
    starts_on = date(2024, 1, 1) + timedelta(days=(number * 7) % 1460)
    status = STATUSES[number % len(STATUSES)]
    created_at = datetime.combine(starts_on - timedelta(days=40), datetime.min.time(), UTC)
    trip = {"id": trip_id, "title": f"Working visit to {city} no. {number}", "purpose": "Cooperation programme",
            "department": department, "starts_on": starts_on, "ends_on": starts_on + timedelta(days=3),
            "host": f"{city} City Hall", "international_function": None, "invitation_id": None, "funding": "city",
            "budget_currency": "EUR", "partner_id": None, "status": status, "status_reason": None,
            "approval_chain": "" if status == "draft" else "department-head,mayor-office", "awaiting": None,
            "awaiting_department": None, "version": 1, "created_by": f"staff{number % 50}",
            "created_at": created_at, "updated_at": created_at,
            "travel_order_number": None if status == "draft" else f"TO-{starts_on.year}-{number:05d}"}
    place = {"trip_id": trip_id, "position": 0, "country": country, "city": city}
    traveller = {"id": str(uuid.uuid4()), "trip_id": trip_id, "position": 0, "full_name": f"Traveller {number % 300}",
                 "job_title": "Chief specialist", "category": "staff", "department": department}
    return trip, place, traveller
