"""The current request's unit of work and read session, for the views: the one place that builds a unit of
work from Flask's request context (the signed-in principal and the request id)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g
from sqlalchemy.orm import Session

from shared.kit.withholding import Viewer
from shared.service import ServiceRuntime
from shared.uow import UnitOfWork


def runtime() -> ServiceRuntime:
    return current_app.extensions["chancery"]


@contextmanager
def unit_of_work() -> Iterator[UnitOfWork]:
    """The current request's unit of work, committed when the block ends."""
    service = runtime()
    with service.database.session() as session:
        session.info["viewer"] = viewer()
        yield UnitOfWork(session, service, g.principal.subject, g.principal.roles, g.request_id,
                         g.principal.department)


def audit_personal_data_read(record_type: str, record_id: str, fields: list[str]) -> None:
    """Reading personal data unmasked is itself a recorded act, committed in its own transaction."""
    with unit_of_work() as uow:
        uow.audit("personal-data.read", record_type, record_id, {"fields": sorted(fields)})


@contextmanager
def read_only() -> Iterator[Session]:
    with runtime().database.read_session() as session:
        session.info["viewer"] = viewer()
        yield session


def viewer() -> Viewer:
    """The signed-in person at the request's time: what withheld records they may know of (decision 0190)."""
    return Viewer(g.principal.subject, g.principal.roles, runtime().clock())
