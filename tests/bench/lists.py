"""A list's cost as its table grows: the same pages at 10,000, 100,000 and 1,000,000 records (issue 19).

    .venv/bin/python -m tests.bench.run --only lists [--rows 10000,100000] [--lists visits] [--databases sqlite]

For each list (`LISTS`) and database, the service's app runs in this process (Flask's test client, a
development token: the whole request path without the network or gunicorn), its scratch database is migrated,
and rows are added with bulk INSERTs straight into the service's table, in steps up to each size of `--rows`.
At each size every page of `pages` is asked `repeats` times (or for `budget` seconds, at least three times) and
its p50 and p99 are kept; a deep page by cursor is the `next` link of the page in the middle. The figure is
each page's p99 at the largest size over its p99 at the smallest, with the goal `GOAL`. PostgreSQL's tables
are vacuumed and analysed after each step, as autovacuum would (it vacuums a table after inserts too, which marks
its pages all-visible: a count can then read an index alone); SQLite's are not (no office runs ANALYZE by hand).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, insert, text

from services.contracts.domain.plan import ProcurementMethod
from services.contracts.domain.tender import TenderStatus
from services.contracts.store.models import PlanLine
from services.outreach.domain.partners import search_text
from shared.config import load_settings
from shared.http.auth import mint_development_token
from shared.migrations import upgrade
from tests.bench.support import ScratchDatabase, percentile, rounded, say
from tests.bench.trips_page import trip_row

GOAL = 1.5  # a page's p99 at the largest size over at the smallest, at most
PAGE_SIZE = 20
CHUNK = 20_000
NAMES = ("Lyon", "Plovdiv", "Kazan", "Porto", "Gdansk", "Varna", "Tampere", "Brno", "Graz", "Ghent", "Turku",
         "Aarhus", "Bergen", "Cluj", "Kaunas", "Tartu", "Split", "Ohrid", "Sibiu", "Pécs")
COUNTRIES = ("FR", "BG", "RU", "PT", "PL", "FI", "CZ", "AT", "BE", "DK", "NO", "RO", "LT", "EE", "HR", "MK", "HU")
Page = Callable[[int], str]  # the table's size → the query string of the page


@dataclass(frozen=True)
class After:
    """The page after another, reached by the cursor of its `next` link (decision 0170)."""

    page: Page


@dataclass(frozen=True)
class Listed:
    """A list measured: its name, the service, its path, who reads it, the table rows are loaded into and how a row
    looks (`row(number, random)`), and the pages asked (name → query string for a table of that size)."""

    name: str
    service: str
    path: str
    role: str
    model: str  # "module:Class" of the store's mapped class
    row: Callable[[int, random.Random], dict[str, Any]]
    pages: dict[str, Page | After]
    before: Callable[[Any], None] = lambda connection: None  # adds the rows that the loaded rows refer to

    @property
    def table(self) -> Any:
        module, name = self.model.split(":")
        return getattr(import_module(module), name).__table__


def _visit(number: int, chance: random.Random) -> dict[str, Any]:
    starts = date(2020, 1, 1) + timedelta(days=chance.randrange(3650))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return {"id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
            "delegation_name": f"Delegation of {chance.choice(NAMES)} {chance.randrange(10**6):06d}",
            "country": chance.choice(COUNTRIES), "city": chance.choice(NAMES), "partner_id": None,
            "starts_on": starts, "ends_on": starts + timedelta(days=chance.randrange(1, 6)),
            "purpose": "Twinning anniversary", "host_official": "Deputy Mayor for Culture",
            "status": chance.choice(("draft", "proposed", "invited", "confirmed", "in_progress", "completed",
                                     "cancelled")),
            "status_reason": None, "flags": [], "version": 1, "created_by": "bench", "created_at": now,
            "updated_at": now}


# Partners' names are made of syllables in three scripts, so that the searched names share trigrams with many
# others; the searched partners (`SOUGHT`) are the first rows loaded, and no made-up name can contain them: a search
# finds the same few partners at every size, as a person looking for one partner among a million would.
SYLLABLES = {
    "en": ("kra", "ko", "plo", "di", "va", "sa", "lo", "ni", "ki", "mé", "tor", "gö", "ber", "an", "ru", "zel"),
    "ru": ("кра", "ко", "пло", "ди", "ва", "са", "ло", "ни", "ки", "ме", "тор", "гё", "бер", "ан", "ру", "зел"),
    "el": ("κρα", "κο", "πλο", "δι", "βα", "σα", "λο", "νι", "κι", "με", "τορ", "γκε", "μπερ", "αν", "ρου", "ζελ")}
SOUGHT = (("Plovdiv", "bg", "Пловдив", "BG"), ("Kraków", "pl", "Kraków", "PL"),
          ("Thessaloniki", "el", "Θεσσαλονίκη", "GR"), ("Tōkyō", "ja", "東京都", "JP"))


def _made_up_names(chance: random.Random) -> list[tuple[str, str]]:
    picks = [chance.randrange(16) for _ in range(chance.randrange(3, 5))]
    return [(language, "".join(syllables[pick] for pick in picks).capitalize())
            for language, syllables in SYLLABLES.items()]


def _partner(number: int, chance: random.Random) -> dict[str, Any]:
    if number < len(SOUGHT):
        name, language, local, country = SOUGHT[number]
        names = [{"language": language, "name": local}]
    else:
        (_, name), *others = _made_up_names(chance)
        names, country = [{"language": language, "name": local} for language, local in others], chance.choice(COUNTRIES)
    created = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=number)
    return {"id": str(uuid.UUID(int=chance.getrandbits(128), version=4)), "name": name, "names": names,
            "search_text": search_text([name, *(entry["name"] for entry in names)]),
            "kind": chance.choice(("city", "capital", "region", "authority")), "country": country, "region": None,
            "website": None, "notes": None, "registry_id": None, "registry_updated_at": None, "version": 1,
            "created_by": "bench", "created_at": created, "updated_at": created}


PLAN_LINE_ID = "00000000-0000-4000-8000-000000000019"


def _plan_line(connection: Any) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    connection.execute(insert(PlanLine.__table__), [{
        "id": PLAN_LINE_ID, "title": "Office furniture", "description": None, "budget_amount": 10**9,
        "currency": "EUR", "cpv_code": "39100000-3", "procurement_method": "open",
        "planned_tender_on": date(2026, 1, 1), "planned_delivery_by": date(2026, 12, 1),
        "programme": "Administration", "status": "approved", "status_reason": None,
        "version": 1, "created_by": "bench", "created_at": now, "updated_at": now}])


def _tender(number: int, chance: random.Random) -> dict[str, Any]:
    deadline = datetime(2020, 1, 1, 12, tzinfo=UTC) + timedelta(hours=chance.randrange(24 * 3650))
    created = deadline - timedelta(days=30)
    return {"id": str(uuid.UUID(int=chance.getrandbits(128), version=4)), "ocid": f"ocds-bench-{number:08d}",
            "plan_line_id": PLAN_LINE_ID, "title": f"Supply for {chance.choice(NAMES)} {chance.randrange(10**6):06d}",
            "description": None, "procurement_method": chance.choice(list(ProcurementMethod)),
            "main_procurement_category": "goods", "award_criteria": "priceOnly",
            "value_amount": chance.randrange(1_000, 10**7), "currency": "EUR", "minimum_step_amount": None,
            "enquiry_ends_at": deadline - timedelta(days=10), "submission_deadline": deadline, "published_at": created,
            "criteria": None, "status": chance.choice(list(TenderStatus)), "status_reason": None, "version": 1,
            "created_by": "bench", "created_at": created, "updated_at": created}


INBOX_OWNER = "bench"  # the person whose inbox is read; a tenth of the rows are someone else's


def _notification(number: int, chance: random.Random) -> dict[str, Any]:
    created = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=number * 90)
    event_type = chance.choice(("visits.visit.confirmed.v1", "trips.trip.approved.v1", "contracts.tender.active.v1"))
    return {"id": str(uuid.UUID(int=chance.getrandbits(128), version=4)), "event_id": str(uuid.uuid4()),
            "event_type": event_type, "subject": "record", "channel": "in-app",
            "recipient": INBOX_OWNER if number % 10 else f"colleague{number % 7}",
            "title": f"Visit of {chance.choice(NAMES)} confirmed", "body": "", "data": {}, "trace_id": None,
            "created_at": created, "read_at": created + timedelta(hours=1) if chance.random() < 0.9 else None}


def _first(rows: int) -> str:
    return f"?page_size={PAGE_SIZE}"


def _search(term: str) -> Page:
    return lambda rows: f"?page_size={PAGE_SIZE}&q={quote(term)}"


def _middle(rows: int) -> str:
    return f"?page_size={PAGE_SIZE}&page={max(1, rows // PAGE_SIZE // 2)}"


LISTS = {listed.name: listed for listed in (
    Listed("visits", "visits", "/api/v1/visits", "protocol", "services.visits.store.models:Visit", _visit, {
        "first page": _first,
        "deep page (page number)": _middle,
        "deep page (cursor)": After(_middle),
        "filtered by status": lambda rows: f"?page_size={PAGE_SIZE}&status=confirmed",
        "sorted by name": lambda rows: f"?page_size={PAGE_SIZE}&sort=delegation_name",
    }),
    Listed("trips", "trips", "/api/v1/trips", "mayor-office", "services.trips.store.models:Trip",
           lambda number, chance: trip_row(number)[0], {  # the trips alone: a list shows no destination it lacks
               "first page": _first,
               "deep page (cursor)": After(_middle),
               "filtered by status": lambda rows: f"?page_size={PAGE_SIZE}&status=approved",
               "sorted by title": lambda rows: f"?page_size={PAGE_SIZE}&sort=title",
           }),
    Listed("partners", "outreach", "/api/v1/partners", "outreach", "services.outreach.store.models:Partner", _partner, {
        "first page": _first,
        "deep page (cursor)": After(_middle),
        "filtered by country": lambda rows: f"?page_size={PAGE_SIZE}&country=BG",
        "sorted by creation": lambda rows: f"?page_size={PAGE_SIZE}&sort=-created_at",
        "search, Cyrillic (пловдив)": _search("пловдив"),
        "search, accents folded (krakow: Kraków)": _search("krakow"),
        "search, Greek, a part (θεσσαλον)": _search("θεσσαλον"),
        "search, Japanese (東京都)": _search("東京都"),
        "search, two characters (東京)": _search("東京"),
        "search, a fragment of many names (salo)": _search("salo"),
    }),
    Listed("tenders", "contracts", "/api/v1/tenders", "procurement", "services.contracts.store.models:Tender",
           _tender, {
               "first page": _first,
               "deep page (cursor)": After(_middle),
               "filtered by status": lambda rows: f"?page_size={PAGE_SIZE}&status=active",
               "sorted by value": lambda rows: f"?page_size={PAGE_SIZE}&sort=-value_amount",
               "sorted by title": lambda rows: f"?page_size={PAGE_SIZE}&sort=title",
           }, before=_plan_line),
    Listed("inbox", "notifications", "/api/v1/inbox", "protocol", "services.notifications.store.models:Notification",
           _notification, {
               "first page": _first,
               "deep page (cursor)": After(_middle),
               "unread only": lambda rows: f"?page_size={PAGE_SIZE}&unread=true",
               "oldest first": lambda rows: f"?page_size={PAGE_SIZE}&sort=created_at",
           }),
)}


def _config(service: str, workdir: Path, url: str, ns: str) -> dict[str, str]:
    return {"CHANCERY_ENV": "development", "CHANCERY_VAR_DIR": str(workdir), "CHANCERY_NAMESPACE": ns,
            "CHANCERY_JWT_SECRET": "", "CHANCERY_JWKS_URL": "", "CHANCERY_TRACES_EXPORTER": "none",
            "CHANCERY_LOG_LEVEL": "WARNING", "CHANCERY_RATE_LIMIT": "",
            "CHANCERY_AMQP_URL": "amqp://guest:guest@127.0.0.1:1//", f"{service.upper()}_DATABASE_URL": url}


@contextmanager
def _service(listed: Listed, kind: str, ns: str, workdir: Path) -> Iterator[tuple[Any, str, Any]]:
    """The service's app on a migrated scratch database: (test client, bearer token, engine to load rows with)."""
    app_module = import_module(f"services.{listed.service}.app")
    with ScratchDatabase(kind, f"{ns}_lists_{listed.name}", workdir) as database:
        config = _config(listed.service, workdir, database.url, ns)
        settings = load_settings(listed.service, config)
        upgrade(app_module.SPEC, settings)
        app = app_module.create_app(config)
        engine = create_engine(settings.database_url)
        try:
            yield app.test_client(), mint_development_token(settings, INBOX_OWNER, [listed.role]), engine
        finally:
            engine.dispose()
            app.extensions["chancery"].database.dispose()


def _load(engine: Any, listed: Listed, start: int, stop: int, chance: random.Random) -> None:
    table = listed.table
    if start == 0:
        with engine.begin() as connection:
            listed.before(connection)
    for first in range(start, stop, CHUNK):
        with engine.begin() as connection:
            connection.execute(insert(table), [listed.row(n, chance) for n in range(first, min(stop, first + CHUNK))])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM ANALYZE {table.name}"))


def _url(client: Any, token: str, listed: Listed, page: Page | After, size: int) -> str:
    if isinstance(page, After):
        before = client.get(listed.path + page.page(size), headers={"Authorization": f"Bearer {token}"}).json
        return before["next"]
    return listed.path + page(size)


def _timed(client: Any, url: str, token: str, repeats: int, budget: float) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):  # warm-up: the statement cache, the pages the database reads
        answer = client.get(url, headers=headers)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}: {answer.get_data(as_text=True)[:300]}")
    times: list[float] = []
    deadline = time.monotonic() + budget
    while len(times) < repeats and (len(times) < 3 or time.monotonic() < deadline):
        started = time.perf_counter()
        client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": rounded(percentile(times, 0.5), 2), "p99_ms": rounded(percentile(times, 0.99), 2),
            "samples": len(times)}


def _measure_list(listed: Listed, kind: str, ns: str, workdir: Path, sizes: list[int], repeats: int,
                  budget: float) -> dict[str, Any]:
    chance = random.Random(19)  # noqa: S311 - test data, the same in every run
    by_size: dict[int, dict[str, Any]] = {}
    with _service(listed, kind, ns, workdir) as (client, token, engine):
        loaded = 0
        for size in sizes:
            started = time.monotonic()
            _load(engine, listed, loaded, size, chance)
            loaded = size
            say(f"lists {kind} {listed.name}: {size:,} rows loaded in {time.monotonic() - started:.0f}s")
            by_size[size] = {name: _timed(client, _url(client, token, listed, page, size), token, repeats, budget)
                             for name, page in listed.pages.items()}
    smallest, largest = by_size[sizes[0]], by_size[sizes[-1]]
    ratios = {name: rounded(largest[name]["p99_ms"] / smallest[name]["p99_ms"], 2) for name in listed.pages}
    return {"sizes": {f"{size:,}": pages for size, pages in by_size.items()},
            "p99_ratio": ratios, "ratio_of": f"{sizes[-1]:,} / {sizes[0]:,}", "goal": f"<= {GOAL}",
            "met": all(ratio <= GOAL for ratio in ratios.values())}


def measure(kind: str, ns: str, workdir: Path, *, sizes: list[int], lists: list[str], repeats: int = 20,
            budget: float = 10.0) -> dict[str, Any]:
    results = {}
    for name in lists:
        results[name] = _measure_list(LISTS[name], kind, ns, workdir / f"lists-{kind}-{name}", sorted(sizes), repeats,
                                      budget)
        say(f"lists {kind} {name}: p99 ratios {results[name]['p99_ratio']}")
    return {"lists": results, "met": all(result["met"] for result in results.values())}
