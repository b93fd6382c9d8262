"""The report after a visit: outcome, agreements and follow-ups with owners and due dates, written once the visit
has begun, changed as a draft, submitted for the annual plan (decision 0155)."""

import pytest

from services.visits.tests.support import act, assert_problem, audit_actions, create_visit, outbox, post

REPORT = {"outcome": "Agreed a joint tech forum.", "agreements": "Memorandum on the 2028 forum initialled.",
          "follow_ups": [{"title": "Send the forum concept to Lyon", "owner": "Maria Ivanova",
                          "department": "Directorate of International Relations", "due_on": "2027-04-15"},
                         {"title": "Thank-you letter", "owner": "Petar Georgiev", "due_on": "2027-03-20"}]}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


@pytest.fixture
def visit(visits):
    visit = create_visit(visits)
    for action in ("confirm", "start"):
        assert act(visits, visit["id"], action).status_code == 200
    return visit


def test_a_report_is_written_once_the_visit_has_begun_and_names_each_follow_ups_owner(visits, visit):
    draft = create_visit(visits)
    assert assert_problem(visits.call("POST", f"/api/v1/visits/{draft['id']}/report", REPORT, roles="protocol"),
                          409)["allowed_actions"]
    report = post(visits, f"/api/v1/visits/{visit['id']}/report", REPORT)
    assert (report["status"], report["visit_id"], report["version"]) == ("draft", visit["id"], 1)
    assert [(f["owner"], f["department"]) for f in report["follow_ups"]] == [
        ("Maria Ivanova", "Directorate of International Relations"), ("Petar Georgiev", None)]
    assert visits.call("GET", f"/api/v1/visits/{visit['id']}/report", roles="mayor-office").json == report
    assert_problem(visits.call("POST", f"/api/v1/visits/{visit['id']}/report", REPORT, roles="protocol"), 409)
    assert_problem(visits.call("POST", f"/api/v1/visits/{visit['id']}/report", REPORT, roles="mayor-office"), 403)


def test_bad_follow_ups_are_refused_naming_the_field_and_nothing_is_written(visits, visit):
    path = f"/api/v1/visits/{visit['id']}/report"
    bad = {**REPORT, "follow_ups": [{"title": "Letter", "owner": " ", "due_on": "2027-03-20"}]}
    assert_problem(visits.call("POST", path, bad, roles="protocol"), 422, "follow_ups.0.owner")
    assert_problem(visits.call("GET", path), 404)
    assert outbox(visits, "chancery.visits.visit-report.") == []


def test_a_draft_changes_keeping_follow_ups_by_id_and_a_submitted_one_only_after_a_revision(visits, visit):
    path = f"/api/v1/visits/{visit['id']}/report"
    report = post(visits, path, REPORT)
    kept = {**report["follow_ups"][0], "due_on": "2027-05-01"}
    changed = visits.call("PATCH", path, {"follow_ups": [kept]}, roles="protocol", headers={"If-Match": '"1"'})
    assert [(f["id"], f["due_on"]) for f in changed.json["follow_ups"]] == [(kept["id"], "2027-05-01")]
    unknown = {**kept, "id": "00000000-0000-4000-8000-000000000000"}
    assert_problem(visits.call("PATCH", path, {"follow_ups": [unknown]}, roles="protocol"), 422, "follow_ups.0.id")
    assert_problem(visits.call("PATCH", path, {"outcome": "x"}, roles="protocol", headers={"If-Match": '"1"'}), 412)
    submitted = visits.call("POST", f"{path}/submit", roles="protocol", headers={"If-Match": '"2"'})
    assert (submitted.json["status"], submitted.json["submitted_at"] is not None) == ("submitted", True)
    assert_problem(visits.call("PATCH", path, {"outcome": "x"}, roles="protocol"), 409)
    assert visits.call("POST", f"{path}/revise", roles="protocol").json["status"] == "draft"
    events = outbox(visits, "chancery.visits.visit-report.")
    assert [e["type"].split(".")[-2] for e in events] == ["drafted", "updated", "submitted", "revised"]
    assert events[2]["data"]["follow_ups"] == [{"id": kept["id"], "title": kept["title"], "owner": "Maria Ivanova",
                                                "department": "Directorate of International Relations",
                                                "due_on": "2027-05-01"}]
    assert (events[2]["data"]["visit_id"], events[2]["data"]["delegation_name"]) == (
        visit["id"], visit["delegation_name"])
    assert audit_actions(visits, report["id"]) == ["visit-report.drafted", "visit-report.updated",
                                                   "visit-report.submitted", "visit-report.revised"]
