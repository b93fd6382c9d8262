"""Preferences, watched records and role subscriptions through the API, and what the fan-out makes of them
(frozen clock: the runtime's, which the fan-out reads)."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from services.notifications.operations.fan_out import fan_out
from services.notifications.store.models import Delivery, DeliveryAttempt, Subscription
from shared.uow import worker_unit_of_work

UPDATED = "chancery.visits.visit.updated.v1"
CANCELLED = "chancery.visits.visit.cancelled.v1"
LATE_EVENING = datetime(2027, 1, 15, 21, 30, tzinfo=UTC)  # 23:30 in Sofia
VISIT_ID = "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"


@pytest.fixture
def notifications(service_app):
    """Notifications as an office that removed the default role subscriptions (decision 0127): who hears what
    here is only what each test sets up."""
    service = service_app("notifications")
    defaults = service.call("GET", "/api/v1/role-subscriptions?page_size=100", roles="notifications-admin").json
    for row in defaults["items"]:
        removed = service.call("DELETE", f"/api/v1/role-subscriptions/{row['id']}", roles="notifications-admin")
        assert removed.status_code == 204
    return service


def deliver(notifications, event_type=UPDATED, subject=VISIT_ID, now=LATE_EVENING, **data):
    event = {"id": str(uuid.uuid4()), "type": event_type, "subject": subject,
             "data": {"delegation_name": "Delegation of the City of Lyon", **data}}
    service = notifications.app.extensions["chancery"]
    service.clock = lambda: now
    with service.database.session() as session:
        fan_out(worker_unit_of_work(service, session, event["id"]), event)
    return event["id"]


def deliveries(notifications, event_id):
    with notifications.app.extensions["chancery"].database.read_session() as session:
        rows = session.execute(select(Delivery).where(Delivery.event_id == event_id)).scalars()
        return {(row.recipient, row.channel): row for row in rows}


def preferences(notifications, sub, roles="protocol", **changes):
    current = notifications.call("GET", "/api/v1/preferences", roles=roles, sub=sub)
    assert current.status_code == 200, current.json
    body = {key: value for key, value in current.json.items() if key not in ("name", "roles", "version")}
    response = notifications.call("PUT", "/api/v1/preferences", {**body, **changes}, roles=roles, sub=sub,
                                  headers={"If-Match": current.headers["ETag"]})
    assert response.status_code == 200, response.json
    return response


def subscribe(notifications, pattern="chancery.visits.#", sub="olga", roles="protocol"):
    response = notifications.call("POST", "/api/v1/subscriptions", {"pattern": pattern}, roles=roles, sub=sub)
    assert response.status_code == 201, response.json


# --- preferences ---

def test_preferences_start_with_the_inbox_only_and_change_with_if_match(notifications):
    first = notifications.call("GET", "/api/v1/preferences", roles="protocol", sub="olga")
    assert first.json["channels"] == {"in-app": "immediate", "email": "off"}
    assert first.json["roles"] == ["protocol"] and first.headers["ETag"] == '"1"'
    changed = preferences(notifications, "olga", time_zone="Europe/Sofia", email="olga@city.example",
                          channels={"in-app": "immediate", "email": "digest"},
                          quiet_hours={"start": "22:00", "end": "07:00"}, language="bg")
    assert changed.headers["ETag"] == '"2"'
    assert changed.json["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    stale = notifications.call("PUT", "/api/v1/preferences", {"language": "ru"}, roles="protocol", sub="olga",
                               headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert notifications.call("GET", "/api/v1/preferences", roles="protocol", sub="olga").json["language"] == "bg"


@pytest.mark.parametrize(("field", "value"), [("time_zone", "Mars/Olympus"), ("email", "not-an-address"),
                                              ("digest_at", "25:00"), ("channels", {"email": "loudly"}),
                                              ("quiet_hours", {"start": "22:00"})])
def test_preferences_that_make_no_sense_are_refused_naming_the_field(notifications, field, value):
    response = notifications.call("PUT", "/api/v1/preferences", {field: value}, roles="protocol", sub="olga")
    assert response.status_code == 422
    assert any(error["field"].startswith(field) for error in response.json["errors"]), response.json


# --- the fan-out with preferences ---

def test_email_during_quiet_hours_waits_for_the_morning_and_the_inbox_gets_it_at_once(notifications):
    preferences(notifications, "olga", time_zone="Europe/Sofia", email="olga@city.example",
                channels={"in-app": "immediate", "email": "immediate"}, quiet_hours={"start": "22:00", "end": "07:00"})
    subscribe(notifications)
    planned = deliveries(notifications, deliver(notifications))
    assert planned[("olga", "in-app")].status == "delivered"
    email = planned[("olga", "email")]
    assert (email.status, email.target) == ("pending", "olga@city.example")
    assert email.due_at == datetime(2027, 1, 16, 5, 0, tzinfo=UTC)


def test_a_critical_cancellation_reaches_every_channel_at_once_despite_preferences(notifications):
    preferences(notifications, "olga", time_zone="Europe/Sofia", email="olga@city.example",
                channels={"in-app": "off", "email": "off"}, quiet_hours={"start": "22:00", "end": "07:00"})
    subscribe(notifications)
    assert deliveries(notifications, deliver(notifications)) == {}
    planned = deliveries(notifications, deliver(notifications, CANCELLED, status_reason="Storm"))
    assert {key: row.due_at for key, row in planned.items()} == {("olga", "in-app"): LATE_EVENING,
                                                                 ("olga", "email"): LATE_EVENING}
    assert planned[("olga", "email")].critical


def test_a_confidential_event_reaches_the_mayors_office_but_not_protocol_staff(notifications):
    subscribe(notifications, sub="olga", roles="protocol")
    subscribe(notifications, sub="mira", roles="mayor-office")
    planned = deliveries(notifications, deliver(notifications, confidential=True))
    assert set(planned) == {("mira", "in-app")}


def test_a_withheld_records_event_reaches_whoever_its_need_to_know_names_and_no_other_subscriber(notifications):
    for sub, roles in (("olga", "protocol"), ("petar", "protocol"), ("mira", "mayor-office")):
        subscribe(notifications, sub=sub, roles=roles)
    by_name = deliver(notifications, confidential=True, need_to_know={"people": ["olga"], "roles": []})
    assert set(deliveries(notifications, by_name)) == {("olga", "in-app"), ("mira", "in-app")}
    by_role = deliver(notifications, embargoed=True, need_to_know={"people": [], "roles": ["protocol"]})
    assert set(deliveries(notifications, by_role)) == {("olga", "in-app"), ("petar", "in-app"), ("mira", "in-app")}


def test_every_in_app_delivery_is_logged_with_its_attempt(notifications):
    subscribe(notifications)
    [delivery] = deliveries(notifications, deliver(notifications)).values()
    with notifications.app.extensions["chancery"].database.read_session() as session:
        [attempt] = session.execute(select(DeliveryAttempt)).scalars()
    assert (attempt.delivery_id, attempt.channel, attempt.outcome) == (delivery.id, "in-app", "delivered")


# --- watching a record ---

def test_watching_a_visit_hears_its_events_and_those_of_its_members_but_not_other_visits(notifications):
    watched = notifications.call("POST", "/api/v1/watches", {"record_type": "visit", "record_id": VISIT_ID},
                                 roles="protocol", sub="ivan")
    assert watched.status_code == 201, watched.json
    assert deliveries(notifications, deliver(notifications))
    member_event = deliver(notifications, "chancery.visits.delegation-member.added.v1", subject="m1",
                           visit_id=VISIT_ID)
    assert set(deliveries(notifications, member_event)) == {("ivan", "in-app")}
    assert deliveries(notifications, deliver(notifications, subject=str(uuid.uuid4()))) == {}
    listed = notifications.call("GET", "/api/v1/watches", roles="protocol", sub="ivan").json
    assert [item["record_id"] for item in listed["items"]] == [VISIT_ID]


def test_nobody_watches_a_record_outside_their_departments_or_twice(notifications):
    body = {"record_type": "contract", "record_id": "c-1"}
    refused = notifications.call("POST", "/api/v1/watches", body, roles="protocol", sub="ivan")
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "record_type"
    assert notifications.call("POST", "/api/v1/watches", body, roles="procurement", sub="pia").status_code == 201
    assert notifications.call("POST", "/api/v1/watches", body, roles="procurement", sub="pia").status_code == 409


def test_a_watch_is_removed_only_by_its_owner(notifications):
    watch = notifications.call("POST", "/api/v1/watches", {"record_type": "visit", "record_id": VISIT_ID},
                               roles="protocol", sub="ivan").json
    assert notifications.call("DELETE", f"/api/v1/watches/{watch['id']}", roles="protocol",
                              sub="olga").status_code == 404
    assert notifications.call("DELETE", f"/api/v1/watches/{watch['id']}", roles="protocol",
                              sub="ivan").status_code == 204
    assert deliveries(notifications, deliver(notifications)) == {}


# --- role subscriptions ---

def test_a_role_subscription_reaches_everyone_known_with_that_role_in_their_own_language(notifications):
    created = notifications.call("POST", "/api/v1/role-subscriptions", {"role": "protocol", "pattern": CANCELLED},
                                 roles="notifications-admin", sub="nadia")
    assert created.status_code == 201, created.json
    preferences(notifications, "olga", roles="protocol", language="ru")
    preferences(notifications, "ivan", roles="protocol,auditor")
    preferences(notifications, "tom", roles="travel")
    event_id = deliver(notifications, CANCELLED)
    planned = deliveries(notifications, event_id)
    assert set(planned) == {("olga", "in-app"), ("ivan", "in-app")}
    assert planned[("olga", "in-app")].title.startswith("Визит отменён")
    assert deliveries(notifications, deliver(notifications, UPDATED)) == {}


def test_only_notification_admins_manage_role_subscriptions_within_the_roles_departments(notifications):
    body = {"role": "protocol", "pattern": "chancery.visits.#"}
    assert notifications.call("POST", "/api/v1/role-subscriptions", body, roles="protocol").status_code == 403
    outside = notifications.call("POST", "/api/v1/role-subscriptions", {**body, "role": "travel"},
                                 roles="notifications-admin")
    assert outside.status_code == 422 and outside.json["errors"][0]["field"] == "pattern"
    created = notifications.call("POST", "/api/v1/role-subscriptions", body, roles="notifications-admin").json
    listed = notifications.call("GET", "/api/v1/role-subscriptions", roles="notifications-admin").json
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert notifications.call("DELETE", f"/api/v1/role-subscriptions/{created['id']}",
                              roles="notifications-admin").status_code == 204


def test_a_person_with_a_pattern_and_a_role_subscription_hears_once(notifications):
    notifications.call("POST", "/api/v1/role-subscriptions", {"role": "protocol", "pattern": "chancery.visits.#"},
                       roles="notifications-admin")
    subscribe(notifications, UPDATED)
    with notifications.app.extensions["chancery"].database.read_session() as session:
        assert session.scalar(select(Subscription.subscriber)) == "olga"
    assert set(deliveries(notifications, deliver(notifications))) == {("olga", "in-app")}
