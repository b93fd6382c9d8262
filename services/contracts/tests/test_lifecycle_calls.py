"""No sequence of API calls, legal or not, brings a tender or a contract into a state its lifecycle does not
allow: hypothesis drives the real API (on SQLite, with a frozen clock) and checks every answer against the
lifecycle tables of the domain."""

import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from conftest import ServiceUnderTest, unit_settings_overrides
from services.contracts.app import SPEC, create_app
from services.contracts.domain.contract import CONTRACT_LIFECYCLE, ContractStatus, Party
from services.contracts.domain.tender import TENDER_LIFECYCLE, TenderStatus
from services.contracts.tests.conftest import FrozenClock
from services.contracts.tests.helpers import PLAN_LINE, SUPPLIER, TENDER
from services.contracts.tests.test_contracts import CONTRACT
from shared.config import load_settings
from shared.kit.lifecycle import IllegalTransition, MissingReason
from shared.migrations import upgrade

BEFORE_DEADLINE = datetime(2027, 2, 5, 9, 0, tzinfo=UTC)  # the enquiry period (TENDER) still open
AFTER_DEADLINE = datetime(2027, 2, 21, 9, 0, tzinfo=UTC)
reasons = st.one_of(st.none(), st.just(""), st.just("   "), st.sampled_from(["budget cut", "complaint upheld"]))
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200000.00"), places=2)


@cache
def contracts_service() -> tuple[ServiceUnderTest, FrozenClock]:
    """One app for every generated sequence: each sequence works on a tender or contract of its own."""
    directory = Path(tempfile.mkdtemp(prefix="contracts-lifecycle-"))
    config = {**unit_settings_overrides("contracts", directory), "CHANCERY_RATE_LIMIT": ""}  # faster than staff
    upgrade(SPEC, load_settings("contracts", config))
    app = create_app(config)
    clock = FrozenClock(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    app.extensions["chancery"].clock = clock
    return ServiceUnderTest("contracts", app, app.test_client(), load_settings("contracts", config)), clock


def call(api, method, path, body=None):
    return api.call(method, path, body, roles="procurement")


def expected(lifecycle, status, action, reason):
    """The status the lifecycle leads to, or the HTTP status of the refusal: a reason the action requires is
    stated by its request body's schema, so its absence is refused whatever the status (decision 0082)."""
    if action in lifecycle.reason_required and not (reason or "").strip():
        return 422
    try:
        return lifecycle.next_status(status, action, reason)
    except IllegalTransition:
        return 409
    except MissingReason:
        return 422


def body_with(reason):
    return {"reason": reason} if reason is not None else {}


class TenderThroughTheApi(RuleBasedStateMachine):
    @initialize()
    def prepare_tender(self):
        self.api, self.clock = contracts_service()
        self.clock.at = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
        line = call(self.api, "POST", "/api/v1/plan-lines", {**PLAN_LINE, "procurement_method": "open"}).json
        call(self.api, "POST", f"/api/v1/plan-lines/{line['id']}/approve")
        tender = call(self.api, "POST", "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"],
                                                            "minimum_step": None})
        assert tender.status_code == 201, tender.json
        self.tender_id, self.status, self.bids, self.suppliers = tender.json["id"], TenderStatus.PLANNING, 0, 0

    @rule(action=st.sampled_from(sorted(TENDER_LIFECYCLE.transitions)), reason=reasons)
    def transition(self, action, reason):
        response = call(self.api, "POST", f"/api/v1/tenders/{self.tender_id}/{action}", body_with(reason))
        target = expected(TENDER_LIFECYCLE, self.status, action, reason)
        if action == "publish" and target == TenderStatus.ACTIVE and self.clock.at == AFTER_DEADLINE:
            target = 422  # too late: the enquiry period must still be open when a tender is published
        if isinstance(target, int):
            assert response.status_code == target, response.json
        else:
            assert response.status_code == 200, response.json
            assert response.json["status"] == target.value
            self.status = target

    @rule(after_deadline=st.booleans())
    def bid(self, after_deadline):
        self.clock.at = AFTER_DEADLINE if after_deadline else BEFORE_DEADLINE
        self.suppliers += 1
        supplier = call(self.api, "POST", "/api/v1/suppliers", {
            **SUPPLIER, "identifier": {"scheme": "DE-CR", "id": f"HRB {self.tender_id[:8]}-{self.suppliers}"}}).json
        response = call(self.api, "POST", f"/api/v1/tenders/{self.tender_id}/bids", {
            "supplier_id": supplier["id"], "value": {"amount": "100000.00", "currency": "EUR"}})
        if self.status == TenderStatus.ACTIVE and not after_deadline:
            assert response.status_code == 201, response.json
            self.bids += 1
        else:
            assert response.status_code in (409, 422), response.json

    @invariant()
    def the_tender_is_where_the_lifecycle_put_it_with_the_bids_taken(self):
        tender = call(self.api, "GET", f"/api/v1/tenders/{self.tender_id}").json
        assert tender["status"] == self.status.value
        assert tender["allowed_actions"] == TENDER_LIFECYCLE.allowed_actions(self.status)
        assert call(self.api, "GET", f"/api/v1/tenders/{self.tender_id}/bids").json["total"] == self.bids


class ContractThroughTheApi(RuleBasedStateMachine):
    @initialize()
    def draft_contract(self):
        self.api, self.clock = contracts_service()
        self.clock.at = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
        line = call(self.api, "POST", "/api/v1/plan-lines", {**PLAN_LINE, "procurement_method": "open"}).json
        call(self.api, "POST", f"/api/v1/plan-lines/{line['id']}/approve")
        tender = call(self.api, "POST", "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"],
                                                            "minimum_step": None}).json
        call(self.api, "POST", f"/api/v1/tenders/{tender['id']}/publish")
        supplier = call(self.api, "POST", "/api/v1/suppliers", {
            **SUPPLIER, "identifier": {"scheme": "DE-CR", "id": f"HRB {tender['id'][:8]}"}}).json
        call(self.api, "POST", f"/api/v1/tenders/{tender['id']}/bids",
             {"supplier_id": supplier["id"], "value": {"amount": "171000.00", "currency": "EUR"}})
        self.clock.at = AFTER_DEADLINE
        award = call(self.api, "POST", f"/api/v1/tenders/{tender['id']}/awards", {"standstill_days": 0}).json
        call(self.api, "POST", f"/api/v1/awards/{award['id']}/activate")
        contract = call(self.api, "POST", "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]})
        assert contract.status_code == 201, contract.json
        self.contract_id, self.status = contract.json["id"], ContractStatus.PENDING
        self.signed: dict[Party, date | None] = {Party.BUYER: None, Party.SUPPLIER: None}
        self.value, self.paid = Decimal("171000.00"), Decimal("0.00")

    def path(self, suffix=""):
        return f"/api/v1/contracts/{self.contract_id}{suffix}"

    @rule(action=st.sampled_from(sorted(CONTRACT_LIFECYCLE.transitions)), reason=reasons)
    def transition(self, action, reason):
        response = call(self.api, "POST", self.path(f"/{action}"), body_with(reason))
        target = expected(CONTRACT_LIFECYCLE, self.status, action, reason)
        if isinstance(target, int):
            assert response.status_code == target, response.json
        else:
            assert response.status_code == 200, response.json
            self.status = target

    @rule(party=st.sampled_from(list(Party)))
    def sign(self, party):
        response = call(self.api, "POST", self.path("/sign"), {"party": party.value, "signed_on": "2027-03-10"})
        if self.status != ContractStatus.PENDING or self.signed[party]:
            assert response.status_code == 409, response.json
            return
        assert response.status_code == 200, response.json
        self.signed[party] = date(2027, 3, 10)
        if all(self.signed.values()):
            self.status = ContractStatus.ACTIVE

    @rule(amount=amounts)
    def pay(self, amount):
        response = call(self.api, "POST", self.path("/payments"), {
            "value": {"amount": str(amount), "currency": "EUR"}, "paid_on": "2027-04-01",
            "reference": f"PO-{self.paid}-{amount}"})  # a payment order's number is used once on a contract
        if self.status != ContractStatus.ACTIVE:
            assert response.status_code == 409, response.json
        elif self.paid + amount > self.value:
            assert response.status_code == 422, response.json
        else:
            assert response.status_code == 201, response.json
            self.paid += amount

    @rule(amount=amounts)
    def amend_the_value(self, amount):
        response = call(self.api, "POST", self.path("/amendments"), {
            "rationale": "Scope changed", "value": {"amount": str(amount), "currency": "EUR"}})
        if self.status not in (ContractStatus.PENDING, ContractStatus.ACTIVE):
            assert response.status_code == 409, response.json
        elif amount < self.paid:
            assert response.status_code == 422, response.json
        elif amount == self.value:
            assert response.status_code in (201, 422), response.json  # nothing changes: may be refused
        else:
            assert response.status_code == 201, response.json
            self.value = amount

    @invariant()
    def the_contract_is_where_its_signatures_and_lifecycle_put_it_and_never_paid_beyond_its_value(self):
        contract = call(self.api, "GET", self.path()).json
        assert contract["status"] == self.status.value
        assert Decimal(contract["value"]["amount"]) == self.value
        assert Decimal(contract["implementation"]["paid"]["amount"]) == self.paid <= self.value
        assert (self.status == ContractStatus.ACTIVE) <= all(self.signed.values())


TenderThroughTheApi.TestCase.settings = settings(max_examples=25, stateful_step_count=10, deadline=None)
ContractThroughTheApi.TestCase.settings = settings(max_examples=20, stateful_step_count=12, deadline=None)
test_no_sequence_of_calls_brings_a_tender_outside_its_lifecycle = TenderThroughTheApi.TestCase
test_no_sequence_of_calls_brings_a_contract_outside_its_lifecycle = ContractThroughTheApi.TestCase
