"""Steady load on all five services' APIs, every successful write entered in the ledger."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from services.trips.api.trip_schemas import TRIP_EXAMPLE
from tests.support.ledger import Ledger
from tests.support.processes import VISIT, Http, Suite

PLAN_LINE = {"title": "Interpretation for the Forum of Twin Cities",
             "budget": {"amount": "18500.00", "currency": "EUR"}, "cpv_code": "79950000-8",
             "procurement_method": "open", "planned_tender_on": "2027-02-01",
             "planned_delivery_by": "2027-06-15", "programme": "International Forum of Twin Cities 2027"}
INVITATION = {"title": "Days of Sofia", "inviting_party": "Mayor of Sofia", "country": "BG", "city": "Sofia",
              "location": "abroad", "starts_on": "2027-05-20", "ends_on": "2027-05-23", "received_on": "2027-03-01"}


@dataclass(frozen=True)
class Operation:
    """One kind of write: where it goes, who may make it, and where the record it creates is stored."""

    service: str
    table: str
    path: str
    roles: str
    body: Callable[[int, str], dict]  # (sequence number, partner id) -> body
    emits: bool = True


OPERATIONS = (
    Operation("visits", "visits", "/api/v1/visits", "protocol",
              lambda n, partner: {**VISIT, "delegation_name": f"Delegation {n}", "partner_id": partner}),
    # Not to Sofia at the invitations' dates: each would then match every trip drafted from an invitation, and
    # trips would announce a coordination per pair, quadratic in a load that no office has (decision 0027).
    Operation("trips", "trips", "/api/v1/trips", "travel",
              lambda n, partner: {**TRIP_EXAMPLE, "title": f"Trip {n}", "invitation_id": None, "partner_id": partner,
                                  "destinations": [{"country": "AT", "city": "Vienna"}]}),
    Operation("contracts", "plan_lines", "/api/v1/plan-lines", "procurement",
              lambda n, partner: {**PLAN_LINE, "title": f"{PLAN_LINE['title']} {n}"}),
    Operation("outreach", "partners", "/api/v1/partners", "outreach",
              lambda n, partner: {"kind": "city", "name": f"Partner city {n} {uuid.uuid4().hex[:6]}", "country": "FR"}),
    # Subscriptions record no event: the ledger checks that each one is stored.
    Operation("notifications", "subscriptions", "/api/v1/subscriptions", "protocol",
              lambda n, partner: {"pattern": f"chancery.visits.n{n}-{uuid.uuid4().hex[:6]}.#"}, emits=False),
)
INVITATION_EVERY = 4  # every fourth visits write is an invitation accepted abroad, which trips drafts


class SteadyLoad:
    """One thread per service, each writing every `interval` seconds until `stop()`.

    A write that succeeds goes into the ledger; one that does not is counted by (service, status,
    content type, whether it said Retry-After), so that a test can tell a 503 from a 500.
    """

    def __init__(self, suite: Suite, ledger: Ledger, partner_id: str, interval: float = 1.0,
                 timeout: float = 10):
        self.suite, self.ledger, self.partner_id = suite, ledger, partner_id
        self.interval, self.timeout = interval, timeout
        self.refusals: Counter = Counter()
        self.successes: Counter = Counter()
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(operation,), name=f"load-{operation.service}",
                                          daemon=True) for operation in OPERATIONS]

    def __enter__(self) -> SteadyLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout * 3)
        assert not any(thread.is_alive() for thread in self._threads), "a load thread hangs"

    def run_for(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def _run(self, operation: Operation) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            number = next(self._numbers)
            if operation.service == "visits" and number % INVITATION_EVERY == 0:
                self._invite_and_accept(number)
            else:
                self._write(operation, number)
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def _post(self, service: str, path: str, body: dict, roles: str) -> Http:
        return self.suite.call("POST", service, path, body, roles=roles, sub="load", timeout=self.timeout)

    def _write(self, operation: Operation, number: int) -> None:
        answer = self._post(operation.service, operation.path, operation.body(number, self.partner_id),
                            operation.roles)
        if self._counted(operation.service, answer, 201):
            self.ledger.wrote(operation.service, operation.table, answer.json["id"], operation.emits)

    def _invite_and_accept(self, number: int) -> None:
        received = self._post("visits", "/api/v1/invitations", {**INVITATION, "title": f"Days of Sofia {number}"},
                              "protocol")
        if not self._counted("visits", received, 201):
            return
        invitation_id = received.json["id"]
        self.ledger.wrote("visits", "invitations", invitation_id)
        reviewed = self._post("visits", f"/api/v1/invitations/{invitation_id}/review", {}, "protocol")
        if not self._counted("visits", reviewed, 200):
            return
        accepted = self._post("visits", f"/api/v1/invitations/{invitation_id}/accept",
                              {"official": f"Deputy Mayor {number}"}, "mayor-office")
        if self._counted("visits", accepted, 200):
            self.ledger.accepted_abroad(invitation_id)

    def _counted(self, service: str, answer: Http, success: int) -> bool:
        with self._lock:
            if answer.status == success:
                self.successes[service] += 1
                return True
            self.refusals[(service, answer.status, answer.headers.get("content-type"),
                           "retry-after" in answer.headers)] += 1
            return False

    def statuses(self) -> set[int]:
        return {status for (_, status, _, _) in self.refusals}
