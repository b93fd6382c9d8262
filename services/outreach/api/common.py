"""What every outreach endpoint shares: finding a record, answering it with its ETag, recording a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.outreach.store.analytics import feeds_analytics, log_and_fold
from shared.http.problems import Problem
from shared.http.resources import etag, json_response
from shared.uow import UnitOfWork

READERS = ("outreach", "mayor-office")
WRITERS = ("outreach",)
BODY_PROBLEMS = (400, 413, 415)
Record = TypeVar("Record")


def find(session: Session, model: type[Record], record_id: str, label: str) -> Record:
    record = session.get(model, record_id)
    if record is None:
        raise Problem(404, "Not found", f"No {label} {record_id}", slug="not-found")
    return record


def record_response(body: dict, version: int, status: int = 200):
    return json_response(body, status, {"ETag": etag(version)})


def record_change(uow: UnitOfWork, record: str, action: str, instance: Any, event_data: Callable[[Any], dict],
                  changes: dict) -> None:
    """The event `chancery.outreach.<record>.<action>.v1` and the audit record of one change to `instance`."""
    uow.session.flush()  # fills ids and defaults
    event_type, data = f"chancery.outreach.{record}.{action}.v1", event_data(instance)
    event_id = uow.emit(event_type, instance.id, data)
    uow.audit(f"{record}.{action}", record, instance.id, changes)
    if feeds_analytics(event_type):
        outbox = uow.runtime.spec.tables.outbox
        occurred_at = uow.session.scalar(select(outbox.c.occurred_at).where(outbox.c.event_id == event_id))
        log_and_fold(uow.session, event_id, event_type, occurred_at, data)


def invalid(field: str, message: str) -> Problem:
    return Problem(422, "The request is not valid", message, slug="validation",
                   errors=[{"field": field, "message": message}])


def conflict(message: str, allowed_actions: list[str], **extensions: Any) -> Problem:
    return Problem(409, "Transition not allowed", message, slug="illegal-transition",
                   allowed_actions=allowed_actions, **extensions)


def apply_changes(record: Any, changes: dict) -> None:
    for name, value in changes.items():
        setattr(record, name, value)
    record.version += 1
