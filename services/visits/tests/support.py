"""Helpers shared by the visits unit tests: creating records through the API and reading what was written."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from sqlalchemy import select

from conftest import ServiceUnderTest, unit_settings_overrides
from services.visits.app import SPEC, create_app
from shared.config import load_settings
from shared.migrations import upgrade

VISIT = {"delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
         "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning anniversary",
         "host_official": "Deputy Mayor for Culture"}
PROBLEM = "application/problem+json"


@cache
def shared_visits_service() -> ServiceUnderTest:
    """One app for the state machines' generated sequences: each sequence works on records of its own."""
    directory = Path(tempfile.mkdtemp(prefix="visits-lifecycle-"))
    config = unit_settings_overrides("visits", directory)
    upgrade(SPEC, load_settings("visits", config))
    app = create_app(config)
    return ServiceUnderTest("visits", app, app.test_client(), load_settings("visits", config))


def post(service, path, body, roles="protocol", sub="olga", **kwargs):
    response = service.call("POST", path, body, roles=roles, sub=sub, **kwargs)
    assert response.status_code == 201, response.json
    return response.json


def create_visit(service, **changes) -> dict:
    return post(service, "/api/v1/visits", {**VISIT, **changes})


def act(service, visit_id, action, reason=None, roles="protocol", sub="olga"):
    return service.call("POST", f"/api/v1/visits/{visit_id}/{action}", {"reason": reason} if reason else {},
                        roles=roles, sub=sub)


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.json
    assert response.mimetype == PROBLEM
    assert response.json["status"] == status
    if field:
        assert field in {error["field"] for error in response.json.get("errors", [])}, response.json
    return response.json


def outbox(service, prefix: str = "") -> list[dict]:
    """The events written so far (type, subject, data), in order, whose type starts with `prefix`."""
    runtime = service.app.extensions["chancery"]
    table = runtime.spec.tables.outbox
    with runtime.database.read_session() as session:
        rows = session.execute(select(table.c.type, table.c.subject, table.c.data)
                               .where(table.c.type.startswith(prefix)).order_by(table.c.position)).mappings()
        return [dict(row) for row in rows]


def audit_actions(service, record_id: str) -> list[str]:
    runtime = service.app.extensions["chancery"]
    table = runtime.spec.tables.audit
    with runtime.database.read_session() as session:
        return list(session.scalars(select(table.c.action).where(table.c.record_id == record_id)
                                    .order_by(table.c.id)))
