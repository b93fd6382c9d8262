"""People as notifications knows them: registered from their sign-in, imported from the directory so that a role
subscription reaches someone who never signed in (decision 0126)."""

import uuid

import pytest

from services.notifications.operations.fan_out import fan_out
from services.notifications.store.models import Notification
from shared.uow import worker_unit_of_work

RECEIVED = "chancery.visits.invitation.received.v1"
IVAN = {"subject": "ivan", "display_name": "Ivan Sidorov", "roles": ["protocol"], "language": "ru",
        "email": "ivan@city.example"}


@pytest.fixture
def notifications(service_app):
    return service_app("notifications")


def audit(notifications, subject):
    response = notifications.call("GET", f"/api/v1/audit-records?record_id={subject}", roles="auditor")
    return [(record["action"], record["changes"]) for record in response.json["items"]]


def told(notifications, event_type):
    event = {"id": str(uuid.uuid4()), "type": event_type, "subject": "i-1", "data": {"title": "Forum in Lyon"}}
    service = notifications.app.extensions["chancery"]
    with service.database.session() as session:
        fan_out(worker_unit_of_work(service, session, event["id"]), event)
    with service.database.read_session() as session:
        return {row.recipient: row.title for row in session.query(Notification).filter_by(event_id=event["id"])}


def test_signing_in_registers_the_person_from_their_token_and_claims_audited_only_when_something_changed(
        notifications):
    body = {"display_name": "Hana Novak", "language": "bg", "email": "hana@city.example"}
    first = notifications.call("PUT", "/api/v1/people/me", body, roles="department-head", sub="hana",
                               department="Culture")
    assert first.status_code == 200, first.json
    assert first.json == {"subject": "hana", "display_name": "Hana Novak", "roles": ["department-head"],
                          "department": "Culture", "language": "bg", "known_from": "sign-in"}
    again = notifications.call("PUT", "/api/v1/people/me", {**body, "language": "en"}, roles="department-head",
                               sub="hana", department="Culture")
    assert again.json["language"] == "bg"  # kept: the person's own choice after the first sign-in
    [(action, changes)] = audit(notifications, "hana")
    assert action == "person.sign-in" and changes["email_set"] is True and "hana@city.example" not in str(changes)


def test_a_person_imported_from_the_directory_is_reached_by_role_without_ever_signing_in(notifications):
    imported = notifications.call("POST", "/api/v1/people/import", {"people": [IVAN]}, roles="notifications-admin")
    assert imported.status_code == 200, imported.json
    assert imported.json == {"created": 1, "updated": 0, "unchanged": 0}
    assert told(notifications, RECEIVED) == {"ivan": "Получено приглашение мэру: Forum in Lyon"}
    again = notifications.call("POST", "/api/v1/people/import", {"people": [{**IVAN, "roles": ["travel"]}]},
                               roles="notifications-admin")
    assert again.json == {"created": 0, "updated": 1, "unchanged": 0}
    assert told(notifications, RECEIVED) == {}


def test_an_import_with_one_bad_person_imports_nobody_and_names_the_field(notifications):
    people = [IVAN, {**IVAN, "subject": "olga", "roles": ["chief"]}]
    refused = notifications.call("POST", "/api/v1/people/import", {"people": people}, roles="notifications-admin")
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "people.1.roles.0"
    assert audit(notifications, "ivan") == []
    assert notifications.call("POST", "/api/v1/people/import", {"people": [IVAN]}, roles="protocol").status_code == 403
