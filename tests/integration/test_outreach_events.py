"""Outreach on real processes and the real broker: CloudEvents published with pika, as the other services'
workers will publish them, or by the visits service itself running beside it, build each partner's timeline
(and the annual plan) once per event."""

import json
import uuid

import pika
import pytest

from shared.bus.topology import EVENTS
from tests.support.broker import CitySystemListener, connection
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "outreach"), tmp_path_factory.mktemp("outreach-events"), database="postgres") as suite:
        eventually(lambda: queue_exists(f"{suite.namespace}.chancery.outreach"), message="outreach's queue")
        yield suite


def queue_exists(name: str) -> bool:
    try:
        with connection() as conn:
            conn.channel().queue_declare(name, passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False


def publish(suite, event: dict) -> None:
    with connection() as conn:
        channel = conn.channel()
        channel.confirm_delivery()
        channel.basic_publish(f"{suite.namespace}.{EVENTS}", event["type"], json.dumps(event).encode(),
                              pika.BasicProperties(delivery_mode=2, message_id=event["id"],
                                                   content_type="application/cloudevents+json"),
                              mandatory=True)


def cloud_event(event_type: str, data: dict, time: str = "2027-03-01T09:30:00Z") -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": f"/chancery/{event_type.split('.')[1]}",
            "type": event_type, "time": time, "subject": data["id"], "datacontenttype": "application/json",
            "data": data}


def create_partner(suite, name: str) -> str:
    response = suite.call("POST", "outreach", "/api/v1/partners", {"kind": "city", "name": name, "country": "BG"},
                          roles="outreach")
    assert response.status == 201, response.body
    return response.json["id"]


def timeline(suite, partner_id: str) -> list[dict]:
    response = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/timeline", roles="outreach")
    assert response.status == 200, response.body
    return response.json["items"]


def visit(partner_id: str, name: str) -> dict:
    """A confirmed visit as the visits service publishes it (services/visits/events/visit.v1.json)."""
    return {"id": str(uuid.uuid4()), "delegation_name": name, "country": "BG", "city": "Plovdiv",
            "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Talks", "host_official": "Deputy Mayor",
            "status": "confirmed", "status_reason": None, "partner_id": partner_id, "version": 2}


def test_events_published_to_the_events_exchange_build_the_partners_timeline(suite):
    partner = create_partner(suite, "Plovdiv")
    publish(suite, cloud_event("chancery.visits.visit.confirmed.v1", visit(partner, "Delegation of Plovdiv")))
    publish(suite, cloud_event("chancery.trips.trip.approved.v1",
                               {"id": str(uuid.uuid4()), "title": "Mayor's visit to Plovdiv", "partner_id": partner,
                                "countries": ["BG"]}, time="2027-04-01T08:00:00Z"))
    entries = eventually(lambda: len(timeline(suite, partner)) == 2 and timeline(suite, partner),
                         message="two timeline entries")
    assert [(entry["source"], entry["title"]) for entry in entries] == [
        ("trips", "Mayor's visit to Plovdiv"), ("visits", "Delegation of Plovdiv")]


def test_a_redelivered_event_adds_nothing_to_the_timeline(suite):
    partner = create_partner(suite, "Varna")
    event = cloud_event("chancery.visits.visit.confirmed.v1", visit(partner, "Delegation of Varna"))
    publish(suite, event)
    publish(suite, event)
    # Outreach consumes in order: once the sentinel is on the timeline, the duplicate was handled before it.
    sentinel = cloud_event("chancery.visits.visit.completed.v1", visit(partner, "Sentinel"),
                           time="2027-05-01T00:00:00Z")
    publish(suite, sentinel)
    entries = eventually(lambda: [e for e in timeline(suite, partner) if e["title"] == "Sentinel"] and
                         timeline(suite, partner), message="the sentinel on the timeline")
    assert [entry["title"] for entry in entries] == ["Sentinel", "Delegation of Varna"]


def plan_items(suite, agreement_id: str) -> dict[str, dict]:
    response = suite.call("GET", "outreach", "/api/v1/plan-items?source=agreement&page_size=200", roles="mayor-office")
    assert response.status == 200, response.body
    return {item["source_item_id"]: item for item in response.json["items"] if item["source_id"] == agreement_id}


def until_cancelled(suite, agreement_id: str, activity_id: str) -> dict[str, dict]:
    def cancelled():
        items = plan_items(suite, agreement_id)
        return items if items[activity_id]["status"] == "cancelled" else None
    return eventually(cancelled, message=f"plan item {activity_id} cancelled")


def test_an_agreement_signed_then_amended_then_terminated_keeps_the_plan_in_step_on_postgresql(suite):
    partner = create_partner(suite, "Burgas")
    agreement = {"id": str(uuid.uuid4()), "title": "Cooperation programme", "partner_id": partner,
                 "partner_name": "Burgas", "country": "BG", "signed_on": "2027-01-20", "valid_from": "2027-02-01",
                 "valid_until": "2029-12-31",
                 "activities": [{"id": "a1", "title": "Art fair", "due_on": "2027-09-01",
                                 "responsible_body": "Department of Culture"},
                                {"id": "a2", "title": "Port forum", "due_on": "2027-10-01",
                                 "responsible_body": "Department of Economy"}]}
    signed = cloud_event("chancery.contracts.agreement.signed.v1", agreement, time="2027-01-20T10:00:00Z")
    publish(suite, signed)
    eventually(lambda: set(plan_items(suite, agreement["id"])) == {"a1", "a2"}, message="the agreement's items")

    amended = {**agreement, "activities": [{**agreement["activities"][0], "due_on": "2027-09-15"}]}
    publish(suite, cloud_event("chancery.contracts.agreement.amended.v1", amended, time="2027-03-01T10:00:00Z"))
    publish(suite, signed)  # redelivered late: changes nothing
    items = until_cancelled(suite, agreement["id"], "a2")
    assert items["a1"]["due_on"] == "2027-09-15" and items["a1"]["status"] == "planned"

    publish(suite, cloud_event("chancery.contracts.agreement.terminated.v1", amended, time="2027-05-01T10:00:00Z"))
    items = until_cancelled(suite, agreement["id"], "a1")
    assert items["a1"]["status_reason"] == "the agreement was terminated"
    assert [entry["action"] for entry in timeline(suite, partner)] == ["terminated", "amended", "signed"]


def analytics(suite) -> dict:
    response = suite.call("GET", "outreach", "/api/v1/analytics?year=2031", roles="mayor-office")
    assert response.status == 200, response.body
    return response.json


def test_analytics_built_live_from_the_broker_equal_a_rebuild_from_scratch(suite):
    visits = [visit(None, f"Delegation {n}") | {"country": country, "starts_on": "2031-04-01"}
              for n, country in enumerate(["BG", "BG", "RS"])]
    events = [cloud_event("chancery.visits.visit.confirmed.v1", data, time=f"2031-01-0{n + 1}T10:00:00Z")
              for n, data in enumerate(visits)]
    cancelled = cloud_event("chancery.visits.visit.cancelled.v1", visits[2] | {"status": "cancelled"},
                            time="2031-02-01T10:00:00Z")
    for event in [cancelled, *events, events[0]]:  # the cancellation first, and one event twice
        publish(suite, event)
    expected = [{"country": "BG", "year": 2031, "visits": 2}]
    live = eventually(lambda: analytics(suite)["visits_per_country"] == expected and analytics(suite),
                      message="the visits of 2031 counted")
    rebuilt = suite.call("POST", "outreach", "/api/v1/analytics/rebuild", roles="operator")
    assert rebuilt.status == 200, rebuilt.body
    assert analytics(suite) == live


def visit_call(suite, method: str, path: str, body=None, version: int | None = None) -> dict:
    headers = {"If-Match": f'"{version}"'} if version else None
    response = suite.call(method, "visits", f"/api/v1/visits{path}", body, roles="protocol", headers=headers)
    assert response.status in (200, 201), response.body
    return response.json


def visit_item(suite, visit_id: str) -> dict | None:
    response = suite.call("GET", "outreach", "/api/v1/plan-items?source=visit&page_size=200", roles="mayor-office")
    assert response.status == 200, response.body
    return next((item for item in response.json["items"] if item["source_id"] == visit_id), None)


def until_item(suite, visit_id: str, **expected) -> dict:
    def matches():
        item = visit_item(suite, visit_id)
        return item if item and all(item[key] == value for key, value in expected.items()) else None
    return eventually(matches, timeout=20, message=f"the visit's plan item with {expected}")


def test_a_visit_run_on_the_visits_service_keeps_its_plan_item_in_step_and_a_redelivery_changes_nothing(suite):
    lyon = create_partner(suite, "Lyon")
    listener = CitySystemListener(suite.namespace, "chancery.visits.visit.confirmed.v1")
    try:
        created = visit_call(suite, "POST", "", {
            "delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
            "starts_on": "2032-03-10", "ends_on": "2032-03-12", "purpose": "Twinning anniversary",
            "host_official": "Deputy Mayor for Culture", "partner_id": lyon})
        visit_id = created["id"]
        confirmed = visit_call(suite, "POST", f"/{visit_id}/confirm", {}, created["version"])
        item = until_item(suite, visit_id, status="planned")
        assert (item["activity"], item["responsible_body"], item["due_on"], item["partner_id"]) == (
            "Delegation of the City of Lyon", "Deputy Mayor for Culture", "2032-03-12", lyon)
        [(confirmed_event, _)] = listener.receive(1)
    finally:
        listener.close()

    moved = visit_call(suite, "PATCH", f"/{visit_id}", {"starts_on": "2032-04-14", "ends_on": "2032-04-16"},
                       confirmed["version"])
    until_item(suite, visit_id, starts_on="2032-04-14", due_on="2032-04-16")
    started = visit_call(suite, "POST", f"/{visit_id}/start", {}, moved["version"])
    until_item(suite, visit_id, status="in_progress")
    visit_call(suite, "POST", f"/{visit_id}/complete", {}, started["version"])
    done = until_item(suite, visit_id, status="done", progress=100)
    assert [entry["action"] for entry in timeline(suite, lyon)] == ["completed", "started", "updated", "confirmed",
                                                                    "created"]

    publish(suite, confirmed_event)  # redelivered: the inbox knows its id
    publish(suite, {**confirmed_event, "id": str(uuid.uuid4())})  # republished late: older than the completion
    other = visit_call(suite, "POST", "", {
        "delegation_name": "Delegation of Plovdiv", "country": "BG", "city": "Plovdiv", "starts_on": "2032-05-01",
        "ends_on": "2032-05-02", "purpose": "Trade talks", "host_official": "Deputy Mayor for Economy"})
    confirmed_other = visit_call(suite, "POST", f"/{other['id']}/confirm", {}, other["version"])
    # Outreach consumes in order: once the second visit is cancelled, both republished events were handled.
    visit_call(suite, "POST", f"/{other['id']}/cancel", {"reason": "Elections"}, confirmed_other["version"])
    cancelled = until_item(suite, other["id"], status="cancelled")
    assert cancelled["status_reason"] == "the visit was cancelled"
    assert visit_item(suite, visit_id) == done
