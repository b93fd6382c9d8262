"""The demo data (services/visits/seed.py) goes in through the visits API, and a second run changes nothing."""

import json

import pytest
from sqlalchemy import func, select

from services.visits import seed as visits_seed
from shared.seed import SeedError


class ThroughTheTestClient:
    """A SeedClient that calls the visits app in-process; outreach knows no partners here."""

    def __init__(self, visits):
        self.visits = visits

    def call(self, service, method, path, body=None, *, roles, key=None, tolerate=()):
        if service == "outreach":
            return {"items": []}
        headers = {"Idempotency-Key": f"seed:{key}"} if key else {}
        response = self.visits.call(method, path, body, roles=roles, sub="demo-seed", headers=headers)
        if response.status_code in tolerate:
            return None
        if response.status_code >= 400:
            raise SeedError(f"{method} {path}: {response.status_code} {json.dumps(response.json)}")
        return response.json


@pytest.fixture
def visits(service_app):
    return service_app("visits")


def audit_count(visits) -> int:
    runtime = visits.app.extensions["chancery"]
    with runtime.database.read_session() as session:
        return session.scalar(select(func.count()).select_from(runtime.spec.tables.audit))


def test_the_seed_builds_a_full_three_day_visit_and_a_second_run_writes_nothing(visits):
    client = ThroughTheTestClient(visits)
    visits_seed.seed(client)
    written = audit_count(visits)
    visits_seed.seed(client)
    assert audit_count(visits) == written

    [visit] = visits.call("GET", "/api/v1/visits?status=confirmed").json["items"]
    [earlier] = visits.call("GET", "/api/v1/visits?status=completed").json["items"]
    report = visits.call("GET", f"/api/v1/visits/{earlier['id']}/report").json
    assert (report["status"], len(report["follow_ups"])) == ("submitted", 3)
    assert (visit["status"], visit["starts_on"], visit["ends_on"]) == ("confirmed", "2027-05-17", "2027-05-19")
    unit = visits.call("GET", f"/api/v1/visits/{visit['id']}/delegation").json
    assert unit["head"]["name_latin"] == "Gregoire Dubois" and unit["size"] == 5
    programme = visits.call("GET", f"/api/v1/visits/{visit['id']}/agenda-items").json
    assert programme["total"] == 9
    assert {item["starts_at_local"][:10] for item in programme["items"]} == {"2027-05-17", "2027-05-18",
                                                                              "2027-05-19"}
    needs = visits.call("GET", f"/api/v1/visits/{visit['id']}/interpretation-needs").json["items"]
    assert sorted(need["status"] for need in needs) == ["booked"] * 4 + ["requested"]
    [official] = visits.call("GET", "/api/v1/officials").json["items"]
    schedule = visits.call("GET", f"/api/v1/officials/{official['id']}/schedule").json["items"]
    assert {item["record"] for item in schedule} == {"agenda-item", "meeting", "function"}
    invitations = visits.call("GET", "/api/v1/invitations").json["items"]
    assert sorted(i["status"] for i in invitations) == ["assigned", "received"]
