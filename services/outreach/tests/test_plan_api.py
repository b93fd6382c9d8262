"""The annual plan through the API: items by hand, their lifecycle, monitoring on a frozen clock, versions."""

from datetime import date

import pytest

from services.outreach.store.models import PlanItem, PlanVersion
from services.outreach.tests.conftest import assert_problem

ITEM = {"activity": "Days of Sofia culture in the city", "responsible_body": "Department of Culture",
        "starts_on": "2027-05-20", "due_on": "2027-05-27", "budget_amount": "25000.00", "budget_currency": "EUR"}


def add(outreach, **changes):
    return outreach.create("/api/v1/plan-items", {**ITEM, **changes})


def act(outreach, item, action, body=None, roles="outreach"):
    return outreach.call("POST", f"/api/v1/plan-items/{item['id']}/{action}", body or {}, roles=roles)


def step(outreach, item, action, body=None):
    response = act(outreach, item, action, body)
    assert response.status_code == 200, response.json
    return response.json


def test_an_item_entered_by_hand_is_planned_in_the_year_of_its_due_date_with_an_exact_budget(outreach):
    item = add(outreach, budget_amount="0.10")
    assert (item["year"], item["status"], item["progress"], item["source"]) == (2027, "planned", 0, "manual")
    assert item["budget_amount"] == "0.10"
    assert item["allowed_actions"] == ["start", "complete", "cancel"]
    [(event_type, data)] = outreach.outbox()
    assert event_type == "chancery.outreach.plan-item.created.v1" and data["budget_amount"] == "0.10"
    assert outreach.audit_actions() == ["plan-item.created"]


@pytest.mark.parametrize(("change", "field"), [
    ({"due_on": "2027-05-01"}, "body"), ({"budget_currency": None}, "body"), ({"budget_amount": "1.005"}, None),
    ({"budget_amount": "-1"}, "budget_amount"), ({"budget_currency": "euro"}, "budget_currency"),
    ({"activity": ""}, "activity"),
])
def test_a_bad_item_is_refused_and_nothing_is_written(outreach, change, field):
    response = outreach.call("POST", "/api/v1/plan-items", {**ITEM, **change}, roles="outreach")
    assert_problem(response, 422, field)
    assert outreach.count(PlanItem) == 0 and outreach.writes() == {"outbox": 0, "audit_records": 0}


def test_an_item_goes_from_planned_through_progress_to_done(outreach):
    item = add(outreach)
    step(outreach, item, "start")
    reported = outreach.call("POST", f"/api/v1/plan-items/{item['id']}/progress", {"progress": 60, "note": "Venue"},
                             roles="outreach")
    assert reported.json["progress"] == 60
    done = step(outreach, item, "complete")
    assert (done["status"], done["progress"], done["version"]) == ("done", 100, 4)
    assert outreach.outbox_types()[1:] == ["chancery.outreach.plan-item.started.v1",
                                           "chancery.outreach.plan-item.progressed.v1",
                                           "chancery.outreach.plan-item.completed.v1"]


def test_an_illegal_action_is_409_naming_the_allowed_ones_and_changes_nothing(outreach):
    item = add(outreach)
    step(outreach, item, "complete")
    before = outreach.writes()
    problem = assert_problem(act(outreach, item, "start"), 409)
    assert problem["allowed_actions"] == ["reopen"]
    problem = assert_problem(outreach.call("POST", f"/api/v1/plan-items/{item['id']}/progress", {"progress": 5},
                                           roles="outreach"), 409)
    assert problem["allowed_actions"] == ["reopen"]
    assert outreach.writes() == before


def test_cancelling_without_a_reason_is_refused_naming_the_reason(outreach):
    assert_problem(act(outreach, add(outreach), "cancel"), 422, "reason")


def test_a_stale_transition_is_412(outreach):
    item = add(outreach)
    response = outreach.call("POST", f"/api/v1/plan-items/{item['id']}/start", {}, roles="outreach",
                             headers={"If-Match": '"9"'})
    assert_problem(response, 412)


def test_moving_the_due_date_moves_the_item_to_that_years_plan(outreach):
    item = add(outreach)
    moved = outreach.call("PATCH", f"/api/v1/plan-items/{item['id']}", {"due_on": "2028-01-15"}, roles="outreach",
                          headers={"If-Match": '"1"'})
    assert moved.status_code == 200, moved.json
    assert moved.json["year"] == 2028


def test_items_are_overdue_by_the_frozen_clock_and_filter_so(outreach, frozen_today):
    late, later = add(outreach, starts_on=None, due_on="2027-06-01"), add(outreach, due_on="2027-07-01")
    frozen_today(date(2027, 6, 15))
    listed = outreach.call("GET", "/api/v1/plan-items?overdue=true", roles="mayor-office").json["items"]
    assert [row["id"] for row in listed] == [late["id"]]
    assert listed[0]["overdue"] is True
    frozen_today(date(2027, 7, 2))
    listed = outreach.call("GET", "/api/v1/plan-items?overdue=true").json["items"]
    assert [row["id"] for row in listed] == [late["id"], later["id"]]
    step(outreach, late, "complete")
    assert outreach.call("GET", "/api/v1/plan-items?overdue=false").json["total"] == 1


def test_monitoring_on_the_frozen_clock_names_overdue_items_and_completion_by_body_and_partner(outreach, frozen_today):
    sofia = outreach.create("/api/v1/partners", {"kind": "capital", "name": "Sofia", "country": "BG"})["id"]
    done = add(outreach, partner_id=sofia, due_on="2027-05-27")
    late = add(outreach, partner_id=sofia, responsible_body="Department of Youth", activity="Youth exchange",
               starts_on=None, due_on="2027-06-01")
    add(outreach, due_on="2027-11-01")
    cancelled = add(outreach, starts_on=None, due_on="2027-02-01")
    step(outreach, done, "complete")
    step(outreach, late, "start")
    step(outreach, cancelled, "cancel", {"reason": "The partner withdrew"})
    add(outreach, due_on="2028-01-10")
    frozen_today(date(2027, 6, 15))
    report = outreach.call("GET", "/api/v1/plans/2027/monitoring", roles="mayor-office").json
    assert (report["as_of"], report["total"], report["done"], report["overdue"]) == ("2027-06-15", 4, 1, 1)
    assert report["completion"] == round(1 / 3, 4)
    assert [(row["activity"], row["days_overdue"]) for row in report["overdue_items"]] == [("Youth exchange", 14)]
    assert {row["responsible_body"]: row["done"] for row in report["by_responsible_body"]} == {
        "Department of Culture": 1, "Department of Youth": 0}
    partner = next(row for row in report["by_partner"] if row["partner_id"] == sofia)
    assert (partner["partner_name"], partner["total"], partner["completion"]) == ("Sofia", 2, 0.5)
    assert report["approved_version"] is None
    earlier = outreach.call("GET", "/api/v1/plans/2027/monitoring?as_of=2027-05-01").json
    assert earlier["overdue"] == 0


# --- versions ---

def submit(outreach, year=2027, **body):
    response = outreach.call("POST", f"/api/v1/plans/{year}/versions", body, roles="outreach")
    assert response.status_code == 201, response.json
    return response.json


def decide(outreach, version, action, body=None, roles="mayor-office"):
    return outreach.call("POST", f"/api/v1/plan-versions/{version['id']}/{action}", body or {}, roles=roles)


def test_a_submitted_version_freezes_the_years_items(outreach):
    add(outreach)
    version = submit(outreach, note="Spring review")
    add(outreach, activity="Added later")
    assert (version["number"], version["status"], len(version["items"])) == (1, "submitted", 1)
    read = outreach.call("GET", f"/api/v1/plan-versions/{version['id']}", roles="mayor-office").json
    assert [item["activity"] for item in read["items"]] == [ITEM["activity"]]


def test_only_the_mayors_office_approves_and_the_approved_version_is_the_plan_in_force(outreach):
    add(outreach)
    first = submit(outreach)
    assert decide(outreach, first, "approve", roles="outreach").status_code == 403
    approved = decide(outreach, first, "approve")
    assert approved.status_code == 200, approved.json
    assert (approved.json["status"], approved.json["decided_by"]) == ("approved", "tester")
    second = submit(outreach)
    decide(outreach, second, "approve")
    versions = outreach.call("GET", "/api/v1/plans/2027/versions").json["items"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "approved"), (1, "superseded")]
    assert outreach.call("GET", "/api/v1/plans/2027/monitoring").json["approved_version"] == 2
    assert outreach.outbox_types()[-2:] == ["chancery.outreach.plan-version.superseded.v1",
                                            "chancery.outreach.plan-version.approved.v1"]


def test_a_version_awaiting_a_decision_blocks_the_next_and_a_decided_one_cannot_be_decided_again(outreach):
    first = submit(outreach)
    problem = assert_problem(outreach.call("POST", "/api/v1/plans/2027/versions", {}, roles="outreach"), 409)
    assert problem["pending_version"] == 1
    assert_problem(decide(outreach, first, "reject"), 422, "reason")
    rejected = decide(outreach, first, "reject", {"reason": "Budget too high"})
    assert rejected.json["decision_reason"] == "Budget too high"
    assert assert_problem(decide(outreach, first, "approve"), 409)["allowed_actions"] == []
    assert submit(outreach)["number"] == 2
    assert outreach.count(PlanVersion) == 2


def test_a_year_outside_the_plans_range_is_refused_naming_it(outreach):
    assert_problem(outreach.call("GET", "/api/v1/plans/1999/monitoring"), 422, "year")
    assert_problem(outreach.call("GET", "/api/v1/plans/next/versions"), 422, "year")
