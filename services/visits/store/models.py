"""The visits database: its domain tables and the plumbing tables every service keeps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import AutoIncrementId, HeardMarking, PlumbingTables, UTCDateTime, Withholdable, list_index, utcnow
from shared.kit.ids import new_id
from shared.pii import EncryptedText
from shared.registry import registry_counters


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)
registry = registry_counters(Base.metadata)


class Visit(Withholdable, Base):
    __tablename__ = "visits"
    # The list's filters and sorts, each followed by its default order (decision 0170): a page is read from an
    # index, whatever the number of visits.
    __table_args__ = (Index("ix_visits_starts_on_id", "starts_on", "id"),
                      *(Index(f"ix_visits_{name}_starts_on", name, "starts_on", "id")
                        for name in ("status", "country", "host_official", "partner_id")))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    delegation_name: Mapped[str] = mapped_column(String(300), index=True)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[str | None] = mapped_column(String(36))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    purpose: Mapped[str] = mapped_column(Text)
    host_official: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    status_reason: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class VisitStatusChange(Base):
    """One step of a visit's lifecycle: who moved it from where to where, when and why."""

    __tablename__ = "visit_status_changes"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DelegationMember(Base):
    """A person of the delegation: its head, a member, an accompanying person or the security detail."""

    __tablename__ = "delegation_members"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    name_original: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    rank: Mapped[str | None] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    dietary_needs: Mapped[str | None] = mapped_column(Text)
    access_needs: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AgendaItem(Base):
    """One item of a visit's programme; times in UTC with the venue's IANA zone beside them."""

    __tablename__ = "agenda_items"
    __table_args__ = tuple(list_index("agenda_items", field, "starts_at") for field in ("title", "venue"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str | None] = mapped_column(String(300))
    venue_key: Mapped[str | None] = mapped_column(String(300), index=True)
    responsible_staff: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    participants: Mapped[list[AgendaParticipant]] = relationship(
        order_by="AgendaParticipant.position", cascade="all, delete-orphan", lazy="selectin")
    interpretation: Mapped[list[InterpretationNeed]] = relationship(
        primaryjoin="and_(AgendaItem.id == InterpretationNeed.agenda_item_id, InterpretationNeed.status == 'booked')",
        viewonly=True, lazy="selectin")

    @property
    def host_participants(self) -> list[str]:
        return [p.official for p in self.participants if p.side == "host"]

    @property
    def guest_participants(self) -> list[str]:
        return [p.member_id for p in self.participants if p.side == "guest"]


class AgendaParticipant(Base):
    """An official of the host side (by name) or a person of the delegation taking part in an agenda item."""

    __tablename__ = "agenda_participants"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    official: Mapped[str | None] = mapped_column(String(200))
    official_key: Mapped[str | None] = mapped_column(String(200), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("delegation_members.id", ondelete="CASCADE"),
                                                  index=True)
    position: Mapped[int] = mapped_column(Integer)


class RankTable(Base):
    """The office's rank table for precedence and forms of address; one row, replaced as a whole."""

    __tablename__ = "rank_tables"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    ranks: Mapped[list[dict]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SeatingPlan(Base):
    __tablename__ = "seating_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[str | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    seats: Mapped[list[dict]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Gift(Base):
    """A gift given to or received from a delegation, its value and what became of it."""

    __tablename__ = "gifts"
    __table_args__ = tuple(list_index("gifts", field, "-exchanged_on")
                           for field in ("value_amount", "disposition", "declaration_due_on"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(10), index=True)
    description: Mapped[str] = mapped_column(Text)
    giver: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(200))
    value_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    value_currency: Mapped[str | None] = mapped_column(String(3))
    exchanged_on: Mapped[date] = mapped_column(Date, index=True)
    disposition: Mapped[str] = mapped_column(String(30))
    disposition_note: Mapped[str | None] = mapped_column(Text)
    declaration_reason: Mapped[str | None] = mapped_column(String(30), index=True)
    declaration_threshold: Mapped[str | None] = mapped_column(String(30))
    declaration_due_on: Mapped[date | None] = mapped_column(Date)
    declared_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ChecklistItem(Base):
    """A protocol task of a visit with its owner and due date; reported once when it falls overdue."""

    __tablename__ = "checklist_items"
    __table_args__ = tuple(list_index("checklist_items", field, "due_on") for field in ("title", "done_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str | None] = mapped_column(String(200))
    overdue_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Interpreter(Base):
    """An interpreter of the register: the language pairs they cover (both ways) and their modes."""

    __tablename__ = "interpreters"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    pairs: Mapped[list[str]] = mapped_column(JSON)
    search_index: Mapped[str] = mapped_column(Text)  # "|bg-ru|en-ru|consecutive|": SQL filters by pair and mode
    modes: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class InterpretationNeed(Base):
    """A language pair an agenda item needs: booked with an interpreter, or requested when nobody covers it."""

    __tablename__ = "interpretation_needs"
    __table_args__ = (list_index("interpretation_needs", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[str] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    language_pair: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    interpreter_id: Mapped[str | None] = mapped_column(ForeignKey("interpreters.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Invitation(Base):
    """An invitation addressed to the mayor: from the API or the city's document system, until it is answered."""

    __tablename__ = "invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    inviting_party: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(10), index=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(20))
    source_document_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(200), index=True)
    assignee_kind: Mapped[str | None] = mapped_column(String(20))
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    attending_official: Mapped[str | None] = mapped_column(String(200))
    answer_note: Mapped[str | None] = mapped_column(Text)
    reply_language: Mapped[str | None] = mapped_column(String(2))
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))
    function_id: Mapped[str | None] = mapped_column(ForeignKey("official_functions.id", ondelete="SET NULL"))
    overdue_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Meeting(Withholdable, Base):
    """A meeting of the mayor or an official with foreign guests: prepared, held, recorded."""

    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[str | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    official: Mapped[str] = mapped_column(String(200), index=True)
    guests: Mapped[list[str]] = mapped_column(JSON, default=list)
    country: Mapped[str] = mapped_column(String(2), index=True)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    time_zone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str | None] = mapped_column(String(300))
    briefing_notes: Mapped[str | None] = mapped_column(Text)
    talking_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FollowUp(Base):
    __tablename__ = "meeting_follow_ups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    responsible_body: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VisitReport(Base):
    """The report after a visit; its follow-ups feed outreach's consolidated plan once it is submitted."""

    __tablename__ = "visit_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[str] = mapped_column(Text)
    agreements: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    follow_ups: Mapped[list[VisitReportFollowUp]] = relationship(
        cascade="all, delete-orphan", order_by="VisitReportFollowUp.position", lazy="selectin")


class VisitReportFollowUp(Base):
    """A follow-up agreed during the visit: what, whose (and their department, where known), by when."""

    __tablename__ = "visit_report_follow_ups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(ForeignKey("visit_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)


class MinutesRevision(Base):
    """One revision of a meeting's minutes; the highest number is the current text, the others its history."""

    __tablename__ = "minutes_revisions"

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("meeting_id", "number"),)


class OfficialFunction(Base):
    """A press conference, symposium, seminar, round table, coordinating meeting or reception."""

    __tablename__ = "official_functions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[str | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    time_zone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(300))
    officials: Mapped[list[str]] = mapped_column(JSON, default=list)
    officials_index: Mapped[str] = mapped_column(Text, default="||")  # "|mayor of sofia|": SQL filters by official
    press_open: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), index=True, default="scheduled")
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FunctionInvitee(Base):
    __tablename__ = "function_invitees"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    function_id: Mapped[str] = mapped_column(ForeignKey("official_functions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    rsvp: Mapped[str] = mapped_column(String(20), index=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class PressAccreditation(Base):
    __tablename__ = "press_accreditations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    function_id: Mapped[str] = mapped_column(ForeignKey("official_functions.id", ondelete="CASCADE"), index=True)
    journalist: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)


class VisaLetter(Base):
    """A visa support letter for one member of a delegation; passport data encrypted, purged after the visit."""

    __tablename__ = "visa_letters"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("delegation_members.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    consulate: Mapped[str] = mapped_column(String(300))
    passport_number: Mapped[str | None] = mapped_column(EncryptedText)
    date_of_birth: Mapped[str | None] = mapped_column(EncryptedText)
    place_of_birth: Mapped[str | None] = mapped_column(EncryptedText)
    passport_expires_on: Mapped[date | None] = mapped_column(Date)
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    registry_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Official(Base):
    """An official of the city, known by the identity provider's subject; older records name them by one of
    their names (decision 0130)."""

    __tablename__ = "officials"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the identity provider's subject
    display_name: Mapped[str] = mapped_column(String(200))
    offices: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)  # other spellings records use for them
    name_keys: Mapped[str] = mapped_column(Text, index=True)  # "|ivan sergeev|mayor of sofia|": names matched
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class TripAbsence(HeardMarking, Base):
    """Visits' read model of a trip abroad, from trips' events: who of the officials travels, and when
    (decision 0131). Only the newest version of a trip is kept, with its marking: a withheld trip's time is
    kept, its title shown only to whoever may know of it (decision 0190)."""

    __tablename__ = "trip_absences"

    trip_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    officials: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{"official_id": ..., "name": ...}]
    officials_index: Mapped[str] = mapped_column(Text, default="||")  # "|id:sub|ivan sergeev|"
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
