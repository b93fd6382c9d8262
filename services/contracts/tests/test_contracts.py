"""Contracts: signed by both sides, milestones with due dates, amendments with a rationale, exact payments."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.domain.contract import (
    CONTRACT_LIFECYCLE,
    ContractProblem,
    ContractStatus,
    Party,
    is_overdue,
    sign,
)
from services.contracts.domain.contract import MilestoneStatus as M
from services.contracts.tests.helpers import assert_problem, created, outbox, post
from services.contracts.tests.test_awards import DEADLINE, open_tender_with_bids

C = ContractStatus
CONTRACT = {"title": "Venue and services for the Forum 2027", "period_start": "2027-03-15",
            "period_end": "2027-06-30", "buyer_signatory": "Deputy Mayor for International Relations",
            "supplier_signatory": "Managing Director"}


@given(st.lists(st.sampled_from([*CONTRACT_LIFECYCLE.transitions, "sign-buyer", "sign-supplier"]), max_size=10))
def test_a_contract_is_active_exactly_when_both_sides_signed_and_closed_states_stay_closed(actions):
    status, signed = C.PENDING, {Party.BUYER: None, Party.SUPPLIER: None}
    for action in actions:
        before = status
        try:
            if action.startswith("sign-"):
                party = Party(action.removeprefix("sign-"))
                status = sign(status, signed, party)
                signed[party] = date(2027, 3, 10)
            else:
                status = CONTRACT_LIFECYCLE.next_status(status, action, "why")
        except (ContractProblem, Exception) as refused:
            assert status == before, refused
        assert (status == C.ACTIVE) <= all(signed.values())
        if before in (C.CANCELLED, C.TERMINATED):
            assert status == before


def test_a_scheduled_milestone_past_its_due_date_is_overdue_and_a_met_one_never_is():
    assert is_overdue(M.SCHEDULED, date(2027, 5, 1), date(2027, 5, 2))
    assert not is_overdue(M.SCHEDULED, date(2027, 5, 1), date(2027, 5, 1))
    assert not is_overdue(M.MET, date(2027, 5, 1), date(2028, 1, 1))


def active_award(contracts, clock, prices=("171000.00",)):
    tender, _ = open_tender_with_bids(contracts, clock, list(prices))
    clock.at = DEADLINE
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {"standstill_days": 0}).json
    assert post(contracts, f"/api/v1/awards/{award['id']}/activate").status_code == 200
    return award


def signed_contract(contracts, clock):
    award = active_award(contracts, clock)
    contract = created(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]}).json
    for party in ("buyer", "supplier"):
        post(contracts, f"/api/v1/contracts/{contract['id']}/sign", {"party": party, "signed_on": "2027-03-10"})
    return contracts.call("GET", f"/api/v1/contracts/{contract['id']}").json


def test_a_contract_takes_the_awards_supplier_and_value_and_is_active_once_both_sides_sign(contracts, clock):
    award = active_award(contracts, clock)
    contract = created(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]}).json
    assert contract["status"] == "pending" and contract["supplier_id"] == award["supplier_id"]
    assert contract["value"] == {"amount": "171000.00", "currency": "EUR"}
    path = f"/api/v1/contracts/{contract['id']}/sign"
    half = post(contracts, path, {"party": "supplier", "signed_on": "2027-03-09"}).json
    assert half["status"] == "pending" and half["supplier_signed_on"] == "2027-03-09"
    assert_problem(post(contracts, path, {"party": "supplier", "signed_on": "2027-03-09"}), 409)
    both = post(contracts, path, {"party": "buyer", "signed_on": "2027-03-10"}).json
    assert both["status"] == "active"
    signed_events = [data for event_type, data in outbox(contracts) if event_type.endswith("contract.signed.v1")]
    assert [data["status"] for data in signed_events] == ["pending", "active"]
    assert all("Deputy Mayor" not in str(data) for data in signed_events)


def test_a_contract_needs_an_active_award_and_only_one_per_award(contracts, clock):
    tender, _ = open_tender_with_bids(contracts, clock, ["100.00"])
    clock.at = DEADLINE
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {"standstill_days": 0}).json
    assert_problem(post(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]}), 409)
    post(contracts, f"/api/v1/awards/{award['id']}/activate")
    created(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]})
    assert_problem(post(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]}), 409)


def test_payments_add_up_exactly_and_never_beyond_the_value(contracts, clock):
    contract = signed_contract(contracts, clock)
    path = f"/api/v1/contracts/{contract['id']}/payments"
    for amount in ("0.10", "0.20", "85499.70"):
        created(contracts, path, {"value": {"amount": amount, "currency": "EUR"}, "paid_on": "2027-04-01",
                                  "reference": f"PO-{amount}"})
    state = contracts.call("GET", f"/api/v1/contracts/{contract['id']}").json["implementation"]
    assert state["paid"]["amount"] == "85500.00" and state["remaining"]["amount"] == "85500.00"
    too_much = post(contracts, path, {"value": {"amount": "85500.01", "currency": "EUR"}, "paid_on": "2027-07-01",
                                      "reference": "PO-9"})
    assert "85500.00 remains" in assert_problem(too_much, 422, "value.amount")["detail"]
    created(contracts, path, {"value": {"amount": "85500.00", "currency": "EUR"}, "paid_on": "2027-07-01",
                              "reference": "PO-10"})
    assert contracts.call("GET", path).json["total"] == 4


def test_an_unsigned_contract_takes_no_payment(contracts, clock):
    award = active_award(contracts, clock)
    contract = created(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]}).json
    response = post(contracts, f"/api/v1/contracts/{contract['id']}/payments",
                    {"value": {"amount": "1.00", "currency": "EUR"}, "paid_on": "2027-04-01", "reference": "PO-1"})
    assert assert_problem(response, 409)["allowed_actions"] == ["cancel"]


def test_milestones_fall_overdue_on_the_frozen_clock_and_a_missed_one_needs_a_reason(contracts, clock):
    contract = signed_contract(contracts, clock)
    path = f"/api/v1/contracts/{contract['id']}/milestones"
    delivery = created(contracts, path, {"title": "Venue ready", "type": "delivery", "due_on": "2027-05-20"}).json
    report = created(contracts, path, {"title": "Final report", "type": "reporting", "due_on": "2027-07-15"}).json
    assert delivery["overdue"] is False
    clock.at = clock.at.replace(year=2027, month=5, day=21)
    overdue = contracts.call("GET", f"{path}?overdue=true").json["items"]
    assert [m["id"] for m in overdue] == [delivery["id"]]
    assert contracts.call("GET", f"/api/v1/contracts/{contract['id']}").json["implementation"][
        "milestones_overdue"] == 1
    met = post(contracts, f"{path}/{delivery['id']}/meet", {"on": "2027-05-21"}).json
    assert met["status"] == "met" and met["overdue"] is False
    assert_problem(post(contracts, f"{path}/{report['id']}/miss"), 422, "reason")
    missed = post(contracts, f"{path}/{report['id']}/miss", {"reason": "The supplier went bankrupt"}).json
    assert missed["status"] == "notMet"


def test_an_amendment_records_its_rationale_and_what_changed_but_cannot_go_below_what_was_paid(contracts, clock):
    contract = signed_contract(contracts, clock)
    post(contracts, f"/api/v1/contracts/{contract['id']}/payments",
         {"value": {"amount": "100000.00", "currency": "EUR"}, "paid_on": "2027-04-01", "reference": "PO-1"})
    path = f"/api/v1/contracts/{contract['id']}/amendments"
    low = post(contracts, path, {"rationale": "Smaller venue", "value": {"amount": "99999.99", "currency": "EUR"}})
    assert_problem(low, 422, "value.amount")
    amendment = created(contracts, path, {"rationale": "The forum was extended by a day",
                                          "value": {"amount": "178000.00", "currency": "EUR"},
                                          "period_end": "2027-07-15"}).json
    assert amendment["changes"] == {"value": ["171000.00", "178000.00"], "period_end": ["2027-06-30", "2027-07-15"]}
    after = contracts.call("GET", f"/api/v1/contracts/{contract['id']}").json
    assert after["value"]["amount"] == "178000.00" and after["period_end"] == "2027-07-15"
    assert_problem(post(contracts, path, {"rationale": "Nothing really"}), 422)


def test_terminating_needs_a_reason_and_a_terminated_contract_is_closed(contracts, clock):
    contract = signed_contract(contracts, clock)
    path = f"/api/v1/contracts/{contract['id']}"
    assert_problem(post(contracts, f"{path}/terminate"), 422, "reason")
    ended = post(contracts, f"{path}/terminate", {"reason": "The forum was cancelled"}).json
    assert ended["status"] == "terminated" and ended["allowed_actions"] == []
    late = post(contracts, f"{path}/amendments", {"rationale": "x", "title": "Other"})
    assert_problem(late, 409)


def test_completing_a_contract_records_it_as_completed(contracts, clock):
    contract = signed_contract(contracts, clock)
    done = post(contracts, f"/api/v1/contracts/{contract['id']}/complete").json
    assert (done["status"], done["status_reason"]) == ("terminated", "completed")
    assert outbox(contracts)[-1][0] == "chancery.contracts.contract.completed.v1"


@pytest.mark.parametrize("roles", ["protocol", "travel", "outreach", "mayor-office"])
def test_contracts_are_visible_only_to_procurement(contracts, roles):
    assert contracts.call("GET", "/api/v1/contracts", roles=roles).status_code == 403
