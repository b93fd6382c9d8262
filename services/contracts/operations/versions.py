"""What every contracts use case does to a versioned record with a lifecycle: refuse a stale or no longer
editable one, set the changed fields as a new version, take a lifecycle action."""

from __future__ import annotations

from typing import Any, Protocol

from services.contracts.domain.refusals import NotInThisState
from shared.kit.lifecycle import HasStatus, Lifecycle
from shared.kit.refusals import require_version


def check_editable(record: HasStatus, expected_version: frozenset[int] | None, lifecycle: Lifecycle,
                   editable: tuple[Any, ...], refusal: str) -> None:
    """StaleVersion, or NotInThisState (`refusal` with the `{status}`) outside the `editable` states."""
    require_version(record.version, expected_version)
    status = lifecycle.status_type(record.status)
    if status not in editable:
        raise NotInThisState(refusal.format(status=status.value), lifecycle.allowed_actions(status))


class Versioned(Protocol):
    version: int


def set_fields(record: Versioned, fields: dict[str, Any]) -> None:
    for name, new_value in fields.items():
        setattr(record, name, new_value)
    record.version += 1


def take_action(record: HasStatus, lifecycle: Lifecycle, action: str, reason: str | None,
                expected_version: frozenset[int] | None) -> dict[str, Any]:
    """Move the record to the state `action` leads to; the audit record's changes (the step and its reason)."""
    require_version(record.version, expected_version)
    previous = lifecycle.advance(record, action, reason)
    return {"status": [previous, record.status], "reason": record.status_reason}
