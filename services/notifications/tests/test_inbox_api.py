"""Subscriptions and the in-app inbox through the Flask test client, without any network."""

import uuid

import pytest
from sqlalchemy import func, select

from services.notifications.operations.fan_out import fan_out
from services.notifications.store.models import Notification, Subscription
from shared.uow import worker_unit_of_work

CONFIRMED = "chancery.visits.visit.confirmed.v1"
PROBLEM = "application/problem+json"


@pytest.fixture
def notifications(service_app):
    return service_app("notifications")


def subscribe(notifications, pattern, roles="protocol", sub="olga", **extra):
    return notifications.call("POST", "/api/v1/subscriptions", {"pattern": pattern, **extra}, roles=roles, sub=sub)


def deliver(notifications, event_type=CONFIRMED, name="Delegation of the City of Lyon") -> str:
    """What the worker's consumer does with an event, inside one transaction of the notifications database."""
    event = {"id": str(uuid.uuid4()), "type": event_type, "subject": str(uuid.uuid4()),
             "data": {"delegation_name": name, "status": "confirmed"}}
    service = notifications.app.extensions["chancery"]
    with service.database.session() as session:
        fan_out(worker_unit_of_work(service, session, event["id"]), event)
    return event["subject"]


def inbox(notifications, sub, roles="protocol", query=""):
    response = notifications.call("GET", f"/api/v1/inbox{query}", roles=roles, sub=sub)
    assert response.status_code == 200, response.json
    return response.json


def count(notifications, table) -> int:
    with notifications.app.extensions["chancery"].database.read_session() as session:
        return session.scalar(select(func.count()).select_from(table))


def audit_actions(notifications, **filters):
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    response = notifications.call("GET", f"/api/v1/audit-records?sort=id&{query}", roles="auditor", sub="aud")
    assert response.status_code == 200, response.json
    return [(record["actor"], record["action"]) for record in response.json["items"]]


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.json
    assert response.mimetype == PROBLEM
    assert response.json["status"] == status
    if field:
        assert field in {error["field"] for error in response.json["errors"]}, response.json
    return response.json


# --- subscriptions ---

def test_protocol_staff_subscribe_to_visit_events(notifications):
    response = subscribe(notifications, "chancery.visits.#", language="bg")
    assert response.status_code == 201, response.json
    assert response.json["subscriber"] == "olga"
    assert response.json["pattern"] == "chancery.visits.#"
    assert response.json["language"] == "bg"
    assert response.json["channel"] == "in-app"
    assert response.headers["Location"] == f"/api/v1/subscriptions/{response.json['id']}"


@pytest.mark.parametrize(("pattern", "roles"), [
    ("chancery.visits.#", "travel"),
    ("chancery.visits.visit.confirmed.v1", "procurement"),
    ("chancery.contracts.#", "protocol"),
    ("chancery.#", "protocol"),
    ("#", "mayor-office"),
    ("chancery.*.visit.confirmed.v1", "protocol"),
    ("city.visits.#", "protocol"),
])
def test_a_subscription_outside_the_subscribers_departments_is_refused(notifications, pattern, roles):
    response = subscribe(notifications, pattern, roles=roles)
    assert_problem(response, 422, field="pattern")
    assert count(notifications, Subscription) == 0
    assert audit_actions(notifications) == []


def test_an_admin_may_subscribe_to_every_event(notifications):
    assert subscribe(notifications, "#", roles="admin", sub="root").status_code == 201


@pytest.mark.parametrize("pattern", ["chancery visits", "chancery..visits", "CHANCERY.visits.#", ""])
def test_a_pattern_that_is_not_a_topic_pattern_is_refused(notifications, pattern):
    assert_problem(subscribe(notifications, pattern), 422, field="pattern")


def test_a_language_other_than_english_russian_or_bulgarian_is_refused(notifications):
    assert_problem(subscribe(notifications, "chancery.visits.#", language="fr"), 422, field="language")


def test_subscribing_twice_to_the_same_pattern_is_409(notifications):
    subscribe(notifications, "chancery.visits.#")
    assert_problem(subscribe(notifications, "chancery.visits.#"), 409)
    assert count(notifications, Subscription) == 1


def test_a_replayed_idempotency_key_subscribes_once(notifications):
    headers = {"Idempotency-Key": "sub-1"}
    first = notifications.call("POST", "/api/v1/subscriptions", {"pattern": "chancery.visits.#"},
                               roles="protocol", sub="olga", headers=headers)
    again = notifications.call("POST", "/api/v1/subscriptions", {"pattern": "chancery.visits.#"},
                               roles="protocol", sub="olga", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    other = notifications.call("POST", "/api/v1/subscriptions", {"pattern": "chancery.visits.visit.#"},
                               roles="protocol", sub="olga", headers=headers)
    assert_problem(other, 422, field="Idempotency-Key")
    assert count(notifications, Subscription) == 1


def test_everyone_lists_only_their_own_subscriptions(notifications):
    subscribe(notifications, "chancery.visits.#", sub="olga")
    subscribe(notifications, "chancery.visits.visit.confirmed.v1", sub="ivan")
    subscribe(notifications, "chancery.trips.#", roles="travel", sub="tom")
    listed = notifications.call("GET", "/api/v1/subscriptions?sort=pattern", roles="protocol", sub="olga").json
    assert [(item["subscriber"], item["pattern"]) for item in listed["items"]] == [("olga", "chancery.visits.#")]
    assert listed["total"] == 1


def test_unsubscribing_removes_the_subscription(notifications):
    created = subscribe(notifications, "chancery.visits.#").json
    response = notifications.call("DELETE", f"/api/v1/subscriptions/{created['id']}", roles="protocol", sub="olga")
    assert response.status_code == 204
    assert response.data == b""
    assert count(notifications, Subscription) == 0


def test_nobody_can_unsubscribe_someone_else(notifications):
    created = subscribe(notifications, "chancery.visits.#", sub="olga").json
    response = notifications.call("DELETE", f"/api/v1/subscriptions/{created['id']}", roles="protocol", sub="ivan")
    assert_problem(response, 404)
    assert count(notifications, Subscription) == 1


# --- the inbox ---

def test_an_event_reaches_each_subscriber_once_and_the_inbox_shows_only_your_own(notifications):
    subscribe(notifications, "chancery.visits.#", sub="olga")
    subscribe(notifications, CONFIRMED, sub="olga")
    subscribe(notifications, CONFIRMED, sub="ivan", language="ru")
    subscribe(notifications, "chancery.trips.#", roles="travel", sub="tom")
    visit_id = deliver(notifications)

    olga, ivan = inbox(notifications, "olga"), inbox(notifications, "ivan")
    assert [(item["subject"], item["event_type"]) for item in olga["items"]] == [(visit_id, CONFIRMED)]
    assert olga["items"][0]["title"] == "Visit confirmed: Delegation of the City of Lyon"
    assert [item["title"] for item in ivan["items"]] == ["Визит подтверждён: Delegation of the City of Lyon"]
    assert olga["items"][0]["id"] != ivan["items"][0]["id"]
    assert inbox(notifications, "tom", roles="travel")["total"] == 0
    assert inbox(notifications, "nobody")["total"] == 0


def test_the_inbox_is_newest_first_and_filters_by_read_state_and_type(notifications):
    subscribe(notifications, "chancery.visits.#", sub="olga")
    first = deliver(notifications, name="First")
    second = deliver(notifications, "chancery.visits.visit.cancelled.v1", name="Second")
    assert [item["subject"] for item in inbox(notifications, "olga")["items"]] == [second, first]
    only_confirmed = inbox(notifications, "olga", query=f"?event_type={CONFIRMED}")
    assert [item["subject"] for item in only_confirmed["items"]] == [first]

    newest = inbox(notifications, "olga")["items"][0]
    notifications.call("POST", f"/api/v1/inbox/{newest['id']}/read", roles="protocol", sub="olga")
    assert [item["subject"] for item in inbox(notifications, "olga", query="?unread=true")["items"]] == [first]
    assert [item["subject"] for item in inbox(notifications, "olga", query="?unread=false")["items"]] == [second]


def test_marking_a_notification_read_records_when_and_is_audited_once(notifications):
    subscribe(notifications, "chancery.visits.#", sub="olga")
    deliver(notifications)
    item = inbox(notifications, "olga")["items"][0]
    assert item["read_at"] is None
    read = notifications.call("POST", f"/api/v1/inbox/{item['id']}/read", roles="protocol", sub="olga")
    assert read.status_code == 200, read.json
    assert read.json["read_at"]
    again = notifications.call("POST", f"/api/v1/inbox/{item['id']}/read", roles="protocol", sub="olga")
    assert again.json["read_at"] == read.json["read_at"]
    assert audit_actions(notifications, action="notification.read") == [("olga", "notification.read")]


def test_nobody_can_read_or_mark_someone_elses_notification(notifications):
    subscribe(notifications, "chancery.visits.#", sub="olga")
    deliver(notifications)
    item = inbox(notifications, "olga")["items"][0]
    response = notifications.call("POST", f"/api/v1/inbox/{item['id']}/read", roles="protocol", sub="ivan")
    assert_problem(response, 404)
    assert inbox(notifications, "olga")["items"][0]["read_at"] is None


def test_an_event_is_not_delivered_to_a_subscriber_whose_roles_may_not_hear_it(notifications):
    subscribe(notifications, "#", roles="admin", sub="root")
    with notifications.app.extensions["chancery"].database.session() as session:
        session.add(Subscription(subscriber="eve", subscriber_roles="travel", pattern="chancery.visits.#"))
    deliver(notifications)
    assert inbox(notifications, "root", roles="admin")["total"] == 1
    assert inbox(notifications, "eve", roles="travel")["total"] == 0
    assert count(notifications, Notification) == 1


# --- audit ---

def test_every_write_leaves_an_audit_record_readable_by_auditors(notifications):
    created = subscribe(notifications, "chancery.visits.#", sub="olga").json
    notifications.call("DELETE", f"/api/v1/subscriptions/{created['id']}", roles="protocol", sub="olga")
    assert audit_actions(notifications) == [("olga", "subscription.create"), ("olga", "subscription.delete")]
    assert audit_actions(notifications, record_id=created["id"]) == [("olga", "subscription.create"),
                                                                     ("olga", "subscription.delete")]
    assert_problem(notifications.call("GET", "/api/v1/audit-records", roles="protocol"), 403)
