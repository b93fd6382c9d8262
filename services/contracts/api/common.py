"""What every contracts endpoint does alike: find a record, answer with its ETag, move it through its lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from flask import current_app
from sqlalchemy.orm import Session

from services.contracts.domain.lifecycle import IllegalTransition, Lifecycle, MissingReason
from shared.http.problems import Problem
from shared.http.resources import etag, json_response

PROCUREMENT = ("procurement",)
BODY_PROBLEMS = (400, 413, 415)


def find(session: Session, model, record_id: str, name: str, *, for_update: bool = False):
    record = session.get(model, record_id, with_for_update=for_update)
    if record is None:
        raise Problem(404, "Not found", f"No {name} {record_id}", slug="not-found")
    return record


def record_response(body: dict, version: int, status: int = 200):
    return json_response(body, status, {"ETag": etag(version)})


def invalid(field: str, error: Exception | str) -> Problem:
    return Problem(422, "The request is not valid", str(error), slug="validation",
                   errors=[{"field": field, "message": str(error)}])


def conflict(detail: str, allowed: list[str]) -> Problem:
    return Problem(409, "Transition not allowed", detail, slug="illegal-transition", allowed_actions=allowed)


def advance(lifecycle: Lifecycle, status_type: type[StrEnum], record, action: str, reason: str | None) -> str:
    """Move the record to the state `action` leads to; 409 naming the allowed actions, 422 without a reason."""
    try:
        target = lifecycle.next_status(status_type(record.status), action, reason)
    except IllegalTransition as error:
        raise conflict(str(error), error.allowed) from error
    except MissingReason as error:
        raise invalid("reason", error) from error
    previous = record.status
    record.status, record.status_reason, record.version = target.value, reason, record.version + 1
    return previous


def named(name: str, view: Callable) -> Callable:
    view.__name__ = name
    return view


def now() -> datetime:
    return current_app.extensions["contracts.clock"]()


def contracts_settings():
    return current_app.extensions["contracts.settings"]
