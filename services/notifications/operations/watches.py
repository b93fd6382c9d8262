"""Watches: a person hears every event about one visit, trip or contract."""

from __future__ import annotations

from typing import Any

from services.notifications.domain.audience import record_pattern
from services.notifications.operations.registrations import add_registration, require_pattern_allowed
from services.notifications.store.models import Watch
from services.notifications.store.recipients import known_recipient, roles_text
from shared.db import find
from shared.uow import UnitOfWork


def watch(uow: UnitOfWork, record_type: str, record_id: str, changes: dict[str, Any]) -> Watch:
    """The caller watches a record of their departments; once per record."""
    require_pattern_allowed(record_pattern(record_type), uow.roles, "record_type")
    known_recipient(uow.session, uow.actor, uow.roles, uow.department)
    row = Watch(subscriber=uow.actor, subscriber_roles=roles_text(uow.roles), record_type=record_type,
                record_id=record_id)
    return add_registration(uow, row, "watch", changes,
                            f"You already watch {record_type} {record_id}")


def unwatch(uow: UnitOfWork, watch_id: str) -> None:
    row = find(uow.session, Watch, watch_id, "watch", subscriber=uow.actor)
    uow.session.delete(row)
    uow.audit("watch.delete", "watch", row.id, {"record_type": row.record_type, "record_id": row.record_id})
