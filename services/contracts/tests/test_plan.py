"""The procurement plan: lines with exact budgets and valid CPV codes, draft → approved → tendered/cancelled."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.domain.plan import PLAN_LINE_LIFECYCLE, PlanLineStatus
from services.contracts.store.models import PlanLine
from services.contracts.tests.helpers import (
    PLAN_LINE,
    assert_problem,
    audit_records,
    created,
    outbox,
    post,
    row_counts,
)
from shared.kit.lifecycle import IllegalTransition, MissingReason

S = PlanLineStatus
EXPECTED = {(S.DRAFT, "approve"): S.APPROVED, (S.APPROVED, "tender"): S.TENDERED,
            (S.DRAFT, "cancel"): S.CANCELLED, (S.APPROVED, "cancel"): S.CANCELLED}


def test_the_plan_line_lifecycle_is_exactly_draft_approved_tendered_or_cancelled():
    table = {(state, action): PLAN_LINE_LIFECYCLE.next_status(state, action, "why")
             for state in S for action in PLAN_LINE_LIFECYCLE.transitions
             if action in PLAN_LINE_LIFECYCLE.allowed_actions(state)}
    assert table == EXPECTED


@given(st.lists(st.sampled_from(list(PLAN_LINE_LIFECYCLE.transitions)), max_size=8))
def test_any_sequence_of_actions_only_ever_follows_the_lifecycle_and_ends_where_it_stops(actions):
    status = S.DRAFT
    for action in actions:
        if (status, action) in EXPECTED:
            status = PLAN_LINE_LIFECYCLE.next_status(status, action, "why")
        else:
            with pytest.raises(IllegalTransition) as refused:
                PLAN_LINE_LIFECYCLE.next_status(status, action, "why")
            assert refused.value.allowed == PLAN_LINE_LIFECYCLE.allowed_actions(status)
    if status in (S.TENDERED, S.CANCELLED):
        assert PLAN_LINE_LIFECYCLE.allowed_actions(status) == []


def test_cancelling_a_plan_line_needs_a_reason():
    with pytest.raises(MissingReason):
        PLAN_LINE_LIFECYCLE.next_status(S.DRAFT, "cancel", "  ")


def test_a_new_plan_line_is_a_draft_with_its_exact_budget_an_event_and_an_audit_record(contracts):
    response = created(contracts, "/api/v1/plan-lines", {**PLAN_LINE, "budget": {"amount": "185000.1",
                                                                                 "currency": "EUR"}})
    body = response.json
    assert response.headers["Location"] == f"/api/v1/plan-lines/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert body["status"] == "draft"
    assert body["budget"] == {"amount": "185000.10", "currency": "EUR"}
    assert body["allowed_actions"] == ["approve", "cancel"]
    [(event_type, data)] = outbox(contracts)
    assert event_type == "chancery.contracts.plan-line.created.v1"
    assert data["budget"] == {"amount": "185000.10", "currency": "EUR"} and data["id"] == body["id"]
    [record] = audit_records(contracts, body["id"])
    assert record["action"] == "plan-line.created" and record["actor"] == "pavel"


def test_a_budget_sent_as_a_number_with_many_digits_is_kept_to_the_cent(contracts):
    body = created(contracts, "/api/v1/plan-lines", {**PLAN_LINE, "budget": {"amount": 1234567890123.45,
                                                                             "currency": "UAH"}}).json
    assert body["budget"]["amount"] == "1234567890123.45"
    again = contracts.call("GET", f"/api/v1/plan-lines/{body['id']}", roles="procurement").json
    assert again["budget"]["amount"] == "1234567890123.45"


@pytest.mark.parametrize(("changes", "field"), [
    ({"cpv_code": "79950000-3"}, "cpv_code"),
    ({"cpv_code": "7995000"}, "cpv_code"),
    ({"budget": {"amount": "10.005", "currency": "EUR"}}, "budget.amount"),
    ({"budget": {"amount": "-5", "currency": "EUR"}}, "budget.amount"),
    ({"budget": {"amount": "5", "currency": "eur"}}, "budget.currency"),
    ({"procurement_method": "beauty_contest"}, "procurement_method"),
    ({"planned_delivery_by": "2027-01-01"}, "body"),
    ({"programme": ""}, "programme"),
])
def test_a_plan_line_with_bad_input_is_refused_naming_the_field_and_changes_nothing(contracts, changes, field):
    before = row_counts(contracts, PlanLine)
    response = post(contracts, "/api/v1/plan-lines", {**PLAN_LINE, **changes})
    assert_problem(response, 422, field)
    assert row_counts(contracts, PlanLine) == before


def test_the_same_idempotency_key_creates_one_plan_line(contracts):
    first = created(contracts, "/api/v1/plan-lines", PLAN_LINE, key="line-1")
    again = post(contracts, "/api/v1/plan-lines", PLAN_LINE, key="line-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert row_counts(contracts, PlanLine)["plan_lines"] == 1


def test_approving_then_editing_is_refused_because_an_approved_budget_stays_as_approved(contracts):
    line = created(contracts, "/api/v1/plan-lines", PLAN_LINE)
    approved = post(contracts, f"/api/v1/plan-lines/{line.json['id']}/approve", etag=line.headers["ETag"])
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    edit = contracts.call("PATCH", f"/api/v1/plan-lines/{line.json['id']}", {"title": "Cheaper forum"},
                          roles="procurement", headers={"If-Match": approved.headers["ETag"]})
    problem = assert_problem(edit, 409)
    assert problem["allowed_actions"] == ["tender", "cancel"]  # tender: announce a tender for it
    assert [t for t, _ in outbox(contracts)] == ["chancery.contracts.plan-line.created.v1",
                                                  "chancery.contracts.plan-line.approved.v1"]


def test_editing_a_draft_changes_the_fields_sent_and_a_stale_etag_is_refused(contracts):
    line = created(contracts, "/api/v1/plan-lines", PLAN_LINE)
    path = f"/api/v1/plan-lines/{line.json['id']}"
    edited = contracts.call("PATCH", path, {"budget": {"amount": "179500.00", "currency": "EUR"}},
                            roles="procurement", headers={"If-Match": '"1"'})
    assert edited.status_code == 200 and edited.json["budget"]["amount"] == "179500.00"
    assert edited.json["title"] == PLAN_LINE["title"] and edited.headers["ETag"] == '"2"'
    stale = contracts.call("PATCH", path, {"title": "Other"}, roles="procurement", headers={"If-Match": '"1"'})
    assert_problem(stale, 412)


def test_editing_the_dates_of_a_draft_so_delivery_precedes_the_tender_is_refused(contracts):
    line = created(contracts, "/api/v1/plan-lines", PLAN_LINE)
    response = contracts.call("PATCH", f"/api/v1/plan-lines/{line.json['id']}",
                              {"planned_tender_on": "2027-07-01"}, roles="procurement")
    assert_problem(response, 422, "planned_delivery_by")
    assert contracts.call("GET", f"/api/v1/plan-lines/{line.json['id']}").json["version"] == 1


def test_cancelling_without_a_reason_is_refused_and_with_one_is_recorded(contracts):
    line = created(contracts, "/api/v1/plan-lines", PLAN_LINE).json
    assert_problem(post(contracts, f"/api/v1/plan-lines/{line['id']}/cancel"), 422, "reason")
    cancelled = post(contracts, f"/api/v1/plan-lines/{line['id']}/cancel", {"reason": "Forum moved online"})
    assert cancelled.json["status"] == "cancelled" and cancelled.json["status_reason"] == "Forum moved online"
    again = post(contracts, f"/api/v1/plan-lines/{line['id']}/approve")
    assert assert_problem(again, 409)["allowed_actions"] == []
    actions = [record["action"] for record in audit_records(contracts, line["id"])]
    assert sorted(actions) == ["plan-line.cancelled", "plan-line.created"]


def test_the_plan_filters_by_status_and_cpv_division_and_sorts_by_budget(contracts):
    small = created(contracts, "/api/v1/plan-lines", {**PLAN_LINE, "budget": {"amount": "900.00",
                                                                              "currency": "EUR"}}).json
    created(contracts, "/api/v1/plan-lines", {**PLAN_LINE, "cpv_code": "55110000-4"})
    big = created(contracts, "/api/v1/plan-lines", {**PLAN_LINE, "budget": {"amount": "100000000.00",
                                                                            "currency": "EUR"}}).json
    post(contracts, f"/api/v1/plan-lines/{big['id']}/approve")
    by_budget = contracts.call("GET", "/api/v1/plan-lines?cpv_prefix=7995&sort=-budget_amount").json
    assert [item["id"] for item in by_budget["items"]] == [big["id"], small["id"]]
    drafts = contracts.call("GET", "/api/v1/plan-lines?status=draft&page_size=1").json
    assert drafts["total"] == 2 and len(drafts["items"]) == 1


@pytest.mark.parametrize("roles", ["protocol", "travel", "outreach", "mayor-office", "auditor", "operator"])
def test_only_procurement_reads_or_writes_the_plan(contracts, roles):
    assert contracts.call("GET", "/api/v1/plan-lines", roles=roles).status_code == 403
    assert post(contracts, "/api/v1/plan-lines", PLAN_LINE, roles=roles).status_code == 403
