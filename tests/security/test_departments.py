"""A department's records on the real trips service, read by two department heads (decision 0080): each reads
its own department's trips and proposals, gets 404 for the other's by id and never sees them in a list, a
calendar feed or a year's totals; the roles that read every department's still do."""

from urllib.parse import quote, urlsplit

import pytest

from services.trips.api.programme_schemas import MEETING_EXAMPLE
from services.trips.api.proposal_schemas import ProposalIn
from services.trips.api.trip_schemas import TRIP_EXAMPLE
from tests.support.openapi import example_of
from tests.support.processes import http

pytestmark = pytest.mark.integration
LEGAL, CULTURE = "Legal Department", "Department of Culture"
HEADS = {LEGAL: "head-legal", CULTURE: "head-culture"}
OFFICE_WIDE = ("travel", "mayor-office", "admin")


def staff(name: str, department: str) -> dict:
    return {"full_name": name, "job_title": "Chief specialist", "category": "staff", "department": department}


@pytest.fixture(scope="module")
def suite(every_service):
    return every_service


def as_head(suite, department: str, method: str, path: str, body=None):
    return suite.call(method, "trips", path, body, roles="department-head", sub=HEADS[department],
                      department=department)


def create(suite, path: str, body: dict) -> str:
    answer = suite.call("POST", "trips", path, body, roles="travel")
    assert answer.status == 201, answer.json
    return answer.json["id"]


@pytest.fixture(scope="module")
def records(suite) -> dict[str, str]:
    """A trip and a proposal of each department, and a trip Legal asks for with a traveller from Culture."""
    trip = {**TRIP_EXAMPLE, "invitation_id": None, "partner_id": None}
    made = {}
    for department, name in ((LEGAL, "Lidia Legal"), (CULTURE, "Kiril Culture")):
        made[f"trip {department}"] = create(suite, "/api/v1/trips", {
            **trip, "department": department, "travellers": [staff(name, department)]})
        made[f"proposal {department}"] = create(suite, "/api/v1/proposals", example_of(
            ProposalIn, department=department, travellers=[staff(name, department)]))
    made["shared trip"] = create(suite, "/api/v1/trips", {
        **trip, "department": LEGAL, "travellers": [staff("Lidia Legal", LEGAL), staff("Kiril Culture", CULTURE)]})
    return made


def under_a_trip(trip_id: str) -> list[str]:
    """Reads of the trip and of what belongs to it."""
    base = f"/api/v1/trips/{trip_id}"
    return [base, *(f"{base}/{part}" for part in ("legs", "stays", "meetings", "costs", "budget", "documents",
                                                  "report", "coordination", "travel-order.pdf"))]


def listed(suite, department: str, path: str) -> set[str]:
    answer = as_head(suite, department, "GET", path)
    assert answer.status == 200, answer.json
    return {item["id"] for item in answer.json["items"]}


def test_a_department_head_gets_404_for_everything_of_another_departments_trip_and_proposal(suite, records):
    for department, other in ((LEGAL, CULTURE), (CULTURE, LEGAL)):
        paths = [*under_a_trip(records[f"trip {other}"]), f"/api/v1/proposals/{records[f'proposal {other}']}"]
        answers = {path: as_head(suite, department, "GET", path) for path in paths}
        assert {path: answer.status for path, answer in answers.items()} == {path: 404 for path in paths}
        assert all(answer.json["type"].endswith("/not-found") for answer in answers.values())


def test_a_meeting_of_another_departments_trip_is_404_by_id_to_a_head_and_read_by_its_own(suite, records):
    trip_id = records[f"trip {CULTURE}"]
    meeting = f"/api/v1/trips/{trip_id}/meetings/{create(suite, f'/api/v1/trips/{trip_id}/meetings', MEETING_EXAMPLE)}"
    assert as_head(suite, LEGAL, "GET", meeting).status == 404
    assert as_head(suite, CULTURE, "GET", meeting).status == 200


def test_a_department_head_reads_its_own_departments_trips_and_those_its_staff_travel_on(suite, records):
    for department in (LEGAL, CULTURE):
        for trip_id in (records[f"trip {department}"], records["shared trip"]):
            assert as_head(suite, department, "GET", f"/api/v1/trips/{trip_id}").status == 200
        assert as_head(suite, department, "GET", f"/api/v1/proposals/{records[f'proposal {department}']}"
                       ).status == 200


def test_lists_show_a_department_head_only_its_own_departments_records(suite, records):
    trips, proposals = "/api/v1/trips?page_size=100", "/api/v1/proposals?page_size=100"
    assert listed(suite, LEGAL, trips) == {records[f"trip {LEGAL}"], records["shared trip"]}
    assert listed(suite, CULTURE, trips) == {records[f"trip {CULTURE}"], records["shared trip"]}
    assert listed(suite, LEGAL, proposals) == {records[f"proposal {LEGAL}"]}
    assert listed(suite, CULTURE, f"{trips}&department={quote(LEGAL)}") == {records["shared trip"]}


def test_a_head_without_a_department_claim_reads_no_departments_records(suite, records):
    answer = suite.call("GET", "trips", "/api/v1/trips", roles="department-head", sub="head-nowhere")
    assert (answer.status, answer.json["items"]) == (200, [])
    trip = suite.call("GET", "trips", f"/api/v1/trips/{records['shared trip']}", roles="department-head")
    assert trip.status == 404


def test_calendar_feeds_and_year_totals_leave_out_another_departments_trips(suite, records):
    link = as_head(suite, CULTURE, "POST", "/api/v1/calendar-links", {"feed": "/api/v1/trips/calendar.ics"})
    assert link.status == 201, link.json
    url = urlsplit(link.json["url"])
    feed = http("GET", suite.url("trips", f"{url.path}?{url.query}"))
    assert feed.status == 200
    assert f"trip-{records[f'trip {CULTURE}']}@" in feed.body and f"trip-{records[f'trip {LEGAL}']}@" not in feed.body
    year = TRIP_EXAMPLE["starts_on"][:4]
    totals = {department: as_head(suite, department, "GET", f"/api/v1/budget/years/{year}").json["totals"]
              for department in (LEGAL, CULTURE)}
    assert [line["trips"] for line in totals[LEGAL]] == [2] and [line["trips"] for line in totals[CULTURE]] == [2]


def test_another_departments_head_deciding_gets_404_and_the_attempt_is_audited(suite, records):
    trip_id = records[f"trip {CULTURE}"]
    assert suite.call("POST", "trips", f"/api/v1/trips/{trip_id}/submit", {}, roles="travel").status == 200
    refused = as_head(suite, LEGAL, "POST", f"/api/v1/trips/{trip_id}/approve", {})
    assert refused.status == 404
    audit = suite.call("GET", "trips", f"/api/v1/audit-records?record_id={trip_id}&action=trip.decision-refused",
                       roles="auditor").json["items"]
    assert [(record["actor"], record["changes"]["actor_department"]) for record in audit] == [(HEADS[LEGAL], LEGAL)]


@pytest.mark.parametrize("roles", OFFICE_WIDE)
def test_the_travel_desk_the_mayors_office_and_admins_read_every_departments_records(suite, records, roles):
    for kind, path in (("trip", "/api/v1/trips"), ("proposal", "/api/v1/proposals")):
        answer = suite.call("GET", "trips", f"{path}?page_size=100", roles=roles, department=LEGAL)
        assert {records[f"{kind} {LEGAL}"], records[f"{kind} {CULTURE}"]} <= {item["id"] for item in
                                                                                answer.json["items"]}
        assert suite.call("GET", "trips", f"{path}/{records[f'{kind} {CULTURE}']}", roles=roles,
                          department=LEGAL).status == 200
