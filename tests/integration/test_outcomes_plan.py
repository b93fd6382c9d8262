"""Outcomes reach the plan (decision 0155), across visits, trips and outreach as real processes on the real broker
and PostgreSQL: a visit report's follow-ups become plan items linking back to the report, move and are withdrawn
when the report is revised, and a redelivered or late event changes nothing; an approved trip is a plan item
that moves with the trip."""

import json
import uuid

import pytest

from tests.support.broker import CitySystemListener, publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
REPORT_SUBMITTED = "chancery.visits.visit-report.submitted.v1"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "trips", "outreach"), tmp_path_factory.mktemp("outcomes-plan"), database="postgres") as suite:
        yield suite


def call(suite, method: str, service: str, path: str, body=None, version: int | None = None, roles="protocol"):
    headers = {"If-Match": f'"{version}"'} if version else None
    answer = suite.call(method, service, path, body, roles=roles, headers=headers)
    assert answer.status in (200, 201), answer.body
    return answer.json


def items_from(suite, source: str, source_id: str) -> list[dict]:
    answer = suite.call("GET", "outreach", f"/api/v1/plan-items?source={source}&page_size=200&sort=due_on",
                        roles="mayor-office")
    assert answer.status == 200, answer.body
    return [item for item in answer.json["items"] if item["source_id"] == source_id]


def until_items(suite, source: str, source_id: str, check, message: str) -> list[dict]:
    return eventually(lambda: (found := items_from(suite, source, source_id)) and check(found) and found,
                      timeout=30, message=message)


def a_visit_under_way(suite) -> dict:
    visit = call(suite, "POST", "visits", "/api/v1/visits", {
        "delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
        "starts_on": "2032-03-10", "ends_on": "2032-03-12", "purpose": "Twinning anniversary",
        "host_official": "Deputy Mayor for Culture", "partner_id": str(uuid.uuid4())})
    confirmed = call(suite, "POST", "visits", f"/api/v1/visits/{visit['id']}/confirm", {}, visit["version"])
    return call(suite, "POST", "visits", f"/api/v1/visits/{visit['id']}/start", {}, confirmed["version"])


def test_a_visit_reports_follow_ups_become_plan_items_linking_back_and_a_redelivered_or_late_event_changes_nothing(
        suite):
    visit = a_visit_under_way(suite)
    report_path = f"/api/v1/visits/{visit['id']}/report"
    report = call(suite, "POST", "visits", report_path, {"outcome": "A tech forum", "follow_ups": [
        {"title": "Send the forum concept", "owner": "Maria Ivanova", "department": "International Relations",
         "due_on": "2032-04-15"},
        {"title": "Thank-you letter", "owner": "Petar Georgiev", "due_on": "2032-03-20"}]})
    listener = CitySystemListener(suite.namespace, REPORT_SUBMITTED)
    try:
        submitted = call(suite, "POST", "visits", f"{report_path}/submit", {}, report["version"])
        [(first_submission, _)] = listener.receive(1)
    finally:
        listener.close()
    letter, concept = until_items(suite, "visit_report", report["id"], lambda found: len(found) == 2,
                                  "the report's two follow-ups in the plan")
    assert (concept["activity"], concept["responsible_body"], concept["due_on"], concept["partner_id"]) == (
        "Send the forum concept", "International Relations", "2032-04-15", visit["partner_id"])
    assert letter["responsible_body"] == "Petar Georgiev"
    assert concept["origin"] == {"kind": "visit_report", "id": report["id"], "service": "visits",
                                 "href": report_path}
    assert call(suite, "GET", "visits", concept["origin"]["href"])["id"] == report["id"]  # the link leads back

    revised = call(suite, "POST", "visits", f"{report_path}/revise", {}, submitted["version"])
    kept = {**submitted["follow_ups"][0], "due_on": "2032-05-01"}
    changed = call(suite, "PATCH", "visits", report_path, {"follow_ups": [kept]}, revised["version"])
    call(suite, "POST", "visits", f"{report_path}/submit", {}, changed["version"])
    settled = until_items(suite, "visit_report", report["id"],
                          lambda found: [item["status"] for item in found] == ["cancelled", "planned"],
                          "the dropped follow-up withdrawn")
    assert settled[1]["due_on"] == "2032-05-01" and settled[1]["id"] == concept["id"]

    body = json.dumps(first_submission).encode()
    publish_raw(suite.namespace, REPORT_SUBMITTED, body)  # redelivered: the inbox knows its id
    publish_raw(suite.namespace, REPORT_SUBMITTED, json.dumps({**first_submission, "id": str(uuid.uuid4())}).encode())
    # Outreach consumes in order: once the sentinel's item is in the plan, both republished events were handled.
    sentinel = {**first_submission, "id": str(uuid.uuid4()), "time": "2032-06-01T00:00:00Z",
                "data": {**first_submission["data"], "id": str(uuid.uuid4())}}
    publish_raw(suite.namespace, REPORT_SUBMITTED, json.dumps(sentinel).encode())
    until_items(suite, "visit_report", sentinel["data"]["id"], lambda found: len(found) == 2, "the sentinel's items")
    assert items_from(suite, "visit_report", report["id"]) == settled


def test_a_meetings_follow_up_is_a_plan_item_linking_back_to_its_meeting(suite):
    meeting = call(suite, "POST", "visits", "/api/v1/meetings", {
        "title": "The Mayor receives the Ambassador of Japan", "official": "Mayor of Sofia", "guests": ["H.E."],
        "country": "JP", "starts_at": "2032-03-15T11:00:00", "ends_at": "2032-03-15T11:45:00",
        "time_zone": "Europe/Sofia"})
    follow_up = call(suite, "POST", "visits", f"/api/v1/meetings/{meeting['id']}/follow-ups", {
        "title": "Send the tech forum concept", "responsible_body": "Culture", "due_on": "2032-04-15"})
    [item] = until_items(suite, "meeting_follow_up", follow_up["id"], lambda found: True, "the follow-up's item")
    assert item["origin"]["href"] == f"/api/v1/meetings/{meeting['id']}"
    call(suite, "PATCH", "visits", f"/api/v1/meetings/{meeting['id']}/follow-ups/{follow_up['id']}",
         {"due_on": "2032-05-02"}, follow_up["version"])
    until_items(suite, "meeting_follow_up", follow_up["id"], lambda found: found[0]["due_on"] == "2032-05-02",
                "the item moved with the follow-up")


def an_approved_trip(suite) -> dict:
    traveller = {"full_name": "Ivan Sergeev", "job_title": "Mayor", "category": "mayor",
                 "department": "Office of the Mayor"}
    trip = call(suite, "POST", "trips", "/api/v1/trips", {
        "title": "The Mayor in Sofia", "purpose": "Twinning anniversary", "department": "Office of the Mayor",
        "destinations": [{"country": "BG", "city": "Sofia"}], "starts_on": "2032-05-20", "ends_on": "2032-05-23",
        "funding": "city", "travellers": [traveller]}, roles="travel")
    path = f"/api/v1/trips/{trip['id']}/travellers/{trip['travellers'][0]['id']}"
    call(suite, "PUT", "trips", f"{path}/passport", {"number": "751234567", "expires_on": "2036-01-01"},
         roles="travel")
    for kind, status in (("visa", "not_required"), ("insurance", "obtained"), ("travel_order", "obtained")):
        call(suite, "PUT", "trips", f"{path}/documents/{kind}", {"status": status}, roles="travel")
    call(suite, "POST", "trips", f"/api/v1/trips/{trip['id']}/submit", {}, roles="travel")
    return call(suite, "POST", "trips", f"/api/v1/trips/{trip['id']}/approve", {}, roles="mayor-office")


def test_an_approved_trip_is_a_plan_item_withdrawn_when_the_trip_is_cancelled(suite):
    trip = an_approved_trip(suite)
    [item] = until_items(suite, "trip", trip["id"], lambda found: True, "the approved trip's item")
    assert (item["activity"], item["responsible_body"], item["starts_on"], item["due_on"], item["status"]) == (
        "The Mayor in Sofia", "Office of the Mayor", "2032-05-20", "2032-05-23", "planned")
    assert item["origin"] == {"kind": "trip", "id": trip["id"], "service": "trips",
                              "href": f"/api/v1/trips/{trip['id']}"}
    call(suite, "POST", "trips", f"/api/v1/trips/{trip['id']}/cancel", {"reason": "Elections"}, trip["version"],
         roles="travel")
    [withdrawn] = until_items(suite, "trip", trip["id"], lambda found: found[0]["status"] == "cancelled",
                              "the item withdrawn")
    assert withdrawn["status_reason"] == "the trip was cancelled"
