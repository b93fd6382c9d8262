"""The notifications database: subscriptions, the in-app inbox, and the plumbing tables."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import PlumbingTables, UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


def new_id() -> str:
    return str(uuid.uuid4())


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("subscriber", "pattern", "channel"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    subscriber: Mapped[str] = mapped_column(String(200), index=True)
    subscriber_roles: Mapped[str] = mapped_column(String(500))
    pattern: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), default="in-app")
    language: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("event_id", "recipient", "channel"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="in-app")
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    data: Mapped[dict] = mapped_column(JSON)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
