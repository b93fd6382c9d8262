"""The report after a trip: outcomes, agreements, follow-ups and coverage; submitting emits what outreach needs."""

import pytest
from sqlalchemy import select

from services.trips.api.report_schemas import REPORT_EXAMPLE
from services.trips.tests.support import STAFF, act, assert_problem, create, put_papers

FOLLOW_UP = {"title": "Draft the orchestra exchange programme", "due_on": "2027-09-30",
             "responsible_body": "Department of Culture"}


@pytest.fixture
def travelled(trips):
    trip = create(trips, travellers=[STAFF], partner_id="b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c")
    put_papers(trips, trip)
    act(trips, trip["id"], "submit")
    act(trips, trip["id"], "approve", roles="department-head")
    return trip


def write(trips, trip, body=None):
    return trips.call("POST", f"/api/v1/trips/{trip['id']}/report", body or REPORT_EXAMPLE, roles="travel")


def last_event(trips) -> dict:
    service = trips.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        return dict(session.execute(select(table).order_by(table.c.position.desc()).limit(1)).mappings().one())


def test_submitting_a_report_emits_its_follow_ups_with_the_trips_countries_and_partner(trips, travelled):
    written = write(trips, travelled)
    assert written.status_code == 201, written.json
    assert written.json["status"] == "draft"
    assert last_event(trips)["type"] == "chancery.trips.report.drafted.v1"
    submitted = trips.call("POST", f"/api/v1/trips/{travelled['id']}/report/submit", {}, roles="travel")
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["status"] == "submitted" and submitted.json["submitted_at"]
    event = last_event(trips)
    assert event["type"] == "chancery.trips.report.submitted.v1"
    data = event["data"]
    assert data["trip_id"] == travelled["id"] and data["id"] == written.json["id"]
    assert data["title"] == travelled["title"]
    assert data["countries"] == ["BG"] and data["partner_id"] == travelled["partner_id"]
    [follow_up] = data["follow_ups"]
    assert follow_up == {"id": written.json["follow_ups"][0]["id"], **FOLLOW_UP}


def test_a_report_before_the_trip_is_approved_is_409(trips):
    trip = create(trips)
    problem = assert_problem(write(trips, trip), 409)
    assert problem["allowed_actions"] == ["submit", "cancel"]


def test_a_trip_has_one_report(trips, travelled):
    write(trips, travelled)
    assert_problem(write(trips, travelled), 409)


def test_a_revised_report_keeps_the_ids_of_the_follow_ups_it_keeps(trips, travelled):
    report = write(trips, travelled).json
    kept = report["follow_ups"][0]
    base = f"/api/v1/trips/{travelled['id']}/report"
    trips.call("POST", f"{base}/submit", {}, roles="travel")
    assert_problem(trips.call("PATCH", base, {"outcomes": "More"}, roles="travel"), 409)
    assert trips.call("POST", f"{base}/revise", {}, roles="travel").json["status"] == "draft"
    changed = trips.call("PATCH", base, {"follow_ups": [
        {**kept, "due_on": "2027-10-31"},
        {"title": "Invite the Sofia orchestra", "due_on": "2028-03-01", "responsible_body": "Music School No. 1"}]},
        roles="travel", headers={"If-Match": '"3"'})
    assert changed.status_code == 200, changed.json
    ids = [item["id"] for item in changed.json["follow_ups"]]
    assert ids[0] == kept["id"] and ids[1] != kept["id"]
    assert changed.json["follow_ups"][0]["due_on"] == "2027-10-31"
    resubmitted = trips.call("POST", f"{base}/submit", {}, roles="travel")
    assert [item["id"] for item in last_event(trips)["data"]["follow_ups"]] == ids
    assert resubmitted.json["version"] == 5


def test_a_follow_up_id_that_is_not_on_the_report_is_refused_naming_it(trips, travelled):
    write(trips, travelled)
    response = trips.call("PATCH", f"/api/v1/trips/{travelled['id']}/report",
                          {"follow_ups": [{**FOLLOW_UP, "id": "not-ours"}]}, roles="travel")
    assert_problem(response, 422, field="follow_ups.0.id")


@pytest.mark.parametrize(("change", "field"), [
    ({"outcomes": " "}, "outcomes"),
    ({"follow_ups": [{**FOLLOW_UP, "due_on": "soon"}]}, "follow_ups.0.due_on"),
    ({"coverage": [{"outlet": "X", "headline": "Y", "url": "javascript:alert(1)", "published_on": "2027-05-21"}]},
     "coverage.0.url"),
])
def test_a_report_with_a_bad_field_is_refused_naming_it(trips, travelled, change, field):
    assert_problem(write(trips, travelled, {**REPORT_EXAMPLE, **change}), 422, field=field)


def test_a_trip_without_a_report_answers_404(trips, travelled):
    assert_problem(trips.call("GET", f"/api/v1/trips/{travelled['id']}/report", roles="mayor-office"), 404)


def test_a_confidential_trips_submitted_report_is_announced_again_for_everyone_when_the_trip_is_made_open(trips):
    named = {"people": ["tester"], "roles": ["travel", "department-head"]}
    trip = create(trips, travellers=[STAFF], confidentiality="confidential", need_to_know=named)
    put_papers(trips, trip)
    act(trips, trip["id"], "submit")
    act(trips, trip["id"], "approve", roles="department-head")
    assert write(trips, trip).status_code == 201
    assert trips.call("POST", f"/api/v1/trips/{trip['id']}/report/submit", {}, roles="travel").status_code == 200
    assert last_event(trips)["type"] == "chancery.trips.report.submitted.v1"
    assert last_event(trips)["data"]["confidential"] is True
    version = trips.call("GET", f"/api/v1/trips/{trip['id']}", roles="travel").headers["ETag"]
    opened = trips.call("PATCH", f"/api/v1/trips/{trip['id']}", {"confidentiality": "open"}, roles="travel",
                        headers={"If-Match": version})
    assert opened.status_code == 200, opened.json
    again = last_event(trips)
    assert again["type"] == "chancery.trips.report.submitted.v1" and "confidential" not in again["data"]
    assert [item["title"] for item in again["data"]["follow_ups"]] == [FOLLOW_UP["title"]]
