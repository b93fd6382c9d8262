"""What the visits use cases do alike to the record they change: find the version the caller last read, and set
the fields sent."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from shared.db import find
from shared.kit.refusals import require_version

Record = TypeVar("Record")


def find_current(session: Session, model: type[Record], record_id: str, label: str,
                 expected_version: frozenset[int] | None, **belongs_to: str) -> Record:
    """The record (NotFound otherwise), if it is a version the caller names (StaleVersion otherwise)."""
    record = find(session, model, record_id, label, for_update=False, **belongs_to)
    require_version(record.version, expected_version)  # type: ignore[attr-defined]
    return record


def set_fields(record: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(record, name, value)
