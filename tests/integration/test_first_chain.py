"""The first chain: a confirmed visit reaches subscribed protocol staff and a city system's own queue."""

import json
import time

import pytest

from tests.support.broker import CitySystemListener
from tests.support.processes import VISIT, eventually

pytestmark = pytest.mark.integration
CONFIRMED = "chancery.visits.visit.confirmed.v1"


def create_and_confirm(suite, sub="olga"):
    created = suite.call("POST", "visits", "/api/v1/visits", VISIT, roles="protocol", sub=sub)
    assert created.status == 201, created.body
    confirmed = suite.call("POST", "visits", f"/api/v1/visits/{created.json['id']}/confirm", {},
                           roles="protocol", sub=sub, headers={"If-Match": created.headers["etag"]})
    assert confirmed.status == 200, confirmed.body
    return created.json["id"]


def test_a_confirmed_visit_reaches_the_inbox_of_subscribed_protocol_staff(chain_suite):
    subscribed = chain_suite.call("POST", "notifications", "/api/v1/subscriptions",
                                  {"pattern": CONFIRMED}, roles="protocol", sub="olga")
    assert subscribed.status == 201, subscribed.body
    visit_id = create_and_confirm(chain_suite)

    def confirmed_in_inbox():
        inbox = chain_suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol", sub="olga").json
        return [item for item in inbox["items"] if item["subject"] == visit_id]

    items = eventually(confirmed_in_inbox, timeout=5, interval=0.02, message="the inbox notification")
    assert [item["event_type"] for item in items] == [CONFIRMED]
    assert items[0]["title"] == "Visit confirmed: Delegation of the City of Lyon"


def test_staff_who_did_not_subscribe_see_nothing_in_their_inbox(chain_suite):
    create_and_confirm(chain_suite)
    time.sleep(0.5)
    inbox = chain_suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol", sub="ivan").json
    assert inbox["total"] == 0


def test_a_city_system_queue_bound_to_the_events_exchange_receives_the_cloud_event(chain_suite):
    listener = CitySystemListener(chain_suite.namespace, "chancery.visits.visit.*.v1")
    try:
        visit_id = create_and_confirm(chain_suite)
        events = listener.receive(count=2, timeout=10)
    finally:
        listener.close()
    by_type = {event["type"]: (event, properties) for event, properties in events}
    event, properties = by_type[CONFIRMED]
    assert event["specversion"] == "1.0"
    assert event["source"] == "/chancery/visits"
    assert event["subject"] == visit_id
    assert event["datacontenttype"] == "application/json"
    assert event["time"].endswith("Z")
    assert event["data"]["status"] == "confirmed"
    assert properties.message_id == event["id"]
    assert properties.delivery_mode == 2
    assert properties.headers["traceparent"].startswith("00-")


def test_one_trace_follows_the_request_through_the_broker_to_the_notification_handler(chain_suite):
    chain_suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": "chancery.visits.#"},
                     roles="protocol", sub="tanya")
    visit_id = create_and_confirm(chain_suite, sub="tanya")

    def notification():
        inbox = chain_suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol", sub="tanya").json
        return [item for item in inbox["items"] if item["subject"] == visit_id
                and item["event_type"] == CONFIRMED]

    eventually(notification, message="the notification")

    def spans(service):
        path = chain_suite.workdir / f"traces-{service}.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def confirm_request_trace():
        return {span["context"]["trace_id"] for span in spans("visits")
                if span["name"] == "POST /api/v1/visits/<visit_id>/confirm"}

    trace_ids = eventually(confirm_request_trace, message="the HTTP span")
    consumer_spans = eventually(lambda: [span for span in spans("notifications")
                                         if span["name"] == f"consume {CONFIRMED}"
                                         and span["context"]["trace_id"] in trace_ids],
                                message="a consumer span in the request's trace")
    publish_spans = [span for span in spans("visits") if span["name"] == f"publish {CONFIRMED}"
                     and span["context"]["trace_id"] in trace_ids]
    assert publish_spans and consumer_spans
    assert consumer_spans[0]["parent_id"] == publish_spans[0]["context"]["span_id"]
