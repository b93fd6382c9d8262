"""The unread count and the live stream (Server-Sent Events) of the in-app inbox."""

import json
import uuid

import pytest

from services.notifications.api.inbox import ARRIVALS
from services.notifications.operations.fan_out import fan_out
from services.notifications.settings import load_notification_settings
from services.notifications.store.inbox import NEWER_AT_ONCE
from shared.uow import worker_unit_of_work
from tests.support.processes import eventually

CONFIRMED = "chancery.visits.visit.confirmed.v1"


@pytest.fixture
def notifications(service_app):
    return service_app("notifications", NOTIFICATIONS_STREAM_SECONDS="0.3")


def deliver(notifications, name):
    event = {"id": str(uuid.uuid4()), "type": CONFIRMED, "subject": str(uuid.uuid4()),
             "data": {"delegation_name": name}}
    service = notifications.app.extensions["chancery"]
    with service.database.session() as session:
        fan_out(worker_unit_of_work(service, session, event["id"]), event)


def inbox_items(notifications, sub="olga"):
    return notifications.call("GET", "/api/v1/inbox?sort=created_at", roles="protocol", sub=sub).json["items"]


def server_sent_events(text: str) -> list[dict]:
    events = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if fields.get("event") == "notification":
            events.append({"id": fields["id"], **json.loads(fields["data"])})
    return events


def test_the_unread_count_counts_only_your_unread_notifications(notifications):
    notifications.call("POST", "/api/v1/subscriptions", {"pattern": CONFIRMED}, roles="protocol", sub="olga")
    deliver(notifications, "Lyon")
    deliver(notifications, "Sofia")
    count = notifications.call("GET", "/api/v1/inbox/unread-count", roles="protocol", sub="olga")
    assert count.json == {"unread": 2}
    first = inbox_items(notifications)[0]
    notifications.call("POST", f"/api/v1/inbox/{first['id']}/read", roles="protocol", sub="olga")
    assert notifications.call("GET", "/api/v1/inbox/unread-count", roles="protocol", sub="olga").json == {"unread": 1}
    assert notifications.call("GET", "/api/v1/inbox/unread-count", roles="protocol", sub="ivan").json == {"unread": 0}


def test_the_stream_resumes_after_the_last_event_id_and_sends_only_your_notifications(notifications):
    notifications.call("POST", "/api/v1/subscriptions", {"pattern": CONFIRMED}, roles="protocol", sub="olga")
    notifications.call("POST", "/api/v1/subscriptions", {"pattern": CONFIRMED}, roles="protocol", sub="ivan")
    for name in ("Lyon", "Sofia", "Kazan"):
        deliver(notifications, name)
    first = inbox_items(notifications)[0]
    response = notifications.call("GET", "/api/v1/inbox/stream", roles="protocol", sub="olga",
                                  headers={"Last-Event-ID": first["id"]})
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store"
    events = server_sent_events(response.get_data(as_text=True))
    assert [event["title"] for event in events] == ["Visit confirmed: Sofia", "Visit confirmed: Kazan"]
    assert [event["id"] for event in events] == [item["id"] for item in inbox_items(notifications)[1:]]


def test_a_stream_resumed_further_back_than_one_batch_sends_everything_missed_at_once(notifications):
    notifications.call("POST", "/api/v1/subscriptions", {"pattern": CONFIRMED}, roles="protocol", sub="olga")
    for number in range(NEWER_AT_ONCE + 5):
        deliver(notifications, f"Delegation {number}")
    first = inbox_items(notifications)[0]
    arrivals = notifications.app.extensions[ARRIVALS]
    arrivals.follow("someone else")
    eventually(lambda: arrivals.watching, message="the watch of arrivals")  # the stream polls only without it
    response = notifications.call("GET", "/api/v1/inbox/stream", roles="protocol", sub="olga",
                                  headers={"Last-Event-ID": first["id"]})
    events = server_sent_events(response.get_data(as_text=True))
    assert [event["title"] for event in events] == [f"Visit confirmed: Delegation {number}"
                                                    for number in range(1, NEWER_AT_ONCE + 5)]


def test_a_new_stream_starts_after_the_newest_notification(notifications):
    notifications.call("POST", "/api/v1/subscriptions", {"pattern": CONFIRMED}, roles="protocol", sub="olga")
    deliver(notifications, "Lyon")
    response = notifications.call("GET", "/api/v1/inbox/stream", roles="protocol", sub="olga")
    assert server_sent_events(response.get_data(as_text=True)) == []
    assert response.get_data(as_text=True).startswith("retry: 1000\n\n")


def test_the_stream_needs_a_token(notifications):
    assert notifications.client.get("/api/v1/inbox/stream").status_code == 401


def test_a_stream_beyond_the_process_limit_is_refused_with_503_and_retry_after_until_one_closes(service_app):
    notifications = service_app("notifications", NOTIFICATIONS_STREAM_SECONDS="30", NOTIFICATIONS_MAX_STREAMS="1")
    held = notifications.call("GET", "/api/v1/inbox/stream", roles="protocol", sub="olga", buffered=False)
    assert held.status_code == 200
    refused = notifications.call("GET", "/api/v1/inbox/stream", roles="protocol", sub="ivan")
    assert refused.status_code == 503
    assert refused.mimetype == "application/problem+json"
    assert refused.json["type"].endswith("/too-many-streams")
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    assert notifications.call("GET", "/api/v1/inbox/unread-count", roles="protocol", sub="ivan").status_code == 200
    held.close()
    again = notifications.call("GET", "/api/v1/inbox/stream", roles="protocol", sub="ivan", buffered=False)
    assert again.status_code == 200
    again.close()


def test_a_stream_limit_that_would_leave_no_connection_for_ordinary_requests_is_refused_at_start_up():
    with pytest.raises(ValueError, match="NOTIFICATIONS_MAX_STREAMS"):
        load_notification_settings({"NOTIFICATIONS_WORKER_CONNECTIONS": "100", "NOTIFICATIONS_MAX_STREAMS": "100"})
    assert load_notification_settings({"NOTIFICATIONS_WORKER_CONNECTIONS": "", "NOTIFICATIONS_MAX_STREAMS": ""}
                                      ).max_streams == 500
