"""The outreach database: partners, their timeline, the annual plan, and the plumbing tables every service keeps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import AutoIncrementId, PlumbingTables, UTCDateTime, Versioned, list_index, utcnow
from shared.kit.ids import new_id
from shared.pii import EncryptedText


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


def found_by_trigrams(table: str, name: str) -> Index:
    """On PostgreSQL, a trigram index that finds a register's `q` anywhere in the column `name`, as `searched` asks
    (`lower(name) LIKE '%…%'`, decisions 0210, 0215); SQLite's search reads the register."""
    return Index(f"ix_{table}_{name}_trigrams", func.lower(column(name)).label("folded"),
                 postgresql_using="gin", postgresql_ops={"folded": "gin_trgm_ops"}).ddl_if(dialect="postgresql")


class ContactDetails:
    """How to reach a person. E-mail and phone are personal data, encrypted at rest (docs/decisions/0005), so
    every path that writes them (the API, the worker's consumers) stores only Fernet tokens."""

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class Partner(Versioned, Base):
    __tablename__ = "partners"
    # Each filter followed by the list's order, and on PostgreSQL a trigram index that finds `q` anywhere in the
    # names (decisions 0170, 0210): a page is read from an index, whatever the number of partners.
    __table_args__ = (UniqueConstraint("registry_id", name="uq_partners_registry_id"),
                      *(Index(f"ix_partners_{name}_name", name, "name", "id") for name in ("kind", "country")),
                      Index("ix_partners_created_at_id", "created_at", "id"),
                      Index("ix_partners_search_text_trigrams", "search_text", postgresql_using="gin",
                            postgresql_ops={"search_text": "gin_trgm_ops"}).ddl_if(dialect="postgresql"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), index=True)
    names: Mapped[list[dict]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    # Set when the city's registry sent the partner (docs/decisions/0046): its id there, and the time of the
    # registry's change applied last.
    registry_id: Mapped[str | None] = mapped_column(String(100))
    registry_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PartnerRelationship(Versioned, Base):
    __tablename__ = "partner_relationships"
    __table_args__ = (UniqueConstraint("agreement_id", name="uq_partner_relationships_agreement_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    type: Mapped[str] = mapped_column(String(30), index=True)
    established_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(Text)
    # The twinning agreement (contracts) that established it, when one did (decision 0135).
    agreement_id: Mapped[str | None] = mapped_column(String(36))


class PartnerContact(ContactDetails, Versioned, Base):
    __tablename__ = "partner_contacts"
    __table_args__ = (UniqueConstraint("registry_id", name="uq_partner_contacts_registry_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    registry_id: Mapped[str | None] = mapped_column(String(100))
    registry_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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


class PlanItem(Versioned, Base):
    __tablename__ = "plan_items"
    __table_args__ = (UniqueConstraint("source", "source_id", "source_item_id", name="uq_plan_items_source"),
                      *(list_index("plan_items", field, "due_on")
                        for field in ("starts_on", "progress", "activity", "created_at")))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(Integer, index=True)
    activity: Mapped[str] = mapped_column(String(300))
    responsible_body: Mapped[str] = mapped_column(String(200), index=True)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(20), index=True)
    source_id: Mapped[str | None] = mapped_column(String(36))
    source_item_id: Mapped[str | None] = mapped_column(String(100))
    source_link: Mapped[str | None] = mapped_column(String(300))  # the source's path in its service's API
    status: Mapped[str] = mapped_column(String(20), index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by_source: Mapped[bool] = mapped_column(Boolean, default=False)


class PlanSource(Base):
    """The last event applied for each record that feeds the plan, so an older one arriving late changes nothing."""

    __tablename__ = "plan_sources"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_event_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_event_type: Mapped[str] = mapped_column(String(200))


class PlanVersion(Versioned, Base):
    """A frozen copy of a year's plan, submitted to and decided by the mayor's office."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_plan_versions_year_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    items: Mapped[list[dict]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)


class Campaign(Versioned, Base):
    __tablename__ = "campaigns"
    __table_args__ = tuple(list_index("campaigns", field, "-starts_on") for field in ("title", "ends_on", "created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    goals: Mapped[str] = mapped_column(Text)
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)


class Material(Versioned, Base):
    """A press release or a printed or audio-visual material, its text in English, Russian and Bulgarian."""

    __tablename__ = "materials"
    __table_args__ = (list_index("materials", "created_at"), list_index("materials", "published_at", "-created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    published_by: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MediaContact(ContactDetails, Versioned, Base):
    """A journalist or an outlet's desk; their name, e-mail and phone are personal data and stay here."""

    __tablename__ = "media_contacts"
    __table_args__ = tuple(list_index("media_contacts", field, "outlet", "name") for field in ("name", "created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    outlet: Mapped[str] = mapped_column(String(200), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)


class Accreditation(Versioned, Base):
    __tablename__ = "accreditations"
    __table_args__ = (list_index("accreditations", "valid_from"),
                      *(list_index("accreditations", field, "valid_from") for field in ("valid_until", "event_name")))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    media_contact_id: Mapped[str] = mapped_column(ForeignKey("media_contacts.id"), index=True)
    event_name: Mapped[str] = mapped_column(String(300))
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)


class Survey(Versioned, Base):
    __tablename__ = "surveys"
    __table_args__ = tuple(list_index("surveys", field, "-fieldwork_from") for field in ("title", "created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str | None] = mapped_column(Text)
    commissioned_from: Mapped[str] = mapped_column(String(200))
    fieldwork_from: Mapped[date] = mapped_column(Date, index=True)
    fieldwork_until: Mapped[date] = mapped_column(Date)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "code", name="uq_survey_questions_code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    scale_min: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)


class SurveyResponse(Base):
    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "respondent_id", name="uq_survey_responses_respondent"),)

    id: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"), index=True)
    respondent_id: Mapped[str] = mapped_column(String(100))
    answers: Mapped[dict] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- compact resources: missions, organisations, offices abroad, compatriots, societies, export promotion ---

class Mission(Versioned, Base):
    """A foreign diplomatic or trade mission in the country."""

    __tablename__ = "missions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(300))
    sending_country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class Organisation(Versioned, Base):
    """An international organisation, network or initiative of cities and regions."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(50))
    scope: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))


class Membership(Versioned, Base):
    __tablename__ = "memberships"
    __table_args__ = (list_index("memberships", "member_since"),
                      list_index("memberships", "created_at", "member_since"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    member_since: Mapped[date] = mapped_column(Date)
    member_until: Mapped[date | None] = mapped_column(Date)
    annual_dues_amount: Mapped[str | None] = mapped_column(String(24))
    dues_currency: Mapped[str | None] = mapped_column(String(3))
    events: Mapped[list[dict]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)


class Office(Versioned, Base):
    """A representative office of the city abroad."""

    __tablename__ = "offices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    staff_count: Mapped[int] = mapped_column(Integer, default=0)
    website: Mapped[str | None] = mapped_column(String(300))


class OfficeReport(Versioned, Base):
    """An office's periodic activity report: submitted, then accepted or returned for rework."""

    __tablename__ = "office_reports"
    __table_args__ = (list_index("office_reports", "period_from"),
                      list_index("office_reports", "created_at", "period_from"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    period_from: Mapped[date] = mapped_column(Date)
    period_until: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)


class CompatriotProgramme(Versioned, Base):
    __tablename__ = "compatriot_programmes"
    __table_args__ = tuple(list_index("compatriot_programmes", field, "year") for field in ("title", "created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    budget_amount: Mapped[str | None] = mapped_column(String(24))
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    partner_organisations: Mapped[list[str]] = mapped_column(JSON, default=list)
    events: Mapped[list[dict]] = mapped_column(JSON, default=list)
    participants_count: Mapped[int] = mapped_column(Integer, default=0)


class Society(Versioned, Base):
    """A friendship society or an NGO with an international focus."""

    __tablename__ = "societies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    joint_events: Mapped[list[dict]] = mapped_column(JSON, default=list)


class OrganisationContact(ContactDetails, Versioned, Base):
    """A contact person of a friendship society or NGO, a representative office abroad, or a foreign mission or
    the foreign ministry (exactly one)."""

    __tablename__ = "organisation_contacts"
    __table_args__ = (list_index("organisation_contacts", "name"),
                      *(list_index("organisation_contacts", field, "name") for field in ("position", "created_at")),
                      found_by_trigrams("organisation_contacts", "name"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    society_id: Mapped[str | None] = mapped_column(ForeignKey("societies.id"), index=True)
    office_id: Mapped[str | None] = mapped_column(ForeignKey("offices.id"), index=True)
    mission_id: Mapped[str | None] = mapped_column(ForeignKey("missions.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))


class OfficeStaffMember(ContactDetails, Versioned, Base):
    """One entry of the register of an office abroad's staff: who holds which post, from when until when."""

    __tablename__ = "office_staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    position: Mapped[str] = mapped_column(String(200))
    employed_from: Mapped[date] = mapped_column(Date, index=True)
    employed_until: Mapped[date | None] = mapped_column(Date)


class ProgrammeParticipant(ContactDetails, Versioned, Base):
    """A compatriot (or their organisation's delegate) taking part in a compatriot programme."""

    __tablename__ = "programme_participants"
    __table_args__ = (list_index("programme_participants", "name"),
                      list_index("programme_participants", "joined_on", "name"),
                      found_by_trigrams("programme_participants", "name"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("compatriot_programmes.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(300))
    joined_on: Mapped[date] = mapped_column(Date)


class Enterprise(Versioned, Base):
    """A city enterprise the office helps to export."""

    __tablename__ = "enterprises"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(200), index=True)
    website: Mapped[str | None] = mapped_column(String(300))


class ExportEvent(Versioned, Base):
    """A trade fair, trade mission or business forum, with the enterprises taking part and their outcomes."""

    __tablename__ = "export_events"
    __table_args__ = (list_index("export_events", "title", "starts_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[list[dict]] = mapped_column(JSON, default=list)


# --- analytics: the events they are folded from, and the folded facts ---

class AnalyticsEvent(Base):
    """Every event the analytics fold, kept so that the read model can be rebuilt from scratch."""

    __tablename__ = "analytics_events"

    position: Mapped[int] = mapped_column(AutoIncrementId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    data: Mapped[dict] = mapped_column(JSON)


class AnalyticsFact(Base):
    """The latest state of one visit, trip, contract or plan item, as its newest event stated it."""

    __tablename__ = "analytics_facts"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(30))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    amount: Mapped[str | None] = mapped_column(String(24))
    currency: Mapped[str | None] = mapped_column(String(3))
    responsible_body: Mapped[str | None] = mapped_column(String(200))
    partner_id: Mapped[str | None] = mapped_column(String(36))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime())
    as_of_position: Mapped[int] = mapped_column(BigInteger)
