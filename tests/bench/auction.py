"""Figure 5: electronic reverse auction bids accepted per second with 20 concurrent bidders, and p99 latency,
the real contracts web process against a bare Flask baseline doing the bid's database work (auction_baseline).

Both run under gunicorn with the production settings, each on its own scratch database of the same kind. The
contracts service gets its tender, 20 suppliers, their sealed bids and one auction per lot through its own API;
only the submission deadline is moved into the past in its database, instead of being waited for. In each
round the 20 bidders, released together, each place one valid bid in every auction of the round in the same
order, so they meet on the same auction row (locked by every bid). Rounds alternate baseline and subject; the
ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.client import HTTPConnection, HTTPException
from pathlib import Path

from sqlalchemy import update

from services.contracts.store.models import Tender
from shared.config import load_settings
from shared.db import Database
from shared.http.auth import mint_development_token
from tests.bench import auction_baseline
from tests.bench.support import Gunicorn, ScratchDatabase, median, migrate, percentile, rounded, say, service_env
from tests.support.processes import http

BIDDERS = 20
TARGET = 0.5
STEP = Decimal("10.00")
LOT_VALUE = Decimal("10000.00")


@dataclass
class Bidder:
    """One bidder's client: its own keep-alive connection, its latencies and answers."""

    port: int
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    connection: HTTPConnection | None = None

    def post(self, path: str, body: dict, headers: dict) -> None:
        started = time.perf_counter()
        for attempt in (1, 2):  # one reconnect if the server closed the kept-alive connection
            try:
                if self.connection is None:
                    self.connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.connection.request("POST", path, json.dumps(body), headers)
                response = self.connection.getresponse()
                response.read()
                status = response.status
                break
            except (OSError, HTTPException):
                self.connection = None
                if attempt == 2:
                    status = 0
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.statuses[status] = self.statuses.get(status, 0) + 1


def drive(port: int, requests_per_bidder: list[list[tuple[str, dict, dict]]]) -> dict:
    """Release every bidder at once; each sends its requests in order. Throughput counts 201s."""
    bidders = [Bidder(port) for _ in requests_per_bidder]
    barrier = threading.Barrier(len(bidders) + 1)

    def run(bidder: Bidder, requests: list) -> None:
        barrier.wait()
        for path, body, headers in requests:
            bidder.post(path, body, headers)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(bidders, requests_per_bidder, strict=True)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(120)
    elapsed = time.perf_counter() - started
    latencies = [ms for bidder in bidders for ms in bidder.latencies_ms]
    statuses: dict[int, int] = {}
    for bidder in bidders:
        for status, count in bidder.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    accepted = statuses.get(201, 0)
    return {"accepted_per_s": round(accepted / elapsed, 1), "p50_ms": rounded(percentile(latencies, 0.5), 2),
            "p99_ms": rounded(percentile(latencies, 0.99), 2), "accepted": accepted,
            "other_status": sum(count for status, count in statuses.items() if status != 201),
            "elapsed_s": round(elapsed, 2)}


class Contracts:
    """The real contracts web process, set up through its API as procurement staff."""

    def __init__(self, server: Gunicorn, database_url: str):
        self.server, self.database_url = server, database_url
        self.token = mint_development_token(load_settings("contracts", {"CHANCERY_ENV": "development"}), "bench",
                                            ["procurement"])

    def call(self, method: str, path: str, body=None) -> dict:
        answer = http(method, self.server.base_url + path, body, token=self.token, timeout=30)
        if answer.status not in (200, 201):
            raise RuntimeError(f"{method} {path}: {answer.status} {answer.body}")
        return answer.json

    def auctions(self, lots: int) -> tuple[list[str], list[str], dict[str, Decimal]]:
        """A reverse-auction tender of `lots` lots, every bidder's sealed bid on each, one running auction per lot.
        Answers the auction ids, the supplier ids and each supplier's sealed price."""
        line = self.call("POST", "/api/v1/plan-lines", {
            "title": "Bench: interpretation services", "budget": {"amount": str(LOT_VALUE * lots), "currency": "EUR"},
            "cpv_code": "79540000-1", "procurement_method": "reverse_auction", "planned_tender_on": "2027-01-15",
            "planned_delivery_by": "2027-05-28", "programme": "Bench"})
        self.call("POST", f"/api/v1/plan-lines/{line['id']}/approve", {})
        now = datetime.now(UTC).replace(microsecond=0)
        tender = self.call("POST", "/api/v1/tenders", {
            "plan_line_id": line["id"], "title": "Bench auction", "main_procurement_category": "services",
            "value": {"amount": str(LOT_VALUE * lots), "currency": "EUR"},
            "minimum_step": {"amount": str(STEP), "currency": "EUR"},
            "enquiry_ends_at": (now + timedelta(hours=1)).isoformat(),
            "submission_deadline": (now + timedelta(hours=2)).isoformat(),
            "lots": [{"title": f"Lot {n}", "value": {"amount": str(LOT_VALUE), "currency": "EUR"}}
                     for n in range(1, lots + 1)]})
        tender = self.call("POST", f"/api/v1/tenders/{tender['id']}/publish", {})
        suppliers = [self.call("POST", "/api/v1/suppliers", {
            "legal_name": f"Bench Bidder {n}", "country": "DE", "identifier": {"scheme": "DE-CR", "id": f"HRB {n}"}})
            ["id"] for n in range(BIDDERS)]
        prices = {supplier: LOT_VALUE - 100 - n for n, supplier in enumerate(suppliers)}
        for lot in tender["lots"]:
            for supplier in suppliers:
                self.call("POST", f"/api/v1/tenders/{tender['id']}/bids", {
                    "supplier_id": supplier, "lot_id": lot["id"],
                    "value": {"amount": str(prices[supplier]), "currency": "EUR"}})
        self.pass_the_deadline(tender["id"])
        auctions = [self.call("POST", f"/api/v1/tenders/{tender['id']}/auctions", {
            "lot_id": lot["id"], "starts_at": datetime.now(UTC).isoformat(), "rounds": 1, "round_seconds": 3600})["id"]
            for lot in tender["lots"]]
        return auctions, suppliers, prices

    def pass_the_deadline(self, tender_id: str) -> None:
        database = Database(self.database_url)
        with database.session() as session:
            session.execute(update(Tender).where(Tender.id == tender_id)
                            .values(submission_deadline=datetime.now(UTC) - timedelta(seconds=1)))
        database.engine.dispose()
        database.reader_engine.dispose()


def measure(kind: str, ns: str, workdir: Path, *, rounds: int, lots_per_round: int = 10) -> dict:
    workdir = workdir / f"auction-{kind}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    lots = rounds * lots_per_round
    with ScratchDatabase(kind, f"{ns}_contracts", workdir) as subject_db, \
            ScratchDatabase(kind, f"{ns}_auction_baseline", workdir) as baseline_db:
        subject_env = service_env("contracts", ns, workdir, subject_db.url)
        migrate("contracts", subject_env)
        baseline_env = {**service_env("contracts", ns, workdir, baseline_db.url),
                        "BENCH_DATABASE_URL": baseline_db.url}
        baseline_env.pop("PROMETHEUS_MULTIPROC_DIR")
        subject = Gunicorn("contracts-web", "services.contracts.app:create_app()", subject_env, workdir)
        baseline = Gunicorn("auction-baseline-web", "tests.bench.auction_baseline:create_app()", baseline_env,
                            workdir)
        try:
            subject.start()
            say(f"auction {kind}: setting up {lots} auctions of {BIDDERS} bidders through the contracts API")
            auctions, suppliers, prices = Contracts(subject, subject_db.url).auctions(lots)
            auction_baseline.create_auctions(baseline_db.url, {auction: {s: prices[s] for s in suppliers}
                                                               for auction in auctions}, STEP)
            baseline.start()
            token = Contracts(subject, subject_db.url).token
            runs: dict[str, list[dict]] = {"subject": [], "baseline": []}
            for number in range(rounds):
                batch = auctions[number * lots_per_round:(number + 1) * lots_per_round]
                order = ("baseline", "subject") if number % 2 == 0 else ("subject", "baseline")
                for role in order:
                    server = subject if role == "subject" else baseline
                    result = drive(server.port, [bids(role, batch, supplier, prices[supplier], token)
                                                 for supplier in suppliers])
                    if result["accepted"] != len(batch) * BIDDERS:
                        raise RuntimeError(f"{role} accepted {result['accepted']} of {len(batch) * BIDDERS} bids")
                    runs[role].append(result)
                    say(f"auction {kind} round {number + 1}/{rounds} {role}: {result['accepted_per_s']} bids/s "
                        f"p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms")
        finally:
            subject.stop()
            baseline.stop()
    ratios = [s["accepted_per_s"] / b["accepted_per_s"]
              for s, b in zip(runs["subject"], runs["baseline"], strict=True) if b["accepted_per_s"]]
    ratio = median(ratios)
    return {
        "bidders": BIDDERS, "auctions_per_round": lots_per_round,
        "subject": summarize(runs["subject"]), "baseline": summarize(runs["baseline"]),
        "ratio": rounded(ratio), "ratio_per_round": [round(r, 3) for r in ratios],
        "target": f">= {TARGET}", "met": ratio is not None and ratio >= TARGET,
    }


def bids(role: str, auctions: list[str], supplier: str, price: Decimal, token: str) -> list[tuple[str, dict, dict]]:
    """One bidder's requests: one valid bid (its sealed price less the step) in each auction, in order."""
    amount = str(price - STEP)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if role == "baseline":
        return [(f"/auctions/{auction}/bids", {"bidder": supplier, "amount": amount}, headers) for auction in auctions]
    headers["Authorization"] = f"Bearer {token}"
    return [(f"/api/v1/auctions/{auction}/bids", {"supplier_id": supplier,
                                                  "value": {"amount": amount, "currency": "EUR"}}, headers)
            for auction in auctions]


def summarize(runs: list[dict]) -> dict:
    return {"accepted_per_s": round(median([r["accepted_per_s"] for r in runs]), 1),
            "p50_ms": round(median([r["p50_ms"] for r in runs]), 2),
            "p99_ms": round(median([r["p99_ms"] for r in runs]), 2),
            "accepted": sum(r["accepted"] for r in runs), "other_status": sum(r["other_status"] for r in runs),
            "rounds": runs}
