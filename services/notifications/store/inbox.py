"""Reading the in-app inbox in the order notifications arrived: where a live stream starts and what came since."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.notifications.domain.delivery_plan import IN_APP
from services.notifications.store.models import Notification

Cursor = tuple[datetime, str]  # (created_at, id) of the last notification a stream sent
NEWER_AT_ONCE = 100


def stream_cursor(session: Session, recipient: str, resume_from: str | None) -> Cursor:
    """Where the stream starts: after the notification the client saw last, or after the newest one now."""
    if resume_from:
        seen = session.get(Notification, resume_from[:36])
        if seen is not None and seen.recipient == recipient:
            return (seen.created_at, seen.id)
    newest = session.execute(select(Notification.created_at, Notification.id)
                             .where(Notification.recipient == recipient, Notification.channel == IN_APP)
                             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(1)).first()
    return (newest[0], newest[1]) if newest else (datetime.min.replace(tzinfo=UTC), "")


def newer_than(session: Session, recipient: str, cursor: Cursor) -> list[Notification]:
    """The recipient's in-app notifications after `cursor`, oldest first, at most NEWER_AT_ONCE."""
    created_at, row_id = cursor
    return list(session.execute(
        select(Notification)
        .where(Notification.recipient == recipient, Notification.channel == IN_APP,
               or_(Notification.created_at > created_at,
                   and_(Notification.created_at == created_at, Notification.id > row_id)))
        .order_by(Notification.created_at, Notification.id).limit(NEWER_AT_ONCE)).scalars())
