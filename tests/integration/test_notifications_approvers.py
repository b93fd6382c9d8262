"""Approvers told, across trips and notifications as real processes on PostgreSQL and the real broker (issue 18,
decisions 0125-0127): a trip submitted reaches its department head's inbox by the default role subscriptions (and
not another department's head), the head's approval reaches the mayor's office, a redelivered and a late event
change nothing, and a trip left waiting is escalated to the mayor's office by the worker's sweep on a test clock."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.app import SPEC
from services.notifications.tasks import PERIODIC_TASKS
from services.trips.api.trip_schemas import TRIP_EXAMPLE
from shared.bus.envelope import cloud_event
from shared.config import load_settings
from shared.periodic import PeriodicRunner
from shared.service import ServiceRuntime
from tests.support.broker import publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
CULTURE, ECONOMY = "Culture Department", "Economy Department"
DIRECTORY = [  # as the identity provider's directory exports them: none of them ever signed in
    {"subject": "hana", "display_name": "Hana Novak", "roles": ["department-head"], "department": CULTURE},
    {"subject": "dmitri", "display_name": "Dmitri Orlov", "roles": ["department-head"], "department": ECONOMY},
    {"subject": "mira", "display_name": "Mira Stoyanova", "roles": ["mayor-office"], "language": "bg"},
]


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("trips", "notifications"), tmp_path_factory.mktemp("approvers"), database="postgres") as suite:
        imported = suite.call("POST", "notifications", "/api/v1/people/import", {"people": DIRECTORY},
                              roles="notifications-admin")
        assert imported.status == 200, imported.json
        yield suite


def submitted_trip(suite, title: str) -> str:
    body = {**TRIP_EXAMPLE, "title": title, "department": CULTURE, "invitation_id": None, "partner_id": None,
            "travellers": [{"full_name": "Kiril Petrov", "job_title": "Chief specialist", "category": "staff",
                            "department": CULTURE},
                           {"full_name": "Elena Petrova", "job_title": "Deputy Mayor", "category": "deputy_mayor",
                            "department": "Office of the Mayor"}]}
    created = suite.call("POST", "trips", "/api/v1/trips", body, roles="travel")
    assert created.status == 201, created.json
    assert suite.call("POST", "trips", f"/api/v1/trips/{created.json['id']}/submit", {}, roles="travel").status == 200
    return created.json["id"]


def inbox(suite, sub: str, roles: str, department: str | None = None) -> list[dict]:
    answer = suite.call("GET", "notifications", "/api/v1/inbox?page_size=100", roles=roles, sub=sub,
                        department=department)
    assert answer.status == 200, answer.json
    return answer.json["items"]


def told(suite, sub: str, roles: str, department: str | None = None) -> list[tuple[str, str]]:
    return sorted((item["event_type"], item["subject"]) for item in inbox(suite, sub, roles, department))


def figures(suite) -> dict[str, int]:
    answer = suite.call("GET", "notifications", "/api/v1/waiting-decisions/figures", roles="mayor-office", sub="mira")
    return {line["role"]: line["waiting"] for line in answer.json["roles"]}


def publish_again(suite, notification: dict, event_id: str) -> None:
    """The event a notification came from, published once more under `event_id` (its own: a redelivery)."""
    event = cloud_event(service="trips", event_id=event_id, event_type=notification["event_type"],
                        subject=notification["subject"], occurred_at=datetime.now(UTC), data=notification["data"])
    publish_raw(suite.namespace, notification["event_type"], json.dumps(event).encode())


def sweep(suite, now: datetime) -> None:
    """The notifications worker's sweep, run at `now` on the service's own database."""
    settings = load_settings("notifications", {"NOTIFICATIONS_DATABASE_URL": suite.direct_database_urls[
        "notifications"]})
    runtime = ServiceRuntime.build(SPEC, settings)
    try:
        assert PeriodicRunner(runtime, PERIODIC_TASKS).run_once(PERIODIC_TASKS[0], now)
    finally:
        runtime.database.dispose()


def test_a_submitted_trip_reaches_its_department_head_then_the_mayors_office_and_nothing_twice(suite):
    trip_id = submitted_trip(suite, "Twinning forum in Lyon")
    submitted = ("chancery.trips.trip.submitted.v1", trip_id)
    eventually(lambda: submitted in told(suite, "hana", "department-head", CULTURE), message="the head told")
    assert told(suite, "dmitri", "department-head", ECONOMY) == []
    assert submitted not in told(suite, "mira", "mayor-office")
    [notification] = [item for item in inbox(suite, "hana", "department-head", CULTURE)
                      if item["subject"] == trip_id]

    publish_again(suite, notification, notification["event_id"])  # redelivered
    approved = suite.call("POST", "trips", f"/api/v1/trips/{trip_id}/approve", {}, roles="department-head",
                          sub="hana", department=CULTURE)
    assert approved.status == 200, approved.json
    step = ("chancery.trips.trip.step-approved.v1", trip_id)
    eventually(lambda: step in told(suite, "mira", "mayor-office"), message="the mayor's office told")
    publish_again(suite, notification, "4c1f0a3e-58f7-4a43-9d1e-7a2b6c0d9e11")  # late: older than the approval
    marker = submitted_trip(suite, "Trade fair in Plovdiv")  # consumed after both copies, in order
    eventually(lambda: ("chancery.trips.trip.submitted.v1", marker) in told(suite, "hana", "department-head",
                                                                            CULTURE), message="the marker")

    assert told(suite, "hana", "department-head", CULTURE).count(submitted) == 1
    assert told(suite, "mira", "mayor-office").count(step) == 1
    assert figures(suite) == {"department-head": 1, "mayor-office": 1}


def test_a_trip_left_waiting_for_its_head_is_escalated_once_to_the_mayors_office_on_a_test_clock(suite):
    trip_id = submitted_trip(suite, "Danube cities' summit in Ruse")
    eventually(lambda: ("chancery.trips.trip.submitted.v1", trip_id) in told(suite, "hana", "department-head",
                                                                             CULTURE), message="the head told")
    later = datetime.now(UTC) + timedelta(hours=49)
    sweep(suite, later)
    sweep(suite, later + timedelta(hours=1))

    def escalations():
        return [item for item in inbox(suite, "mira", "mayor-office")
                if item["event_type"] == "chancery.notifications.decision.escalated.v1"
                and item["data"]["record_id"] == trip_id]

    [escalated] = eventually(escalations, message="the mayor's office told of the escalation")
    assert escalated["title"].startswith("Командировката все още чака решение на ръководителя на звеното")
    assert escalated["data"]["department"] == CULTURE
    assert told(suite, "dmitri", "department-head", ECONOMY) == []
