"""Sealed bids: no one, the buyer and admin included, reads a bid's value before the submission deadline."""

import json
import logging

import pytest

from services.contracts.store.models import Bid
from services.contracts.tests.helpers import (
    TENDER,
    approved_plan_line,
    assert_problem,
    audit_records,
    created,
    outbox,
    post,
    published_tender,
    row_counts,
    supplier,
)

SECRET = "142857.39"  # a value that appears nowhere else in these tests


def submit(contracts, tender, company, amount=SECRET, **kwargs):
    return post(contracts, f"/api/v1/tenders/{tender['id']}/bids",
                {"supplier_id": company["id"], "value": {"amount": amount, "currency": "EUR"}}, **kwargs)


def everything_readable(contracts, tender, bid_id) -> list[str]:
    """Every answer a buyer, an admin or an auditor can get about the tender and its bids, as text."""
    paths = [f"/api/v1/tenders/{tender['id']}/bids", f"/api/v1/tenders/{tender['id']}/bids/{bid_id}",
             f"/api/v1/tenders/{tender['id']}", "/api/v1/tenders", f"/api/v1/audit-records?record_id={bid_id}",
             "/api/v1/audit-records?page_size=200"]
    answers = []
    for roles in ("procurement", "admin", "auditor"):
        for path in paths:
            response = contracts.call("GET", path, roles=roles)
            answers.append(response.get_data(as_text=True))
    return answers


def test_a_bids_value_is_in_no_response_event_audit_record_or_log_before_the_deadline(contracts, caplog):
    tender = published_tender(contracts)
    company = supplier(contracts)
    with caplog.at_level(logging.DEBUG):
        response = submit(contracts, tender, company, key="bid-1")
        replay = submit(contracts, tender, company, key="bid-1")
        readable = everything_readable(contracts, tender, response.json["id"])
    assert response.status_code == 201 and replay.status_code == 201
    assert response.json["sealed"] is True and response.json["value"] is None
    texts = [response.get_data(as_text=True), replay.get_data(as_text=True), *readable,
             json.dumps(outbox(contracts)), caplog.text]
    assert all(SECRET not in text and "14285739" not in text for text in texts)
    assert "chancery.contracts.bid.submitted.v1" in texts[-2]


def test_after_the_deadline_the_value_is_shown_exactly_to_procurement(contracts, clock):
    tender = published_tender(contracts)
    company = supplier(contracts)
    bid = submit(contracts, tender, company).json
    clock.advance(days=19, hours=2, seconds=59)  # 2027-02-20 11:00:59: still sealed
    assert contracts.call("GET", f"/api/v1/tenders/{tender['id']}/bids/{bid['id']}").json["value"] is None
    clock.advance(hours=1, seconds=1)  # the deadline itself: opened
    opened = contracts.call("GET", f"/api/v1/tenders/{tender['id']}/bids", roles="procurement").json["items"]
    assert opened[0]["sealed"] is False and opened[0]["value"] == {"amount": SECRET, "currency": "EUR"}


def test_bids_cannot_be_sorted_by_value_while_sealed_or_ever(contracts):
    tender = published_tender(contracts)
    response = contracts.call("GET", f"/api/v1/tenders/{tender['id']}/bids?sort=amount", roles="procurement")
    assert_problem(response, 422, "sort")


def test_a_late_bid_is_refused_with_the_reason_and_nothing_is_stored(contracts, clock):
    tender = published_tender(contracts)
    company = supplier(contracts)
    clock.advance(days=19, hours=3)
    problem = assert_problem(submit(contracts, tender, company), 409, "submitted_at")
    assert "submission deadline passed" in problem["reason"]
    assert row_counts(contracts, Bid)["bids"] == 0


def test_a_bid_on_a_tender_not_yet_published_is_refused(contracts):
    line = approved_plan_line(contracts)
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"]}).json
    problem = assert_problem(submit(contracts, tender, supplier(contracts)), 409, "tender")
    assert "active" in problem["reason"]


@pytest.mark.parametrize(("value", "field"), [({"amount": "100.00", "currency": "USD"}, "value.currency"),
                                              ({"amount": "0", "currency": "EUR"}, "value.amount"),
                                              ({"amount": "1.234", "currency": "EUR"}, "value.amount")])
def test_an_invalid_bid_value_is_refused_naming_the_field(contracts, value, field):
    tender = published_tender(contracts)
    company = supplier(contracts)
    response = post(contracts, f"/api/v1/tenders/{tender['id']}/bids", {"supplier_id": company["id"], "value": value})
    assert_problem(response, 422, field)


def test_a_supplier_bids_once_per_lot_and_may_withdraw_before_the_deadline(contracts, clock):
    tender = published_tender(contracts)
    company = supplier(contracts)
    bid = submit(contracts, tender, company).json
    assert_problem(submit(contracts, tender, company, amount="100.00"), 409)
    withdrawn = post(contracts, f"/api/v1/tenders/{tender['id']}/bids/{bid['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert [record["action"] for record in audit_records(contracts, bid["id"])] == ["bid.withdrawn", "bid.submitted"]


def test_a_tender_of_several_lots_needs_the_lot_named(contracts):
    lots = [{"title": "Venue", "value": {"amount": "150000.00", "currency": "EUR"}},
            {"title": "Interpretation", "value": {"amount": "35000.00", "currency": "EUR"}}]
    tender = published_tender(contracts, lots=lots)
    company = supplier(contracts)
    assert_problem(submit(contracts, tender, company), 422, "lot_id")
    response = post(contracts, f"/api/v1/tenders/{tender['id']}/bids", {
        "supplier_id": company["id"], "lot_id": tender["lots"][1]["id"],
        "value": {"amount": "30000.00", "currency": "EUR"}})
    assert response.status_code == 201 and response.json["lot_id"] == tender["lots"][1]["id"]
