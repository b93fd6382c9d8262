"""The notifications database: who hears what, the in-app inbox, the delivery log, and the plumbing tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import PlumbingTables, UTCDateTime, list_index, utcnow
from shared.kit.ids import new_id
from shared.pii import EncryptedText


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


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
    """A notification to a person on a channel; the in-app ones are their inbox, read newest first by the
    (recipient, channel, created_at, id) index, the unread ones (the badge's count) by a partial index."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("event_id", "recipient", "channel"),
                      Index("ix_notifications_inbox", "recipient", "channel", "created_at", "id"),
                      Index("ix_notifications_unread", "recipient", "channel", "created_at", "id",
                            postgresql_where=text("read_at IS NULL"), sqlite_where=text("read_at IS NULL")))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), default="in-app")
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    data: Mapped[dict] = mapped_column(JSON)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Recipient(Base):
    """A person as notifications knows them: their identity claims as last seen at sign-in, in their token or in
    the directory's import (`known_from`: how they were first known), and their preferences."""

    __tablename__ = "recipients"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    roles: Mapped[str] = mapped_column(String(500), default="")
    display_name: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    known_from: Mapped[str] = mapped_column(String(20), default="api", server_default="api")
    language: Mapped[str] = mapped_column(String(2), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    email: Mapped[str | None] = mapped_column(String(320))
    channels: Mapped[dict] = mapped_column(JSON, default=dict)
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    digest_at: Mapped[str] = mapped_column(String(5), default="08:00")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RoleSubscription(Base):
    """Everyone holding `role` hears the events matching `pattern` (set up by notification admins)."""

    __tablename__ = "role_subscriptions"
    __table_args__ = (UniqueConstraint("role", "pattern"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    role: Mapped[str] = mapped_column(String(50))
    pattern: Mapped[str] = mapped_column(String(200))
    # "all": every matching event; "awaiting": only an event whose record now waits for this person's decision.
    scope: Mapped[str] = mapped_column(String(20), default="all", server_default="all")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WaitingDecision(Base):
    """A record waiting for a role's decision, as its latest event says (`record_version`: a late event changes
    nothing); escalated once to the next role up when `due_at` passes (decision 0125)."""

    __tablename__ = "waiting_decisions"
    __table_args__ = (Index("ix_waiting_decisions_due", "escalated_at", "due_at"),)

    id: Mapped[str] = mapped_column(String(250), primary_key=True)  # "<record_type>:<record_id>"
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(200))
    record_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500), default="")
    awaiting: Mapped[str | None] = mapped_column(String(50), index=True)  # None once decided
    department: Mapped[str | None] = mapped_column(String(200))
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalate_to: Mapped[str | None] = mapped_column(String(50))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Watch(Base):
    """A person follows one record (a visit, a trip, a contract): every event about it."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("subscriber", "record_type", "record_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    subscriber: Mapped[str] = mapped_column(String(200), index=True)
    subscriber_roles: Mapped[str] = mapped_column(String(500))
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Delivery(Base):
    """One (event, recipient, channel): planned once, whatever redeliveries of the event happen."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("event_id", "recipient", "channel"),
                      Index("ix_deliveries_due", "status", "due_at"),
                      list_index("deliveries", "created_at"), list_index("deliveries", "due_at", "-created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(2000), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict | None] = mapped_column(JSON)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeliveryAttempt(Base):
    """Every attempt, written (outcome `sending`) before the channel is called, and finished after."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(20), default="sending")
    error: Mapped[str | None] = mapped_column(String(500))


class Webhook(Base):
    """A system's HTTPS endpoint that receives the events matching `pattern`, signed with `secret` (and, while a
    rotation overlaps, with `previous_secret` too until `previous_secret_expires_at`); both encrypted at rest."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    owner_roles: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(2000))
    pattern: Mapped[str] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(EncryptedText)
    previous_secret: Mapped[str | None] = mapped_column(EncryptedText)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Integration(Base):
    """A city system's own queue on the broker, bound to `chancery.events` by the patterns it subscribed to.
    The worker makes the broker match `patterns` and records what it declared in `declared_patterns`."""

    __tablename__ = "integrations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    patterns: Mapped[list] = mapped_column(JSON, default=list)
    declared_patterns: Mapped[list | None] = mapped_column(JSON)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
