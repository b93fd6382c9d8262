"""Tenders along OCDS: announced for approved plan lines, published with an enquiry period and a deadline."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.domain.tender import TENDER_LIFECYCLE, TenderStatus
from services.contracts.store.models import Lot, Tender
from services.contracts.tests.helpers import (
    PLAN_LINE,
    TENDER,
    approved_plan_line,
    assert_problem,
    created,
    outbox,
    post,
    published_tender,
    row_counts,
    supplier,
)
from shared.kit.lifecycle import IllegalTransition

T = TenderStatus
EXPECTED = {(T.PLANNING, "publish"): T.ACTIVE, (T.ACTIVE, "complete"): T.COMPLETE,
            (T.ACTIVE, "fail"): T.UNSUCCESSFUL, (T.PLANNING, "cancel"): T.CANCELLED,
            (T.ACTIVE, "cancel"): T.CANCELLED}


def test_the_tender_lifecycle_follows_the_ocds_statuses():
    table = {(state, action): TENDER_LIFECYCLE.next_status(state, action, "why")
             for state in T for action in TENDER_LIFECYCLE.transitions
             if action in TENDER_LIFECYCLE.allowed_actions(state)}
    assert table == EXPECTED
    assert {state.value for state in T} <= {"planning", "planned", "active", "cancelled", "unsuccessful",
                                              "complete", "withdrawn"}  # the OCDS 1.1.5 tenderStatus codelist


@given(st.lists(st.sampled_from(list(TENDER_LIFECYCLE.transitions)), max_size=10))
def test_no_sequence_of_actions_leaves_a_closed_tender_or_reaches_a_state_outside_the_table(actions):
    status = T.PLANNING
    for action in actions:
        if (status, action) in EXPECTED:
            status = TENDER_LIFECYCLE.next_status(status, action, "why")
        else:
            with pytest.raises(IllegalTransition):
                TENDER_LIFECYCLE.next_status(status, action, "why")
    if status in (T.COMPLETE, T.CANCELLED, T.UNSUCCESSFUL):
        assert TENDER_LIFECYCLE.allowed_actions(status) == []


def test_a_tender_for_an_approved_line_marks_the_line_tendered_and_gets_an_ocid_and_one_lot(contracts):
    line = approved_plan_line(contracts)
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"]}).json
    assert tender["status"] == "planning" and tender["ocid"] == f"ocds-chncry-{tender['id']}"
    assert tender["procurement_method"] == "reverse_auction"
    assert [lot["value"] for lot in tender["lots"]] == [{"amount": "185000.00", "currency": "EUR"}]
    assert contracts.call("GET", f"/api/v1/plan-lines/{line['id']}").json["status"] == "tendered"
    assert [t for t, _ in outbox(contracts)][-2:] == ["chancery.contracts.plan-line.tendered.v1",
                                                      "chancery.contracts.tender.created.v1"]


def test_a_draft_plan_line_cannot_be_tendered_and_nothing_is_written(contracts):
    line = created(contracts, "/api/v1/plan-lines", PLAN_LINE).json
    before = row_counts(contracts, Tender, Lot)
    problem = assert_problem(post(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"]}), 409)
    assert problem["allowed_actions"] == ["approve", "cancel"]
    assert row_counts(contracts, Tender, Lot) == before


@pytest.mark.parametrize(("changes", "field"), [
    ({"value": {"amount": "185000.01", "currency": "EUR"}}, "value.amount"),
    ({"value": {"amount": "1000.00", "currency": "USD"}}, "value.currency"),
    ({"minimum_step": None}, "minimum_step"),
    ({"enquiry_ends_at": "2027-02-21T00:00:00Z"}, "enquiry_ends_at"),
    ({"lots": [{"title": "Venue", "value": {"amount": "100000.00", "currency": "EUR"}}]}, "lots"),
    ({"submission_deadline": "2027-02-20T12:00:00"}, "submission_deadline"),
])
def test_a_tender_outside_the_budget_periods_or_rules_is_refused_naming_the_field(contracts, changes, field):
    line = approved_plan_line(contracts)
    response = post(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"], **changes})
    assert_problem(response, 422, field)
    assert contracts.call("GET", f"/api/v1/plan-lines/{line['id']}").json["status"] == "approved"


def test_lots_that_add_up_to_the_value_are_kept_in_order(contracts):
    line = approved_plan_line(contracts)
    lots = [{"title": "Venue and catering", "value": {"amount": "150000.00", "currency": "EUR"}},
            {"title": "Interpretation", "value": {"amount": "35000.00", "currency": "EUR"}}]
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"], "lots": lots}).json
    assert [(lot["title"], lot["value"]) for lot in tender["lots"]] == [(lot["title"], lot["value"]) for lot in lots]


def test_a_tender_whose_enquiry_period_has_already_ended_cannot_be_published(contracts, clock):
    line = approved_plan_line(contracts)
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"]}).json
    clock.advance(days=10)
    assert_problem(post(contracts, f"/api/v1/tenders/{tender['id']}/publish"), 422, "enquiry_ends_at")
    clock.advance(days=-1)
    published = post(contracts, f"/api/v1/tenders/{tender['id']}/publish")
    assert published.json["status"] == "active" and published.json["published_at"] == "2027-02-10T09:00:00Z"


def test_a_published_tender_can_no_longer_be_edited_and_failing_it_needs_a_reason(contracts):
    tender = published_tender(contracts)
    edit = contracts.call("PATCH", f"/api/v1/tenders/{tender['id']}", {"title": "Other"}, roles="procurement")
    assert assert_problem(edit, 409)["allowed_actions"] == ["complete", "fail", "cancel"]
    assert_problem(post(contracts, f"/api/v1/tenders/{tender['id']}/fail"), 422, "reason")
    failed = post(contracts, f"/api/v1/tenders/{tender['id']}/fail", {"reason": "No bids were received"})
    assert failed.json["status"] == "unsuccessful"


def test_questions_are_taken_during_the_enquiry_period_and_answers_published_until_the_deadline(contracts, clock):
    tender = published_tender(contracts)
    company = supplier(contracts)
    path = f"/api/v1/tenders/{tender['id']}/enquiries"
    question = created(contracts, path, {"supplier_id": company["id"],
                                         "question": "May interpreters work remotely?"}).json
    assert question["answer"] is None
    clock.advance(days=9, hours=6, minutes=1)  # 2027-02-10 15:01, after the enquiry period
    late = post(contracts, path, {"question": "And the catering?"})
    assert "enquiry period ended" in assert_problem(late, 409)["detail"]
    answered = post(contracts, f"{path}/{question['id']}/answer", {"answer": "No: on site, both days."})
    assert answered.status_code == 200 and answered.json["answered_at"] == "2027-02-10T15:01:00Z"
    assert contracts.call("GET", f"{path}?answered=true").json["items"][0]["answer"] == "No: on site, both days."
    again = post(contracts, f"{path}/{question['id']}/answer", {"answer": "Changed my mind"})
    assert_problem(again, 409)


def test_documents_are_published_with_an_ocds_document_type(contracts):
    tender = published_tender(contracts)
    path = f"/api/v1/tenders/{tender['id']}/documents"
    created(contracts, path, {"document_type": "technicalSpecifications", "title": "Specification",
                              "url": "https://docs.city.example/forum/spec.pdf"})
    assert_problem(post(contracts, path, {"document_type": "memo", "title": "x", "url": "https://e.x/y"}), 422,
                   "document_type")
    listed = contracts.call("GET", path).json
    assert [item["document_type"] for item in listed["items"]] == ["technicalSpecifications"]
