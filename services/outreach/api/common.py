"""What every outreach endpoint shares: finding a record, answering it with its ETag, recording a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.outreach.store.analytics import feeds_analytics, log_and_fold
from shared.http.problems import Problem
from shared.http.resources import etag, json_response
from shared.http.work import audit_personal_data_read
from shared.pii import reveal_or_mask
from shared.uow import UnitOfWork

READERS = ("outreach", "mayor-office")
WRITERS = ("outreach",)
BODY_PROBLEMS = (400, 413, 415)
PERSONAL_DATA_READERS = ("outreach",)  # the mayor's office sees contacts' e-mail and phone masked
CONTACT_DETAILS = ("email", "phone")  # personal data of every contact person (docs/decisions/0005, 0045)
Record = TypeVar("Record")


def find(session: Session, model: type[Record], record_id: str, label: str) -> Record:
    record = session.get(model, record_id)
    if record is None:
        raise Problem(404, "Not found", f"No {label} {record_id}", slug="not-found")
    return record


def record_response(body: dict, version: int, status: int = 200):
    return json_response(body, status, {"ETag": etag(version)})


def may_read_personal_data() -> bool:
    return g.principal.has_any(PERSONAL_DATA_READERS)


def masked(body: dict, fields: tuple[str, ...], may_read: bool) -> dict:
    return {**body, **{name: reveal_or_mask(body[name], may_read) for name in fields}}


def as_caller_may_see(body: dict, fields: tuple[str, ...] = CONTACT_DETAILS) -> dict:
    """A record just written, answered to its writer: unmasked only for roles that may read personal data."""
    return masked(body, fields, may_read_personal_data())


def personal_record_response(body: dict, version: int, record: str, fields: tuple[str, ...] = CONTACT_DETAILS):
    """One record read as the caller may see it; reading its personal data unmasked is recorded in the audit."""
    may_read = may_read_personal_data()
    revealed = sorted(name for name in fields if body[name] is not None) if may_read else []
    if revealed:
        audit_personal_data_read(record, body["id"], revealed)
    return record_response(masked(body, fields, may_read), version)


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
