"""An official's time in one place (decisions 0130, 0131), across visits and trips as real processes on the real
broker and PostgreSQL: a trip abroad approved keeps its official out of a meeting on its days, a meeting keeps
a trip from being approved over it, an override is audited, and a redelivered or late event changes nothing; a
confidential trip keeps its official's time without telling whoever need not know of it (decision 0190)."""

import json
import uuid

import pytest

from tests.support.broker import publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
TRIP_DAYS = ("2027-05-20", "2027-05-23")


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "trips"), tmp_path_factory.mktemp("officials-time"), database="postgres") as suite:
        yield suite


def an_official(suite, name: str) -> dict:
    """A registered official who older records also call "<name>, Mayor"."""
    body = {"id": f"sub-{uuid.uuid4()}", "display_name": name, "offices": ["Mayor"], "aliases": [f"{name}, Mayor"]}
    answer = suite.call("POST", "visits", "/api/v1/officials", body, roles="protocol")
    assert answer.status == 201, answer.body
    return answer.json


def a_trip(suite, official: dict, **marking) -> dict:
    """A trip abroad of the official, ready to be approved by the mayor's office."""
    traveller = {"full_name": official["display_name"], "job_title": "Mayor", "category": "mayor",
                 "department": "Office of the Mayor", "official_id": official["id"]}
    trip = suite.call("POST", "trips", "/api/v1/trips", {
        "title": f"{official['display_name']} in Sofia", "purpose": "Twinning anniversary",
        "department": "Office of the Mayor", "destinations": [{"country": "BG", "city": "Sofia"}],
        "starts_on": TRIP_DAYS[0], "ends_on": TRIP_DAYS[1], "funding": "city", "travellers": [traveller],
        **marking}, roles="travel").json
    path = f"/api/v1/trips/{trip['id']}/travellers/{trip['travellers'][0]['id']}"
    passport = {"number": "751234567", "expires_on": "2032-01-01"}
    assert suite.call("PUT", "trips", f"{path}/passport", passport, roles="travel").status == 200
    for kind, status in (("visa", "not_required"), ("insurance", "obtained"), ("travel_order", "obtained")):
        assert suite.call("PUT", "trips", f"{path}/documents/{kind}", {"status": status}, roles="travel").status == 200
    assert suite.call("POST", "trips", f"/api/v1/trips/{trip['id']}/submit", {}, roles="travel").status == 200
    return trip


def approve(suite, trip: dict, **body):
    return suite.call("POST", "trips", f"/api/v1/trips/{trip['id']}/approve", body, roles="mayor-office")


def a_meeting(suite, official: str, day: str, sub: str = "tester", **extra):
    return suite.call("POST", "visits", "/api/v1/meetings", {
        "title": "The Mayor receives the Ambassador of Japan", "official": official, "guests": ["H.E. Kenji Sato"],
        "country": "JP", "starts_at": f"{day}T11:00:00", "ends_at": f"{day}T11:45:00", "time_zone": "Europe/Sofia",
        **extra}, roles="protocol", sub=sub)


def schedule(suite, official: dict, roles: str = "mayor-office", sub: str = "tester") -> list[dict]:
    answer = suite.call("GET", "visits", f"/api/v1/officials/{official['id']}/schedule", roles=roles, sub=sub)
    assert answer.status == 200, answer.body
    return answer.json["items"]


def trip_known(suite, official: dict, trip_id: str, status: str) -> bool:
    return any(item["id"] == trip_id and item["status"] == status for item in schedule(suite, official))


def audited(suite, service: str, record_id: str) -> list[dict]:
    answer = suite.call("GET", service, "/api/v1/audit-records?action=official-busy.overridden", roles="auditor")
    return [record for record in answer.json["items"] if record["record_id"] == record_id]


def test_a_trip_abroad_approved_keeps_its_official_out_of_a_meeting_on_its_days_naming_the_trip(suite):
    official = an_official(suite, "Ivan Sergeev")
    trip = a_trip(suite, official)
    assert approve(suite, trip).status == 200
    eventually(lambda: trip_known(suite, official, trip["id"], "approved"), timeout=30, message="the trip in visits")

    refused = a_meeting(suite, "ivan  SERGEEV, mayor", "2027-05-21")  # an older record's spelling
    assert refused.status == 409
    assert refused.json["type"].endswith("/official-busy")
    assert [found["trip_id"] for found in refused.json["trips"]] == [trip["id"]]
    assert "Ivan Sergeev in Sofia" in refused.json["detail"]
    assert suite.call("GET", "visits", "/api/v1/meetings?official=Ivan%20Sergeev%2C%20Mayor",
                      roles="protocol").json["items"] == []
    assert a_meeting(suite, "Ivan Sergeev", "2027-05-24").status == 201  # back home

    placed = a_meeting(suite, "Ivan Sergeev", "2027-05-21", override_reason="He joins by video link from Sofia")
    assert placed.status == 201, placed.body
    [record] = audited(suite, "visits", placed.json["id"])
    assert record["changes"]["reason"] == "He joins by video link from Sofia"
    assert [found["trip_id"] for found in record["changes"]["trips"]] == [trip["id"]]
    titles = [item["title"] for item in schedule(suite, official)]
    assert titles.count("The Mayor receives the Ambassador of Japan") == 2 and "Ivan Sergeev in Sofia" in titles


def test_a_meeting_in_visits_keeps_a_trip_from_being_approved_over_it_unless_overridden(suite):
    official = an_official(suite, "Elena Petrova")
    meeting = a_meeting(suite, f"{official['display_name']}, Mayor", "2027-05-22")
    assert meeting.status == 201, meeting.body
    trip = a_trip(suite, official)
    engagements = f"/api/v1/trips/{trip['id']}/engagements"
    eventually(lambda: suite.call("GET", "trips", engagements, roles="travel").json["engagements"], timeout=30,
               message="the meeting in trips")

    refused = approve(suite, trip)
    assert refused.status == 409
    assert refused.json["type"].endswith("/official-busy")
    assert [found["id"] for found in refused.json["engagements"]] == [meeting.json["id"]]
    assert suite.call("GET", "trips", f"/api/v1/trips/{trip['id']}", roles="travel").json["status"] == "submitted"

    approved = approve(suite, trip, override_reason="The deputy mayor receives the Ambassador instead")
    assert approved.status == 200 and approved.json["status"] == "approved"
    [record] = audited(suite, "trips", trip["id"])
    assert record["changes"]["reason"] == "The deputy mayor receives the Ambassador instead"
    assert [found["id"] for found in record["changes"]["engagements"]] == [meeting.json["id"]]


def trip_event(trip_id: str, official: dict, version: int, status: str, month: str = "06") -> bytes:
    return json.dumps({
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/trips",
        "type": f"chancery.trips.trip.{'approved' if status == 'approved' else 'cancelled'}.v1",
        "time": "2027-03-01T09:30:00Z", "subject": trip_id, "datacontenttype": "application/json",
        "data": {"id": trip_id, "title": f"Trip {version}", "status": status, "countries": ["AT"],
                 "starts_on": f"2027-{month}-01", "ends_on": f"2027-{month}-03", "version": version,
                 "officials": [{"official_id": official["id"], "name": official["display_name"]}]}}).encode()


def test_a_redelivered_or_late_trip_event_changes_nothing_in_visits(suite):
    official = an_official(suite, "Pavel Orlov")
    trip_id, marker_id = str(uuid.uuid4()), str(uuid.uuid4())
    approved = trip_event(trip_id, official, 3, "approved")
    publish_raw(suite.namespace, "chancery.trips.trip.approved.v1", approved)
    eventually(lambda: trip_known(suite, official, trip_id, "approved"), timeout=30, message="the trip in visits")

    publish_raw(suite.namespace, "chancery.trips.trip.approved.v1", approved)  # redelivered
    publish_raw(suite.namespace, "chancery.trips.trip.cancelled.v1", trip_event(trip_id, official, 2, "cancelled"))
    # The queue is applied in order: once a later trip is known, the two before it were handled.
    marker = trip_event(marker_id, official, 1, "approved", month="07")
    publish_raw(suite.namespace, "chancery.trips.trip.approved.v1", marker)
    eventually(lambda: trip_known(suite, official, marker_id, "approved"), timeout=30, message="the marker trip")

    [kept] = [item for item in schedule(suite, official) if item["id"] == trip_id]
    assert (kept["status"], kept["title"]) == ("approved", "Trip 3")
    assert a_meeting(suite, "Pavel Orlov", "2027-06-02").status == 409

    publish_raw(suite.namespace, "chancery.trips.trip.cancelled.v1", trip_event(trip_id, official, 4, "cancelled"))
    eventually(lambda: not any(item["id"] == trip_id for item in schedule(suite, official)), timeout=30,
               message="the cancellation in visits")
    assert a_meeting(suite, "Pavel Orlov", "2027-06-02").status == 201


def test_a_confidential_trip_abroad_refuses_a_meeting_on_its_days_naming_only_its_id_to_a_protocol_officer(suite):
    official = an_official(suite, "Maria Dimitrova")
    trip = a_trip(suite, official, confidentiality="confidential", need_to_know={"roles": ["mayor-office"]})
    assert approve(suite, trip).status == 200
    eventually(lambda: trip_known(suite, official, trip["id"], "approved"), timeout=30, message="the trip in visits")

    refused = a_meeting(suite, "Maria Dimitrova", "2027-05-21", sub="petar")
    assert refused.status == 409
    assert refused.json["trips"] == [{"trip_id": trip["id"], "official": "Maria Dimitrova",
                                      "starts_on": TRIP_DAYS[0], "ends_on": TRIP_DAYS[1]}]
    assert "Sofia" not in refused.json["detail"] and trip["id"] in refused.json["detail"]
    [busy] = schedule(suite, official, roles="protocol", sub="petar")
    assert (busy["id"], busy["title"]) == (trip["id"], "Busy (confidential)")
    assert [item["title"] for item in schedule(suite, official)] == ["Maria Dimitrova in Sofia"]

    version = suite.call("GET", "trips", f"/api/v1/trips/{trip['id']}", roles="travel").json["version"]
    opened = suite.call("PATCH", "trips", f"/api/v1/trips/{trip['id']}", {"confidentiality": "open"},
                        roles="travel", headers={"If-Match": f'"{version}"'})
    assert opened.status == 200, opened.body
    eventually(lambda: [item["title"] for item in schedule(suite, official, roles="protocol", sub="petar")]
               == ["Maria Dimitrova in Sofia"], timeout=30, message="the trip released in visits")
