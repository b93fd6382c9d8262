"""A confirmed visit is a plan item; its item moves, starts, completes or is withdrawn as the visit does."""

import pytest

from services.outreach.store.models import PlanItem
from services.outreach.tests.conftest import cloud_event
from shared.bus.consumer import PoisonMessage

VISIT_ID = "5b6c7d8e-3333-4000-8000-000000000001"


def visit(status, **changes):
    return {"id": VISIT_ID, "delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
            "partner_id": None, "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning anniversary",
            "host_official": "Deputy Mayor for Culture", "status": status, "status_reason": None, "version": 2,
            **changes}


def send(outreach, action, data, day):
    return outreach.deliver(cloud_event(f"chancery.visits.visit.{action}.v1", data, time=f"2027-{day}T10:00:00Z"))


def item(outreach):
    response = outreach.call("GET", "/api/v1/plan-items?source=visit", roles="mayor-office")
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert len(items) <= 1
    return items[0] if items else None


def test_a_visit_becomes_a_plan_item_only_once_it_is_confirmed(outreach):
    send(outreach, "created", visit("draft"), "01-10")
    send(outreach, "invited", visit("invited"), "01-11")
    assert item(outreach) is None
    send(outreach, "confirmed", visit("confirmed"), "01-12")
    planned = item(outreach)
    assert (planned["activity"], planned["responsible_body"], planned["starts_on"], planned["due_on"],
            planned["source_id"], planned["status"]) == ("Delegation of the City of Lyon", "Deputy Mayor for Culture",
                                                          "2027-03-10", "2027-03-12", VISIT_ID, "planned")
    assert outreach.outbox_types()[-1] == "chancery.outreach.plan-item.created.v1"


def test_a_rescheduled_visit_moves_its_item_keeping_staffs_budget(outreach):
    send(outreach, "confirmed", visit("confirmed"), "01-12")
    budgeted = outreach.call("PATCH", f"/api/v1/plan-items/{item(outreach)['id']}",
                             {"budget_amount": "3000.00", "budget_currency": "EUR"}, roles="outreach",
                             headers={"If-Match": '"1"'})
    assert budgeted.status_code == 200, budgeted.json
    send(outreach, "updated", visit("confirmed", starts_on="2028-01-20", ends_on="2028-01-22"), "02-01")
    moved = item(outreach)
    assert (moved["starts_on"], moved["due_on"], moved["year"], moved["budget_amount"]) == (
        "2028-01-20", "2028-01-22", 2028, "3000.00")


def test_a_started_then_completed_visit_starts_then_completes_its_item(outreach):
    send(outreach, "confirmed", visit("confirmed"), "01-12")
    send(outreach, "started", visit("in_progress"), "03-10")
    assert item(outreach)["status"] == "in_progress"
    send(outreach, "completed", visit("completed"), "03-12")
    assert (item(outreach)["status"], item(outreach)["progress"]) == ("done", 100)
    assert outreach.outbox_types()[-2:] == ["chancery.outreach.plan-item.started.v1",
                                            "chancery.outreach.plan-item.completed.v1"]


def test_a_cancelled_visit_withdraws_its_item(outreach):
    send(outreach, "confirmed", visit("confirmed"), "01-12")
    send(outreach, "cancelled", visit("cancelled", status_reason="Elections"), "02-01")
    withdrawn = item(outreach)
    assert (withdrawn["status"], withdrawn["status_reason"]) == ("cancelled", "the visit was cancelled")


def test_an_item_staff_completed_is_not_reopened_by_the_visit_starting_late(outreach):
    send(outreach, "confirmed", visit("confirmed"), "01-12")
    planned = item(outreach)
    done = outreach.call("POST", f"/api/v1/plan-items/{planned['id']}/complete", {}, roles="outreach",
                         headers={"If-Match": '"1"'})
    assert done.status_code == 200, done.json
    send(outreach, "started", visit("in_progress"), "03-10")
    assert item(outreach)["status"] == "done"


def test_a_redelivered_or_late_visit_event_changes_nothing(outreach):
    confirmed = cloud_event("chancery.visits.visit.confirmed.v1", visit("confirmed"), time="2027-01-12T10:00:00Z")
    outreach.deliver(confirmed)
    send(outreach, "cancelled", visit("cancelled"), "02-01")
    before = (outreach.count(PlanItem), outreach.writes(), item(outreach))
    assert outreach.deliver(confirmed) is False
    send(outreach, "confirmed", visit("confirmed"), "01-12")  # the same facts under a new id, older than the last
    assert (outreach.count(PlanItem), outreach.writes(), item(outreach)) == before


def test_a_visit_without_its_dates_is_poison_and_adds_nothing(outreach):
    with pytest.raises(PoisonMessage):
        send(outreach, "confirmed", {key: value for key, value in visit("confirmed").items() if key != "ends_on"},
             "01-12")
    assert outreach.count(PlanItem) == 0
