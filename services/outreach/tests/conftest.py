"""Fixtures of the outreach unit tests: the app on a fresh SQLite file, what its database holds, a frozen clock."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from services.outreach.handlers import SUBSCRIPTIONS
from shared.bus.consumer import EventConsumer
from shared.uow import worker_unit_of_work

PROBLEM = "application/problem+json"


class Outreach:
    """The outreach app under test, with helpers to look into its database."""

    def __init__(self, service):
        self.service = service
        self.runtime = service.app.extensions["chancery"]

    def call(self, *args, **kwargs):
        return self.service.call(*args, **kwargs)

    def create(self, path: str, body: dict, roles: str = "outreach", **kwargs):
        response = self.call("POST", path, body, roles=roles, **kwargs)
        assert response.status_code == 201, response.json
        return response.json

    def count(self, model_or_table) -> int:
        with self.runtime.database.read_session() as session:
            return session.scalar(select(func.count()).select_from(model_or_table))

    def outbox(self) -> list[tuple[str, dict]]:
        table = self.runtime.spec.tables.outbox
        with self.runtime.database.read_session() as session:
            return [(row.type, row.data) for row in session.execute(select(table).order_by(table.c.position))]

    def outbox_types(self) -> list[str]:
        return [event_type for event_type, _ in self.outbox()]

    def audit_actions(self) -> list[str]:
        table = self.runtime.spec.tables.audit
        with self.runtime.database.read_session() as session:
            return list(session.scalars(select(table.c.action).order_by(table.c.id)))

    def deliver(self, event: dict) -> bool:
        """Hand an event to outreach's consumer as the worker would; False when the inbox had it already."""
        consumer = EventConsumer(self.runtime.settings, self.runtime.database, self.runtime.spec.tables,
                                 SUBSCRIPTIONS, lambda session, e: worker_unit_of_work(self.runtime, session, e["id"]))
        return consumer.handle(event)

    def writes(self) -> dict[str, int]:
        tables = self.runtime.spec.tables
        return {table.name: self.count(table) for table in (tables.outbox, tables.audit)}


@pytest.fixture
def outreach(service_app) -> Outreach:
    return Outreach(service_app("outreach"))


@pytest.fixture
def frozen_today(outreach):
    """Freeze the service's clock (its runtime's) at noon of a day; returns a setter to move it."""
    def freeze(day: date) -> None:
        outreach.runtime.clock = lambda: datetime.combine(day, time(12), UTC)
    freeze(date(2027, 6, 15))
    return freeze


def cloud_event(event_type: str, data: dict, time: str = "2027-03-01T09:30:00Z", **attributes) -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": f"/chancery/{event_type.split('.')[1]}",
            "type": event_type, "time": time, "subject": data.get("id", ""), "datacontenttype": "application/json",
            "data": data, **attributes}


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.json
    assert response.mimetype == PROBLEM
    if field:
        assert field in {error["field"] for error in response.json.get("errors", [])}, response.json
    return response.json
