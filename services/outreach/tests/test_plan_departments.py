"""Departments in the consolidated plan (decision 0136): a department head reads its own department's items (the
responsible body, compared with its token's `department` claim ignoring case and spacing) and reports on them;
another department's item answers 404; the mayor's office sees the plan by department."""

import pytest

CULTURE, SPORTS = "Department of Culture", "Sports Directorate"


@pytest.fixture
def items(outreach):
    made = {}
    for key, body, due_on in (("culture", "department of  CULTURE", "2027-05-27"), ("sports", SPORTS, "2027-06-10"),
                              ("culture-late", CULTURE, "2027-01-10")):
        made[key] = outreach.create("/api/v1/plan-items", {"activity": f"Activity of {key}", "responsible_body": body,
                                                           "due_on": due_on})["id"]
    return made


def as_head(outreach, method, path, body=None, department=CULTURE):
    return outreach.call(method, path, body, roles="department-head", sub="head", department=department)


def test_a_department_head_lists_and_reads_only_its_departments_items(outreach, items):
    listed = as_head(outreach, "GET", "/api/v1/plan-items?year=2027")
    assert listed.status_code == 200
    assert {item["id"] for item in listed.json["items"]} == {items["culture"], items["culture-late"]}
    assert as_head(outreach, "GET", f"/api/v1/plan-items/{items['culture']}").status_code == 200
    assert as_head(outreach, "GET", f"/api/v1/plan-items/{items['sports']}").status_code == 404
    unclaimed = as_head(outreach, "GET", "/api/v1/plan-items", department=None)
    assert unclaimed.json["items"] == []


def test_a_department_head_reports_progress_on_its_items_only(outreach, items):
    own, other = f"/api/v1/plan-items/{items['culture']}", f"/api/v1/plan-items/{items['sports']}"
    assert as_head(outreach, "POST", f"{own}/start", {}).json["status"] == "in_progress"
    reported = as_head(outreach, "POST", f"{own}/progress", {"progress": 40, "note": "Venue booked"})
    assert (reported.status_code, reported.json["progress"]) == (200, 40)
    assert as_head(outreach, "POST", f"{own}/complete", {}).json["status"] == "done"
    assert as_head(outreach, "POST", f"{other}/start", {}).status_code == 404
    assert as_head(outreach, "POST", f"{other}/progress", {"progress": 10}).status_code == 404
    assert outreach.call("GET", other, roles="outreach").json["status"] == "planned"
    # Planning stays outreach's: a head neither cancels, changes nor enters items.
    assert as_head(outreach, "POST", f"{own}/reopen", {}).status_code == 403
    assert as_head(outreach, "PATCH", own, {"due_on": "2027-06-01"}).status_code == 403
    assert as_head(outreach, "POST", "/api/v1/plan-items", {"activity": "x", "responsible_body": CULTURE,
                                                            "due_on": "2027-05-01"}).status_code == 403


def test_the_mayors_office_sees_the_plan_by_department(outreach, items):
    culture = outreach.call("GET", "/api/v1/plan-items?department=Department%20of%20Culture", roles="mayor-office")
    assert {item["id"] for item in culture.json["items"]} == {items["culture"], items["culture-late"]}
    report = outreach.call("GET", "/api/v1/plans/2027/monitoring?as_of=2027-03-01", roles="mayor-office").json
    assert [(row["responsible_body"], row["total"], row["overdue"]) for row in report["by_responsible_body"]] == [
        ("department of  CULTURE", 2, 1), (SPORTS, 1, 0)]
