"""Approval through the API: chains by traveller, decisions by role, comments, deadlines, illegal moves."""

from datetime import date, timedelta

import pytest

from services.trips.tests.support import MAYOR, STAFF, act, assert_problem, create, put_papers

DEPUTY = {**MAYOR, "full_name": "Elena Petrova", "job_title": "Deputy Mayor", "category": "deputy_mayor"}


def audit_actions(trips, trip_id) -> list[str]:
    response = trips.call("GET", f"/api/v1/audit-records?record_id={trip_id}&page_size=200", roles="auditor")
    return [record["action"] for record in response.json["items"]]


@pytest.mark.parametrize(("travellers", "chain"), [
    ([STAFF], ["department-head"]),
    ([MAYOR], ["mayor-office"]),
    ([DEPUTY, DEPUTY], ["mayor-office"]),
    ([MAYOR, STAFF], ["department-head", "mayor-office"]),
])
def test_submitting_sets_the_approval_chain_from_the_travellers(trips, travellers, chain):
    trip = create(trips, travellers=travellers)
    submitted = act(trips, trip["id"], "submit")
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["approval_chain"] == chain
    assert submitted.json["awaiting"] == chain[0]


def test_a_department_head_approves_a_staff_trip(trips):
    trip = create(trips, travellers=[STAFF])
    put_papers(trips, trip)
    act(trips, trip["id"], "submit")
    approved = act(trips, trip["id"], "approve", roles="department-head", sub="head-ir")
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"
    assert approved.json["awaiting"] is None
    [decision] = approved.json["decisions"]
    assert decision["step"] == "department-head" and decision["decided_by"] == "head-ir"
    assert decision["outcome"] == "approved"


def test_the_mayors_office_cannot_decide_a_step_that_awaits_the_department_head(trips):
    trip = create(trips, travellers=[STAFF])
    act(trips, trip["id"], "submit")
    problem = assert_problem(act(trips, trip["id"], "approve", roles="mayor-office"), 403)
    assert problem["awaiting"] == "department-head"
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}", roles="travel").json["status"] == "submitted"


def test_a_department_head_cannot_approve_the_mayors_trip(trips):
    trip = create(trips, travellers=[MAYOR])
    put_papers(trips, trip)
    act(trips, trip["id"], "submit")
    assert_problem(act(trips, trip["id"], "approve", roles="department-head"), 403)
    assert act(trips, trip["id"], "approve", roles="mayor-office").json["status"] == "approved"


def test_a_mixed_delegation_needs_the_department_head_then_the_mayors_office(trips):
    trip = create(trips, travellers=[MAYOR, STAFF])
    put_papers(trips, trip)
    act(trips, trip["id"], "submit")
    first = act(trips, trip["id"], "approve", roles="department-head")
    assert (first.json["status"], first.json["awaiting"]) == ("submitted", "mayor-office")
    second = act(trips, trip["id"], "approve", roles="mayor-office")
    assert (second.json["status"], second.json["awaiting"]) == ("approved", None)
    assert [d["step"] for d in second.json["decisions"]] == ["department-head", "mayor-office"]
    assert audit_actions(trips, trip["id"]) == ["trip.approved", "trip.step-approved", "trip.submitted",
                                                "trip.created"]


def test_travel_staff_cannot_approve_their_own_requests(trips):
    trip = create(trips, travellers=[STAFF])
    act(trips, trip["id"], "submit")
    assert_problem(act(trips, trip["id"], "approve", roles="travel"), 403)


def test_sending_back_needs_comments_which_the_request_keeps_and_it_can_be_resubmitted(trips):
    trip = create(trips, travellers=[MAYOR, STAFF])
    act(trips, trip["id"], "submit")
    act(trips, trip["id"], "approve", roles="department-head")
    assert_problem(act(trips, trip["id"], "send-back", roles="mayor-office"), 422, field="reason")
    returned = act(trips, trip["id"], "send-back", "Shorten the stay to three nights", roles="mayor-office")
    assert returned.json["status"] == "returned"
    assert returned.json["status_reason"] == "Shorten the stay to three nights"
    assert returned.json["decisions"][-1]["comments"] == "Shorten the stay to three nights"
    edited = trips.call("PATCH", f"/api/v1/trips/{trip['id']}", {"ends_on": "2027-05-22"}, roles="travel")
    assert edited.status_code == 200
    resubmitted = act(trips, trip["id"], "submit")
    assert (resubmitted.json["status"], resubmitted.json["awaiting"]) == ("submitted", "department-head")


def test_recall_cancel_close_and_reopen_each_emit_their_event(trips):
    trip = create(trips, travellers=[STAFF])
    put_papers(trips, trip)
    steps = [("submit", None, "travel", "submitted"), ("recall", None, "travel", "draft"),
             ("submit", None, "travel", "submitted"), ("approve", None, "department-head", "approved"),
             ("close", None, "travel", "closed"), ("reopen", "Late invoice", "travel", "approved"),
             ("cancel", "Host postponed the forum", "travel", "cancelled"),
             ("reopen", "Forum rescheduled", "travel", "draft")]
    for action, reason, role, status in steps:
        response = act(trips, trip["id"], action, reason, roles=role)
        assert response.status_code == 200, (action, response.json)
        assert response.json["status"] == status, action
    assert audit_actions(trips, trip["id"])[::-1] == [
        "trip.created", "trip.submitted", "trip.recalled", "trip.submitted", "trip.approved", "trip.closed",
        "trip.reopened", "trip.cancelled", "trip.reopened"]


def test_an_illegal_transition_is_409_naming_the_allowed_actions_and_changes_nothing(trips):
    trip = create(trips)
    problem = assert_problem(act(trips, trip["id"], "close"), 409)
    assert problem["allowed_actions"] == ["submit", "cancel"]
    after = trips.call("GET", f"/api/v1/trips/{trip['id']}", roles="travel")
    assert after.json["status"] == "draft" and after.headers["ETag"] == '"1"'


def test_approving_a_draft_is_409_even_for_the_right_role(trips):
    trip = create(trips, travellers=[STAFF])
    assert assert_problem(act(trips, trip["id"], "approve", roles="department-head"), 409)["allowed_actions"] == [
        "submit", "cancel"]


def test_a_request_without_travellers_cannot_be_submitted(trips):
    trip = create(trips, travellers=[STAFF])
    trips.call("DELETE", f"/api/v1/trips/{trip['id']}/travellers/{trip['travellers'][0]['id']}", roles="travel")
    assert_problem(act(trips, trip["id"], "submit"), 422, field="travellers")


def test_a_transition_with_a_stale_if_match_is_412(trips):
    trip = create(trips)
    assert_problem(act(trips, trip["id"], "submit", etag='"9"'), 412)


def test_a_submitted_request_past_its_decision_date_shows_overdue_and_lists_by_awaited_step(trips):
    soon = date.today() + timedelta(days=3)
    late = create(trips, travellers=[MAYOR], starts_on=soon.isoformat(), ends_on=soon.isoformat())
    timely = create(trips, travellers=[STAFF])
    for trip in (late, timely):
        act(trips, trip["id"], "submit")
    read = trips.call("GET", f"/api/v1/trips/{late['id']}", roles="mayor-office").json
    assert read["decision_due_on"] == (soon - timedelta(days=14)).isoformat()
    assert read["decision_overdue"] is True
    assert trips.call("GET", f"/api/v1/trips/{timely['id']}", roles="travel").json["decision_overdue"] is False
    waiting = trips.call("GET", "/api/v1/trips?awaiting=mayor-office", roles="mayor-office").json
    assert [item["id"] for item in waiting["items"]] == [late["id"]]


CULTURE = "Department of Culture"


def test_a_department_head_cannot_approve_another_departments_trip_which_is_404_to_them_and_audited(trips):
    trip = create(trips, travellers=[STAFF])
    act(trips, trip["id"], "submit")
    for department in (CULTURE, None):
        refused = act(trips, trip["id"], "approve", roles="department-head", sub="head-culture",
                      department=department)
        assert assert_problem(refused, 404)["type"].endswith("/not-found")
    after = trips.call("GET", f"/api/v1/trips/{trip['id']}", roles="travel").json
    assert (after["status"], after["decisions"], after["version"]) == ("submitted", [], 2)
    records = trips.call("GET", f"/api/v1/audit-records?record_id={trip['id']}&action=trip.decision-refused",
                         roles="auditor").json["items"]
    assert [(r["actor"], r["changes"]["actor_department"]) for r in records] == [
        ("head-culture", None), ("head-culture", CULTURE)]


def test_staff_of_two_departments_need_each_department_head_in_turn(trips):
    culture = {**STAFF, "full_name": "Oleg Smirnov", "department": CULTURE}
    trip = create(trips, travellers=[STAFF, culture, MAYOR])
    put_papers(trips, trip)
    submitted = act(trips, trip["id"], "submit").json
    assert submitted["approval_steps"] == [{"step": "department-head", "department": STAFF["department"]},
                                           {"step": "department-head", "department": CULTURE},
                                           {"step": "mayor-office", "department": None}]
    assert_problem(act(trips, trip["id"], "approve", roles="department-head", department=CULTURE), 403)
    first = act(trips, trip["id"], "approve", roles="department-head").json
    assert (first["awaiting"], first["awaiting_department"]) == ("department-head", CULTURE)
    waiting = trips.call("GET", f"/api/v1/trips?awaiting_department={CULTURE}", roles="department-head",
                         department=CULTURE).json
    assert [item["id"] for item in waiting["items"]] == [trip["id"]]
    assert_problem(act(trips, trip["id"], "approve", roles="department-head"), 403)
    second = act(trips, trip["id"], "approve", roles="department-head", department=CULTURE.upper()).json
    assert (second["awaiting"], second["awaiting_department"]) == ("mayor-office", None)
    final = act(trips, trip["id"], "approve", roles="mayor-office", department=None).json
    assert final["status"] == "approved"
    assert [(d["step"], d["department"]) for d in final["decisions"]] == [
        ("department-head", STAFF["department"]), ("department-head", CULTURE), ("mayor-office", None)]
