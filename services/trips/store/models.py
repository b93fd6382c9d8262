"""The trips database: its domain tables and the plumbing tables every service keeps."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import AutoIncrementId, PlumbingTables, UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


def new_id() -> str:
    return str(uuid.uuid4())


class Trip(Base):
    """A trip request: one traveller or a delegation, to one or more destinations."""

    __tablename__ = "trips"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200), index=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    host: Mapped[str | None] = mapped_column(String(300))
    invitation_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    international_function: Mapped[str | None] = mapped_column(String(300))
    funding: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    status_reason: Mapped[str | None] = mapped_column(Text)
    approval_chain: Mapped[str] = mapped_column(String(100), default="")  # comma-separated steps
    awaiting: Mapped[str | None] = mapped_column(String(30), index=True)  # the step deciding next
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    destinations: Mapped[list[Destination]] = relationship(
        cascade="all, delete-orphan", order_by="Destination.position", lazy="selectin")
    travellers: Mapped[list[Traveller]] = relationship(
        cascade="all, delete-orphan", order_by="Traveller.position", lazy="selectin")
    decisions: Mapped[list[Decision]] = relationship(
        cascade="all, delete-orphan", order_by="Decision.id", lazy="selectin")


class Destination(Base):
    __tablename__ = "trip_destinations"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(200))


class Traveller(Base):
    """One traveller's part of a request: who they are decides the approval chain."""

    __tablename__ = "trip_travellers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(200))


class Decision(Base):
    """One step of the approval chain decided: approved, or sent back with comments."""

    __tablename__ = "trip_decisions"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Leg(Base):
    """One leg of the itinerary; each end keeps its wall-clock time and its own IANA time zone."""

    __tablename__ = "trip_legs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(200))
    destination: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(10))
    carrier_reference: Mapped[str | None] = mapped_column(String(100))
    departs_local: Mapped[datetime] = mapped_column(DateTime())
    departs_time_zone: Mapped[str] = mapped_column(String(64))
    departs_utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    arrives_local: Mapped[datetime] = mapped_column(DateTime())
    arrives_time_zone: Mapped[str] = mapped_column(String(64))
    arrives_utc: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class Stay(Base):
    """Accommodation abroad for the travellers."""

    __tablename__ = "trip_stays"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(200))
    check_in: Mapped[date] = mapped_column(Date, index=True)
    check_out: Mapped[date] = mapped_column(Date)
    booking_reference: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Meeting(Base):
    """A meeting or event abroad with counterparts, and the briefing material prepared for it."""

    __tablename__ = "trip_meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    counterparts: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(300))
    starts_local: Mapped[datetime] = mapped_column(DateTime())
    ends_local: Mapped[datetime] = mapped_column(DateTime())
    time_zone: Mapped[str] = mapped_column(String(64))
    starts_utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    briefing: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
