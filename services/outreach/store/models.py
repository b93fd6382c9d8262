"""The outreach database: partners, their timeline, the annual plan, and the plumbing tables every service keeps."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import PlumbingTables, UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


def new_id() -> str:
    return str(uuid.uuid4())


class Versioned:
    """What every record staff edit carries: its version (the ETag), who made it and when."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Partner(Versioned, Base):
    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[list[dict]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class PartnerRelationship(Versioned, Base):
    __tablename__ = "partner_relationships"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    type: Mapped[str] = mapped_column(String(30), index=True)
    established_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(Text)


class PartnerContact(Versioned, Base):
    __tablename__ = "partner_contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class TimelineEntry(Base):
    """One event of another service about a partner; appended by the worker, never edited."""

    __tablename__ = "timeline_entries"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(30), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    record: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
