"""Request and response bodies of the registers (`api/registers.py`): each register's create body, and the
change body, answer, query and path built from it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from services.outreach.api.common import CONTACT_DETAILS
from services.outreach.api.partner_schemas import ContactCreate
from services.outreach.domain.relations import ExportEventKind, MissionKind, OrganisationKind, ReportStatus, SocietyKind
from services.outreach.events.fields import CountryCode, Currency, LongText, Money, Name, RecordId, Text, Url
from shared.http.resources import PageQuery

RECORD_FIELDS = {"id": (str, ...), "version": (int, ...), "created_by": (str, ...), "created_at": (datetime, ...),
                 "updated_at": (datetime, ...)}


def partial(model: type[BaseModel]) -> type[BaseModel]:
    """The PATCH body of a create body: every field optional, sent fields change."""
    fields = {name: (info.annotation | None, None) for name, info in model.model_fields.items()}
    return create_model(model.__name__.replace("Create", "Update"), __config__=ConfigDict(extra="forbid"), **fields)


def output(model: type[BaseModel], **extra: Any) -> type[BaseModel]:
    fields = {name: (info.annotation | None if not info.is_required() else info.annotation, ...)
              for name, info in model.model_fields.items()}
    # Masked in lists and for the mayor's office (decision 0045): not an address or number then.
    fields.update({name: (str | None, ...) for name in CONTACT_DETAILS if name in fields})
    return create_model(model.__name__.replace("Create", "Out"), **RECORD_FIELDS, **fields, **extra)


def query(name: str, **filters: Any) -> type[PageQuery]:
    return create_model(name, __base__=PageQuery, **{key: (kind | None, None) for key, kind in filters.items()})


def path_model(record: str) -> type[BaseModel]:
    return create_model(f"{record}Path", record_id=(RecordId, Field(description="The record's id")))


class Dated(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text
    held_on: date
    place: Name | None = None


# --- foreign missions ---

class MissionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "embassy", "name": "Embassy of the Republic of Bulgaria", "sending_country": "BG",
        "city": "Capital City", "website": "https://www.mfa.bg"}]})

    kind: MissionKind = Field(description="A foreign mission in the country, or `foreign_ministry` for the "
                                          "country's own foreign ministry and its regional offices")
    name: Text
    sending_country: CountryCode = Field(description="ISO 3166-1 alpha-2 of the state the mission represents")
    city: Name
    address: LongText | None = None
    website: Url | None = None
    notes: LongText | None = None


# --- organisations and memberships ---

class OrganisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "network", "name": "Eurocities", "acronym": None, "scope": "Network of large European cities",
        "website": "https://eurocities.eu"}]})

    kind: OrganisationKind
    name: Text
    acronym: Name | None = None
    scope: LongText | None = None
    website: Url | None = None


class MembershipCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "organisation_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "member_since": "2004-06-01",
        "annual_dues_amount": "15000.00", "dues_currency": "EUR",
        "events": [{"title": "Annual general meeting", "held_on": "2027-11-12", "place": "Vienna"}]}]})

    organisation_id: RecordId
    member_since: date
    member_until: date | None = None
    annual_dues_amount: Money | None = None
    dues_currency: Currency | None = None
    events: list[Dated] = Field(default_factory=list, max_length=200)
    notes: LongText | None = None


# --- offices abroad and their reports ---

class OfficeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "City representative office in Sofia", "country": "BG", "city": "Sofia",
        "opened_on": "2012-03-01", "staff_count": 3}]})

    name: Text
    country: CountryCode
    city: Name
    opened_on: date
    closed_on: date | None = None
    staff_count: int = Field(0, ge=0, le=10_000)
    website: Url | None = None


class OfficeReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "office_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "period_from": "2027-01-01",
        "period_until": "2027-03-31", "summary": "Twelve meetings with Sofia's departments; two fairs."}]})

    office_id: RecordId
    period_from: date
    period_until: date
    summary: LongText


# --- compatriots, societies ---

class ProgrammeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Summer school for compatriots' children", "year": 2027, "budget_amount": "40000.00",
        "budget_currency": "EUR", "partner_organisations": ["Cultural centre in Varna"], "participants_count": 60,
        "events": [{"title": "Opening", "held_on": "2027-07-01", "place": "City hall"}]}]})

    title: Text
    year: int = Field(ge=2000, le=2100)
    description: LongText | None = None
    budget_amount: Money | None = None
    budget_currency: Currency | None = None
    partner_organisations: list[Name] = Field(default_factory=list, max_length=100)
    events: list[Dated] = Field(default_factory=list, max_length=200)
    participants_count: int = Field(0, ge=0, le=10_000_000)


class SocietyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "friendship_society", "name": "Friends of Sofia", "country": "BG",
        "joint_events": [{"title": "Bulgarian culture evening", "held_on": "2027-03-03", "place": "Library"}]}]})

    kind: SocietyKind
    name: Text
    country: CountryCode | None = Field(None, description="The country the society is devoted to")
    partner_id: RecordId | None = None
    website: Url | None = None
    joint_events: list[Dated] = Field(default_factory=list, max_length=200)


# --- people: contacts of societies, NGOs and offices, an office's staff, compatriots in a programme ---
# Each has a partner contact's shape; e-mail and phone are personal data (docs/decisions/0045).

class OrganisationContactCreate(ContactCreate):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "society_id": "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a", "name": "Elena Ivanova", "position": "Chair",
        "email": "chair@friends-of-sofia.example", "phone": "+359 88 000 0001", "languages": ["bg", "ru"]}]})

    society_id: RecordId | None = Field(None, description="The friendship society or NGO")
    office_id: RecordId | None = Field(None, description="The representative office abroad")
    mission_id: RecordId | None = Field(None, description="The foreign mission, or the foreign ministry (a mission "
                                                          "of kind `foreign_ministry`)")


class StaffMemberCreate(ContactCreate):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "office_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "name": "Petar Dimitrov", "position": "Head of office",
        "employed_from": "2024-02-01", "email": "p.dimitrov@office.example", "phone": "+359 2 000 0002",
        "languages": ["bg", "en"]}]})

    office_id: RecordId
    position: Name
    employed_from: date
    employed_until: date | None = Field(None, description="Set when they leave the office")


class ParticipantCreate(ContactCreate):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "programme_id": "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a", "name": "Olga Smirnova", "position": "Teacher",
        "country": "MD", "city": "Chisinau", "organisation": "Cultural centre in Chisinau", "joined_on": "2027-07-01",
        "email": "o.smirnova@centre.example", "languages": ["ru", "ro"]}]})

    programme_id: RecordId
    country: CountryCode = Field(description="Where the compatriot lives (ISO 3166-1 alpha-2)")
    city: Name | None = None
    organisation: Name | None = Field(None, description="The compatriots' organisation abroad they come from")
    joined_on: date


# --- export promotion ---

class EnterpriseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "City Tram Works", "sector": "rail vehicles", "website": "https://tram.example"}]})

    name: Text
    sector: Name
    website: Url | None = None


class Participation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise_id: RecordId
    outcome: LongText | None = None
    deals_count: int = Field(0, ge=0, le=100_000)
    deals_value_amount: Money | None = None
    deals_value_currency: Currency | None = None


class ExportEventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "trade_fair", "title": "InnoTrans 2027", "country": "DE", "city": "Berlin",
        "starts_on": "2027-09-21", "ends_on": "2027-09-24",
        "participants": [{"enterprise_id": "3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f", "outcome": "Two letters of intent",
                          "deals_count": 2, "deals_value_amount": "1200000.00", "deals_value_currency": "EUR"}]}]})

    kind: ExportEventKind
    title: Text
    country: CountryCode
    city: Name | None = None
    starts_on: date
    ends_on: date
    participants: list[Participation] = Field(default_factory=list, max_length=500)


# --- each register's change body, answer, query (filters named like columns, `q` on the name) and path ---
SEARCH = {"q": Text}
MissionUpdate, MissionOut, MissionPath = partial(MissionCreate), output(MissionCreate), path_model("Mission")
MissionQuery = query("MissionQuery", kind=MissionKind, sending_country=CountryCode, **SEARCH)
OrganisationUpdate, OrganisationOut = partial(OrganisationCreate), output(OrganisationCreate)
OrganisationPath, OrganisationQuery = path_model("Organisation"), query("OrganisationQuery", kind=OrganisationKind,
                                                                       **SEARCH)
MembershipUpdate, MembershipOut = partial(MembershipCreate), output(MembershipCreate)
MembershipPath, MembershipQuery = path_model("Membership"), query("MembershipQuery", organisation_id=RecordId)
OfficeUpdate, OfficeOut, OfficePath = partial(OfficeCreate), output(OfficeCreate), path_model("Office")
OfficeQuery = query("OfficeQuery", country=CountryCode, **SEARCH)
OfficeReportUpdate, OfficeReportPath = partial(OfficeReportCreate), path_model("OfficeReport")
OfficeReportOut = output(OfficeReportCreate, status=(ReportStatus, ...), status_reason=(str | None, ...),
                         allowed_actions=(list[str], ...))
OfficeReportQuery = query("OfficeReportQuery", office_id=RecordId, status=ReportStatus)
ProgrammeUpdate, ProgrammeOut = partial(ProgrammeCreate), output(ProgrammeCreate)
ProgrammePath, ProgrammeQuery = path_model("CompatriotProgramme"), query("CompatriotProgrammeQuery", year=int,
                                                                         **SEARCH)
SocietyUpdate, SocietyOut, SocietyPath = partial(SocietyCreate), output(SocietyCreate), path_model("Society")
SocietyQuery = query("SocietyQuery", kind=SocietyKind, country=CountryCode, partner_id=RecordId, **SEARCH)
OrganisationContactUpdate = partial(OrganisationContactCreate)
OrganisationContactOut, OrganisationContactPath = output(OrganisationContactCreate), path_model("OrganisationContact")
OrganisationContactQuery = query("OrganisationContactQuery", society_id=RecordId, office_id=RecordId,
                                 mission_id=RecordId, **SEARCH)
StaffMemberUpdate, StaffMemberOut = partial(StaffMemberCreate), output(StaffMemberCreate)
StaffMemberPath, StaffMemberQuery = path_model("OfficeStaffMember"), query("OfficeStaffMemberQuery",
                                                                           office_id=RecordId, position=Name, **SEARCH)
ParticipantUpdate, ParticipantOut = partial(ParticipantCreate), output(ParticipantCreate)
ParticipantPath = path_model("ProgrammeParticipant")
ParticipantQuery = query("ProgrammeParticipantQuery", programme_id=RecordId, country=CountryCode, **SEARCH)
EnterpriseUpdate, EnterpriseOut = partial(EnterpriseCreate), output(EnterpriseCreate)
EnterprisePath, EnterpriseQuery = path_model("Enterprise"), query("EnterpriseQuery", sector=Name, **SEARCH)
ExportEventUpdate, ExportEventOut = partial(ExportEventCreate), output(ExportEventCreate)
ExportEventPath = path_model("ExportEvent")
ExportEventQuery = query("ExportEventQuery", kind=ExportEventKind, country=CountryCode, **SEARCH)
