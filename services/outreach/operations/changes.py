"""Recording a change of outreach's: the kit's event and audit record, and the analytics read model fed by the
service's own plan-item events as it is by the other services' (docs/decisions/0043)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.outreach.store.analytics import feeds_analytics, log_and_fold
from shared.kit.refusals import Invalid
from shared.uow import UnitOfWork


def record_change(uow: UnitOfWork, record_type: str, action: str, record: Any,
                  contents: Callable[[Any], dict[str, Any]], changes: dict[str, Any]) -> None:
    """The event `chancery.outreach.<record_type>.<action>.v1` and the audit record of one change to `record`."""
    event_id = uow.record_change(record_type, action, record, contents, changes)
    event_type = f"chancery.outreach.{record_type}.{action}.v1"
    if feeds_analytics(event_type):
        log_and_fold(uow.session, event_id, event_type, uow.now(), contents(record))


def apply_changes(record: Any, changes: dict[str, Any]) -> None:
    """Set the changed fields and count a new version."""
    for name, value in changes.items():
        setattr(record, name, value)
    record.version += 1


def refuse_clearing(changes: dict[str, Any], required: tuple[str, ...] | set[str]) -> None:
    """Invalid naming the first required field a change would set to null."""
    for name in required:
        if name in changes and changes[name] is None:
            raise Invalid(name, f"{name} cannot be cleared")
