"""A department's part of the consolidated plan on the real outreach service, read by two department heads
(decision 0136): each lists and reads its own department's items and reports progress on them; the other's answer
404 by id and are left out of lists; the mayor's office reads every department's and sees the plan by department."""

import pytest

from tests.security.test_departments import CULTURE, HEADS, LEGAL

pytestmark = pytest.mark.integration
YEAR = 2031  # a year of its own: the other security tests leave no plan items in it


@pytest.fixture(scope="module")
def suite(every_service):
    return every_service


def as_head(suite, department, method, path, body=None):
    return suite.call(method, "outreach", path, body, roles="department-head", sub=HEADS[department],
                      department=department)


@pytest.fixture(scope="module")
def items(suite) -> dict[str, str]:
    made = {}
    for department, typed in ((LEGAL, "legal  department"), (CULTURE, CULTURE)):
        answer = suite.call("POST", "outreach", "/api/v1/plan-items", {
            "activity": f"Twinning week: {department}", "responsible_body": typed, "due_on": f"{YEAR}-06-01"},
            roles="outreach")
        assert answer.status == 201, answer.json
        made[department] = answer.json["id"]
    return made


@pytest.mark.parametrize(("own", "other"), [(LEGAL, CULTURE), (CULTURE, LEGAL)])
def test_a_head_reads_and_reports_on_its_departments_plan_items_and_never_sees_the_others(suite, items, own, other):
    listed = as_head(suite, own, "GET", f"/api/v1/plan-items?year={YEAR}&page_size=200").json["items"]
    assert [item["id"] for item in listed] == [items[own]]
    assert as_head(suite, own, "GET", f"/api/v1/plan-items/{items[own]}").status == 200
    for method, path, body in (("GET", "", None), ("POST", "/start", {}), ("POST", "/progress", {"progress": 5})):
        answer = as_head(suite, own, method, f"/api/v1/plan-items/{items[other]}{path}", body)
        assert (answer.status, answer.json["type"].rsplit("/", 1)[-1]) == (404, "not-found"), path
    started = as_head(suite, own, "POST", f"/api/v1/plan-items/{items[own]}/start", {})
    assert started.status == 200, started.json
    reported = as_head(suite, own, "POST", f"/api/v1/plan-items/{items[own]}/progress", {"progress": 30})
    assert (reported.status, reported.json["progress"]) == (200, 30)
    audit = suite.call("GET", "outreach", f"/api/v1/audit-records?record_id={items[own]}&page_size=50",
                       roles="auditor").json["items"]
    assert [record["actor"] for record in audit if record["action"] == "plan-item.progressed"] == [HEADS[own]]


def test_the_mayors_office_reads_every_departments_items_and_the_plan_by_department(suite, items):
    listed = suite.call("GET", "outreach", f"/api/v1/plan-items?year={YEAR}&page_size=200", roles="mayor-office")
    assert {item["id"] for item in listed.json["items"]} == set(items.values())
    legal = suite.call("GET", "outreach", f"/api/v1/plan-items?year={YEAR}&department={LEGAL.replace(' ', '%20')}",
                       roles="mayor-office").json["items"]
    assert [item["id"] for item in legal] == [items[LEGAL]]
    report = suite.call("GET", "outreach", f"/api/v1/plans/{YEAR}/monitoring", roles="mayor-office").json
    assert {row["responsible_body"]: row["total"] for row in report["by_responsible_body"]} == {
        "legal  department": 1, CULTURE: 1}
