"""The trips database: its domain tables and the plumbing tables every service keeps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from shared.db import AutoIncrementId, HeardMarking, PlumbingTables, UTCDateTime, Withholdable, list_index, utcnow
from shared.kit.ids import new_id
from shared.pii import EncryptedText
from shared.registry import registry_counters


class Base(DeclarativeBase):
    pass


class ExactDecimal(TypeDecorator):
    """A Decimal kept as its exact text: SQLite has no decimal type and would round through a float.
    Sums are made in Python (domain/budget.py), never in SQL."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


plumbing = PlumbingTables(Base.metadata)
registry = registry_counters(Base.metadata)


# A trip list's filters of many trips each, and its sorts (`api/trips.py`): each an index, then the list's order.
# Not the status: SQLite, which keeps no statistics, would take (status, starts_on) for the coordination check and
# walk every earlier trip (decision 0225); the status keeps its own index.
LISTED_BY = ("department", "awaiting", "awaiting_department", "created_by", "ends_on", "created_at", "title")


class Trip(Withholdable, Base):
    """A trip request: one traveller or a delegation, to one or more destinations."""

    __tablename__ = "trips"
    # The coordination check's candidates (operations/coordination.py): live trips of the other departments, read
    # as two ranges around the asking department so that its own trips are never walked (decision 0225).
    # The list (decisions 0170, 0215): newest first, each filter a staff member narrows it by and each sort read from
    # an index in the list's order, so that a page of a million trips costs what a page of a thousand does.
    __table_args__ = (Index("ix_trips_status_department_ends_on", "status", "department", "ends_on"),
                      list_index("trips", "-starts_on"),
                      *(list_index("trips", field, "-starts_on") for field in LISTED_BY))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    host: Mapped[str | None] = mapped_column(String(300))
    invitation_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    international_function: Mapped[str | None] = mapped_column(String(300))
    funding: Mapped[str] = mapped_column(String(20))
    budget_currency: Mapped[str] = mapped_column(String(3))
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    status_reason: Mapped[str | None] = mapped_column(Text)
    approval_chain: Mapped[str] = mapped_column(String(100), default="")  # comma-separated steps
    awaiting: Mapped[str | None] = mapped_column(String(30))  # the step deciding next
    awaiting_department: Mapped[str | None] = mapped_column(String(200))  # whose head decides a staff step
    travel_order_number: Mapped[str | None] = mapped_column(String(20), unique=True)  # from the first submission
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
    official_id: Mapped[str | None] = mapped_column(String(200), index=True)  # the register's, in visits (0130)
    passport_number: Mapped[str | None] = mapped_column(EncryptedText)
    date_of_birth: Mapped[str | None] = mapped_column(EncryptedText)
    passport_expires_on: Mapped[date | None] = mapped_column(Date)
    documents: Mapped[list[TravellerDocument]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class Decision(Base):
    """One step of the approval chain decided: approved, or sent back with comments."""

    __tablename__ = "trip_decisions"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    department: Mapped[str | None] = mapped_column(String(200))  # a staff step's department
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
    arrives_country: Mapped[str | None] = mapped_column(String(2))  # decides the per diem by country
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


class DailyRateRow(Base):
    """Staff-maintained per diem and accommodation limits for a country, from a date."""

    __tablename__ = "daily_rates"
    __table_args__ = (UniqueConstraint("country", "valid_from"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    country: Mapped[str] = mapped_column(String(2), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    per_diem: Mapped[Decimal] = mapped_column(ExactDecimal())
    accommodation_per_night: Mapped[Decimal] = mapped_column(ExactDecimal())
    valid_from: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ExchangeRateRow(Base):
    """Staff-maintained exchange rate: one unit of `base` is worth `rate` units of `quote` from `valid_on`."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("base", "quote", "valid_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    base: Mapped[str] = mapped_column(String(3), index=True)
    quote: Mapped[str] = mapped_column(String(3), index=True)
    rate: Mapped[Decimal] = mapped_column(ExactDecimal())
    valid_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CostLine(Base):
    """An expected or actual cost of a trip, converted to the trip's budget currency when recorded."""

    __tablename__ = "trip_costs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    currency: Mapped[str] = mapped_column(String(3))
    converted_amount: Mapped[Decimal] = mapped_column(ExactDecimal())
    exchange_rate: Mapped[Decimal] = mapped_column(ExactDecimal())
    converted_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Proposal(Base):
    """A proposal to the mayor's office to take part in an international function."""

    __tablename__ = "function_proposals"
    __table_args__ = tuple(list_index("function_proposals", field, "-starts_on")
                           for field in ("created_at", "function_name"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    function_name: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    rationale: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200))
    funding: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    travellers: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    trip_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Report(Base):
    """The report after a trip; its follow-ups feed the annual plan when it is submitted."""

    __tablename__ = "trip_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), unique=True)
    outcomes: Mapped[str] = mapped_column(Text)
    agreements: Mapped[str | None] = mapped_column(Text)
    coverage: Mapped[list] = mapped_column(JSON)  # press coverage items
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    follow_ups: Mapped[list[FollowUp]] = relationship(
        cascade="all, delete-orphan", order_by="FollowUp.position", lazy="selectin")


class FollowUp(Base):
    """A follow-up action agreed on the trip: who does what by when."""

    __tablename__ = "trip_follow_ups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(ForeignKey("trip_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    responsible_body: Mapped[str] = mapped_column(String(200))


class TravellerDocument(Base):
    """A visa, insurance or travel order of one traveller, as staff record it (the passport is on Traveller)."""

    __tablename__ = "traveller_documents"
    __table_args__ = (UniqueConstraint("traveller_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    traveller_id: Mapped[str] = mapped_column(ForeignKey("trip_travellers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    valid_until: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Coordination(Base):
    """Two trips of different departments to one city at overlapping dates, announced once."""

    __tablename__ = "trip_coordinations"

    first_trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), primary_key=True)
    second_trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), primary_key=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VisitEngagement(HeardMarking, Base):
    """Trips' read model of an official's engagement in visits (an agenda item, a meeting, a function), from
    visits' events (decision 0131). Only the newest version of each is kept, with its marking: a withheld
    engagement's time is kept, its title shown only to whoever may know of it (decision 0190)."""

    __tablename__ = "visit_engagements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record: Mapped[str] = mapped_column(String(20))  # "agenda-item", "meeting" or "function"
    visit_id: Mapped[str | None] = mapped_column(String(36), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    officials: Mapped[list[str]] = mapped_column(JSON, default=list)  # by name, as visits has them
    officials_index: Mapped[str] = mapped_column(Text, default="||")  # "|id:sub|mayor of sofia|"
    active: Mapped[bool] = mapped_column(default=True)  # false once cancelled, removed or its visit cancelled
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
