"""The unit of work of a request: one transaction holding the change, its events and its audit record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, g
from sqlalchemy import insert
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.service import ServiceRuntime


class UnitOfWork:
    def __init__(self, session: Session, runtime: ServiceRuntime, actor: str, roles: frozenset[str],
                 request_id: str | None, department: str | None = None):
        self.session = session
        self.runtime = runtime
        self.actor, self.roles, self.request_id, self.department = actor, roles, request_id, department

    def emit(self, event_type: str, subject: str, data: dict[str, Any]) -> str:
        return self.runtime.outbox.record(self.session, event_type, subject, data)

    def audit(self, action: str, record_type: str, record_id: str, changes: dict[str, Any]) -> None:
        self.session.execute(insert(self.runtime.spec.tables.audit), {
            "at": utcnow(), "actor": self.actor, "roles": ",".join(sorted(self.roles)), "action": action,
            "record_type": record_type, "record_id": record_id, "changes": changes, "request_id": self.request_id})


def runtime() -> ServiceRuntime:
    return current_app.extensions["chancery"]


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """The current request's unit of work, committed when the block ends."""
    service = runtime()
    with service.database.session() as session:
        yield UnitOfWork(session, service, g.principal.subject, g.principal.roles, g.request_id,
                         g.principal.department)


def audit_personal_data_read(record_type: str, record_id: str, fields: list[str]) -> None:
    """Reading personal data unmasked is itself a recorded act, committed in its own transaction."""
    with unit_of_work() as uow:
        uow.audit("personal-data.read", record_type, record_id, {"fields": sorted(fields)})


def worker_unit_of_work(service: ServiceRuntime, session: Session, cause: str) -> UnitOfWork:
    """The unit of work of the worker acting on its own (an event it consumes, a periodic task).

    `cause` (the consumed event's id, or the task's name) stands where a request id would.
    """
    return UnitOfWork(session, service, f"worker:{service.spec.name}", frozenset(), cause)


@contextmanager
def read_only() -> Iterator[Session]:
    with runtime().database.read_session() as session:
        yield session
