"""The inbox: the in-app notifications a person has been given."""

from __future__ import annotations

from services.notifications.store.models import Notification
from shared.db import find
from shared.uow import UnitOfWork


def mark_read(uow: UnitOfWork, notification_id: str) -> Notification:
    """The caller's notification, read now if it was not yet (audited once)."""
    notification = find(uow.session, Notification, notification_id, "notification", recipient=uow.actor)
    if notification.read_at is None:
        notification.read_at = uow.now()
        uow.audit("notification.read", "notification", notification.id,
                  {"read_at": notification.read_at.isoformat()})
    return notification
