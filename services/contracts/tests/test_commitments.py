"""Commitments to foreign investors and economic agents: fulfilment with evidence, breaches, due and overdue."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.domain.commitment import COMMITMENT_LIFECYCLE, CommitmentStatus, is_due_soon, is_overdue
from services.contracts.tasks import announce_due_and_overdue_commitments
from services.contracts.tests.helpers import assert_problem, audit_records, created, outbox, post
from shared.uow import worker_unit_of_work

K = CommitmentStatus
COMMITMENT = {
    "obligation": "Connect the Nordtech Logistics site in the Tech Park to the district heating network",
    "counterparty_name": "Nordtech Logistics AB", "counterparty_kind": "investor", "country": "SE",
    "responsible_body": "Municipal Infrastructure Directorate", "due_on": "2027-09-30",
    "value": {"amount": "420000.00", "currency": "EUR"},
}


@given(st.sampled_from(list(K)), st.dates(date(2027, 1, 1), date(2028, 12, 31)), st.integers(0, 60))
def test_only_an_open_commitment_is_ever_due_or_overdue_and_never_both(status, today, notice):
    due_on = date(2027, 9, 30)
    due, late = is_due_soon(status, due_on, today, notice), is_overdue(status, due_on, today)
    assert not (due and late)
    if status != K.OPEN:
        assert not due and not late
    else:
        assert late == (today > due_on)


def test_a_breached_commitment_may_still_be_fulfilled_but_a_fulfilled_one_is_closed():
    assert COMMITMENT_LIFECYCLE.allowed_actions(K.BREACHED) == ["fulfil"]
    assert COMMITMENT_LIFECYCLE.allowed_actions(K.FULFILLED) == []


def run_sweep(contracts, at):
    service = contracts.app.extensions["chancery"]
    with service.database.session() as session:
        announce_due_and_overdue_commitments(worker_unit_of_work(service, session, "due-commitments"), at)


def announced(contracts, action):
    return [data["id"] for event_type, data in outbox(contracts)
            if event_type == f"chancery.contracts.commitment.{action}.v1"]


def test_a_registered_commitment_carries_the_counterpartys_country_and_partner_in_its_event(contracts):
    body = created(contracts, "/api/v1/commitments", COMMITMENT).json
    assert body["status"] == "open" and body["value"] == {"amount": "420000.00", "currency": "EUR"}
    [(event_type, data)] = outbox(contracts)
    assert event_type == "chancery.contracts.commitment.registered.v1"
    assert data["country"] == "SE" and data["partner_id"] is None


def test_due_then_overdue_are_announced_once_each_on_a_frozen_clock(contracts, clock):
    body = created(contracts, "/api/v1/commitments", COMMITMENT).json
    clock.at = datetime(2027, 8, 30, tzinfo=UTC)  # 31 days before: not yet due
    run_sweep(contracts, clock.at)
    assert announced(contracts, "due") == []
    clock.at = datetime(2027, 8, 31, tzinfo=UTC)
    run_sweep(contracts, clock.at)
    run_sweep(contracts, clock.at)
    assert announced(contracts, "due") == [body["id"]]
    listed = contracts.call("GET", "/api/v1/commitments?due_within_days=30").json["items"]
    assert [(c["id"], c["due_soon"], c["overdue"]) for c in listed] == [(body["id"], True, False)]
    clock.at = datetime(2027, 10, 1, tzinfo=UTC)
    run_sweep(contracts, clock.at)
    run_sweep(contracts, clock.at)
    assert announced(contracts, "overdue") == [body["id"]]
    overdue = contracts.call("GET", "/api/v1/commitments?overdue=true").json["items"]
    assert [c["id"] for c in overdue] == [body["id"]]
    assert {"commitment.due", "commitment.overdue"} <= {r["action"] for r in audit_records(contracts, body["id"])}


def test_moving_the_due_date_arms_the_notices_again(contracts, clock):
    body = created(contracts, "/api/v1/commitments", COMMITMENT).json
    clock.at = datetime(2027, 10, 1, tzinfo=UTC)
    run_sweep(contracts, clock.at)
    contracts.call("PATCH", f"/api/v1/commitments/{body['id']}", {"due_on": "2027-10-15"}, roles="procurement")
    run_sweep(contracts, clock.at)
    assert announced(contracts, "overdue") == [body["id"]] and announced(contracts, "due") == [body["id"]]


def test_fulfilment_needs_evidence_and_ends_the_overdue_state(contracts, clock):
    body = created(contracts, "/api/v1/commitments", COMMITMENT).json
    path = f"/api/v1/commitments/{body['id']}"
    assert_problem(post(contracts, f"{path}/fulfil", {"fulfilled_on": "2027-10-02"}), 422, "evidence")
    clock.at = datetime(2027, 10, 3, tzinfo=UTC)
    done = post(contracts, f"{path}/fulfil", {"fulfilled_on": "2027-10-02",
                                              "evidence": "Commissioning certificate No. 114/2027"}).json
    assert (done["status"], done["overdue"], done["evidence"]) == ("fulfilled", False,
                                                                   "Commissioning certificate No. 114/2027")
    run_sweep(contracts, clock.at)
    assert announced(contracts, "overdue") == []


def test_a_breach_is_recorded_with_its_reason_and_can_be_cured_by_late_fulfilment(contracts):
    body = created(contracts, "/api/v1/commitments", COMMITMENT).json
    path = f"/api/v1/commitments/{body['id']}"
    assert_problem(post(contracts, f"{path}/breach"), 422, "reason")
    breached = post(contracts, f"{path}/breach", {"reason": "Budget for the connection was not adopted"}).json
    assert breached["status"] == "breached" and breached["allowed_actions"] == ["fulfil"]
    assert_problem(contracts.call("PATCH", path, {"due_on": "2028-01-01"}, roles="procurement"), 409)
    late = post(contracts, f"{path}/fulfil", {"fulfilled_on": "2028-02-01", "evidence": "Act 7/2028"})
    assert late.json["status"] == "fulfilled"


def test_a_commitment_naming_an_unknown_agreement_is_refused(contracts):
    assert_problem(post(contracts, "/api/v1/commitments", {**COMMITMENT, "agreement_id": "nope"}), 404)


@pytest.mark.parametrize("roles", ["outreach", "mayor-office"])
def test_outreach_and_the_mayors_office_read_the_commitments_register_and_only_procurement_writes_it(contracts,
                                                                                                     roles):
    commitment = created(contracts, "/api/v1/commitments", COMMITMENT).json
    listed = contracts.call("GET", "/api/v1/commitments", roles=roles)
    assert listed.status_code == 200 and [item["id"] for item in listed.json["items"]] == [commitment["id"]]
    assert contracts.call("GET", f"/api/v1/commitments/{commitment['id']}", roles=roles).status_code == 200
    assert post(contracts, "/api/v1/commitments", COMMITMENT, roles=roles).status_code == 403
    assert post(contracts, f"/api/v1/commitments/{commitment['id']}/cancel", {"reason": "x"},
                roles=roles).status_code == 403


@pytest.mark.parametrize("roles", ["protocol", "travel"])
def test_the_commitments_register_is_closed_to_protocol_and_travel(contracts, roles):
    assert contracts.call("GET", "/api/v1/commitments", roles=roles).status_code == 403
