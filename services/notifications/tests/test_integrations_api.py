"""City systems' queues through the API: only notification admins set them up; the worker does the rest."""

import pytest

from services.notifications.store.models import Integration


@pytest.fixture
def notifications(service_app):
    return service_app("notifications")


def create(notifications, body, roles="notifications-admin"):
    return notifications.call("POST", "/api/v1/integrations", body, roles=roles, sub="nadia")


def test_an_integration_gets_a_queue_named_after_the_system_waiting_for_the_worker(notifications):
    response = create(notifications, {"name": "city-docs", "patterns": ["chancery.visits.#", "chancery.visits.#"]})
    assert response.status_code == 201, response.json
    assert response.json["queue"] == "unit-notifications.city-docs.events"
    assert response.json["patterns"] == ["chancery.visits.#"]
    assert response.json["declared"] is False
    assert create(notifications, {"name": "city-docs", "patterns": ["chancery.trips.#"]}).status_code == 409


@pytest.mark.parametrize(("field", "body"), [("name", {"name": "City Docs", "patterns": ["chancery.#"]}),
                                             ("name", {"name": "chancery", "patterns": ["chancery.#"]}),
                                             ("patterns", {"name": "city-docs", "patterns": []}),
                                             ("patterns", {"name": "city-docs", "patterns": ["not a pattern"]}),
                                             ("patterns", {"name": "city-docs", "patterns": ["#"]}),
                                             ("patterns", {"name": "city-docs", "patterns": ["*.visits.#"]})],
                         ids=["a name not a system's", "the suite's own name", "no pattern", "not a pattern",
                              "every event, withheld ones too", "withheld ones too"])
def test_a_bad_name_or_pattern_is_refused_naming_the_field(notifications, field, body):
    response = create(notifications, body)
    assert response.status_code == 422
    assert any(error["field"].startswith(field) for error in response.json["errors"])


def test_only_notification_admins_manage_integrations_and_operators_read_them(notifications):
    assert create(notifications, {"name": "registry", "patterns": ["chancery.#"]}, roles="protocol").status_code == 403
    create(notifications, {"name": "registry", "patterns": ["chancery.#"]})
    assert notifications.call("GET", "/api/v1/integrations", roles="operator").json["total"] == 1
    assert notifications.call("GET", "/api/v1/integrations", roles="protocol").status_code == 403


def test_changing_the_patterns_needs_the_current_etag_and_removing_marks_it_for_the_worker(notifications):
    created = create(notifications, {"name": "registry", "patterns": ["chancery.outreach.#"]})
    path = f"/api/v1/integrations/{created.json['id']}"
    stale = notifications.call("PUT", f"{path}/patterns", {"patterns": ["chancery.#"]}, roles="notifications-admin",
                               headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    changed = notifications.call("PUT", f"{path}/patterns", {"patterns": ["chancery.#"]},
                                 roles="notifications-admin", headers={"If-Match": created.headers["ETag"]})
    assert changed.json["patterns"] == ["chancery.#"] and changed.headers["ETag"] == '"2"'
    assert notifications.call("DELETE", path, roles="notifications-admin").status_code == 204
    assert notifications.call("GET", "/api/v1/integrations", roles="operator").json["total"] == 0
    with notifications.app.extensions["chancery"].database.read_session() as session:
        assert session.get(Integration, created.json["id"]).removed
    assert notifications.call("DELETE", path, roles="notifications-admin").status_code == 404
