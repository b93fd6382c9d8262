"""Missions, organisations and memberships, offices abroad and their reports, compatriot programmes,
friendship societies and NGOs, export promotion: compact resources declared for `registry.register`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict, Field, create_model

from services.outreach.api.common import CONTACT_DETAILS
from services.outreach.api.fields import CountryCode, Currency, LongText, Money, Name, RecordId, Text, Url
from services.outreach.api.partner_schemas import ContactCreate
from services.outreach.api.registry import Lifecycle, Resource, register
from services.outreach.domain.relations import (
    HOLDERS,
    OFFICE_REPORT_EVENT_ACTION,
    OFFICE_REPORT_TRANSITIONS,
    ExportEventKind,
    MissionKind,
    OrganisationKind,
    ReportStatus,
    SocietyKind,
    amounts_paired,
    dates_in_order,
    one_holder,
)
from services.outreach.store.models import (
    CompatriotProgramme,
    Enterprise,
    ExportEvent,
    Membership,
    Mission,
    Office,
    OfficeReport,
    OfficeStaffMember,
    Organisation,
    OrganisationContact,
    Partner,
    ProgrammeParticipant,
    Society,
)
from shared.http.problems import problem_responses
from shared.http.resources import PageQuery

relations_api = APIBlueprint("relations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="relations", description="Missions, organisations, offices "
                                                                         "abroad, compatriots, societies, export "
                                                                         "promotion")])
MASKED_CONTACT_FIELDS = ("email", "phone")
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
    fields.update({name: (str | None, ...) for name in MASKED_CONTACT_FIELDS if name in fields})
    return create_model(model.__name__.replace("Create", "Out"), **RECORD_FIELDS, **fields, **extra)


def query(name: str, **filters: Any) -> type[PageQuery]:
    return create_model(name, __base__=PageQuery, **{key: (kind | None, None) for key, kind in filters.items()})


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


# --- record-level checks ---

def check_membership(record) -> tuple[str, str] | None:
    return dates_in_order(record.member_since, record.member_until, "member_until") or amounts_paired(
        record.annual_dues_amount, record.dues_currency, "dues_currency")


def check_office(record) -> tuple[str, str] | None:
    return dates_in_order(record.opened_on, record.closed_on, "closed_on")


def check_report(record) -> tuple[str, str] | None:
    return dates_in_order(record.period_from, record.period_until, "period_until")


def check_programme(record) -> tuple[str, str] | None:
    return amounts_paired(record.budget_amount, record.budget_currency, "budget_currency")


def check_contact(record) -> tuple[str, str] | None:
    return one_holder({name: getattr(record, name) for name in HOLDERS})


def check_staff_member(record) -> tuple[str, str] | None:
    return dates_in_order(record.employed_from, record.employed_until, "employed_until")


def check_export_event(record) -> tuple[str, str] | None:
    for position, participant in enumerate(record.participants):
        problem = amounts_paired(participant.get("deals_value_amount"), participant.get("deals_value_currency"),
                                 f"participants.{position}.deals_value_currency")
        if problem:
            return problem
    return dates_in_order(record.starts_on, record.ends_on, "ends_on")


def resource(record, label, path, model, create, *, event_fields, sortable, default_order, filters, search=None,
             references=None, check=None, lifecycle=None, initial_status=None, out_extra=None,
             **person) -> Resource:
    required = tuple(name for name, info in create.model_fields.items() if info.is_required()
                     or isinstance(info.default, (list, int)) or info.default_factory is not None)
    return Resource(record=record, label=label, path=path, model=model, create=create, update=partial(create),
                    out=output(create, **(out_extra or {})), query=query(f"{model.__name__}Query", **filters),
                    event_fields=event_fields, sortable=sortable, default_order=default_order, required=required,
                    search=search, references=references or {}, check=check, lifecycle=lifecycle,
                    initial_status=initial_status, **person)


TEXT_SEARCH = {"q": Text}
# a person's name and how to reach them stay in outreach; their e-mail and phone are masked and encrypted
PERSON = {"personal": CONTACT_DETAILS, "private": ("name",), "removable": True, "created_action": "added"}
RESOURCES = [
    resource("mission", "foreign mission", "missions", Mission, MissionCreate,
             event_fields=("id", "kind", "name", "sending_country", "city", "version"),
             sortable=("name", "sending_country", "kind", "created_at"), default_order=("name",),
             filters={"kind": MissionKind, "sending_country": CountryCode, **TEXT_SEARCH}, search="name"),
    resource("organisation", "international organisation", "organisations", Organisation, OrganisationCreate,
             event_fields=("id", "kind", "name", "acronym", "version"), sortable=("name", "kind", "created_at"),
             default_order=("name",), filters={"kind": OrganisationKind, **TEXT_SEARCH}, search="name"),
    resource("membership", "membership", "memberships", Membership, MembershipCreate,
             event_fields=("id", "organisation_id", "member_since", "member_until", "annual_dues_amount",
                           "dues_currency", "version"),
             sortable=("member_since", "created_at"), default_order=("member_since",),
             filters={"organisation_id": RecordId}, references={"organisation_id": Organisation},
             check=check_membership),
    resource("office", "representative office", "offices", Office, OfficeCreate,
             event_fields=("id", "name", "country", "city", "opened_on", "closed_on", "staff_count", "version"),
             sortable=("name", "country", "opened_on"), default_order=("name",),
             filters={"country": CountryCode, **TEXT_SEARCH}, search="name", check=check_office),
    resource("office-report", "office report", "office-reports", OfficeReport, OfficeReportCreate,
             event_fields=("id", "office_id", "period_from", "period_until", "status", "version"),
             sortable=("period_from", "status", "created_at"), default_order=("period_from",),
             filters={"office_id": RecordId, "status": ReportStatus}, references={"office_id": Office},
             check=check_report, initial_status=ReportStatus.SUBMITTED.value,
             lifecycle=Lifecycle(OFFICE_REPORT_TRANSITIONS, OFFICE_REPORT_EVENT_ACTION, frozenset({"return"})),
             out_extra={"status": (ReportStatus, ...), "status_reason": (str | None, ...),
                        "allowed_actions": (list[str], ...)}),
    resource("compatriot-programme", "compatriot programme", "compatriot-programmes", CompatriotProgramme,
             ProgrammeCreate,
             event_fields=("id", "title", "year", "budget_amount", "budget_currency", "participants_count",
                           "version"),
             sortable=("year", "title", "created_at"), default_order=("year",),
             filters={"year": int, **TEXT_SEARCH}, search="title", check=check_programme),
    resource("society", "friendship society or NGO", "societies", Society, SocietyCreate,
             event_fields=("id", "kind", "name", "country", "partner_id", "version"),
             sortable=("name", "country", "kind"), default_order=("name",),
             filters={"kind": SocietyKind, "country": CountryCode, "partner_id": RecordId, **TEXT_SEARCH},
             search="name", references={"partner_id": Partner}),
    resource("organisation-contact", "contact of a society, office or mission", "organisation-contacts",
             OrganisationContact, OrganisationContactCreate,
             event_fields=("id", "society_id", "office_id", "mission_id", "position", "version"),
             sortable=("name", "position", "created_at"), default_order=("name",),
             filters={"society_id": RecordId, "office_id": RecordId, "mission_id": RecordId, **TEXT_SEARCH},
             search="name", references={"society_id": Society, "office_id": Office, "mission_id": Mission},
             check=check_contact, **PERSON),
    resource("office-staff-member", "office staff member", "office-staff", OfficeStaffMember, StaffMemberCreate,
             event_fields=("id", "office_id", "position", "employed_from", "employed_until", "version"),
             sortable=("name", "position", "employed_from"), default_order=("employed_from",),
             filters={"office_id": RecordId, "position": Name, **TEXT_SEARCH}, search="name",
             references={"office_id": Office}, check=check_staff_member, **PERSON),
    resource("compatriot-participant", "programme participant", "compatriot-participants", ProgrammeParticipant,
             ParticipantCreate, event_fields=("id", "programme_id", "country", "joined_on", "version"),
             sortable=("name", "country", "joined_on"), default_order=("name",),
             filters={"programme_id": RecordId, "country": CountryCode, **TEXT_SEARCH}, search="name",
             references={"programme_id": CompatriotProgramme}, **PERSON),
    resource("enterprise", "exporting enterprise", "enterprises", Enterprise, EnterpriseCreate,
             event_fields=("id", "name", "sector", "version"), sortable=("name", "sector"), default_order=("name",),
             filters={"sector": Name, **TEXT_SEARCH}, search="name"),
    resource("export-event", "export event", "export-events", ExportEvent, ExportEventCreate,
             event_fields=("id", "kind", "title", "country", "starts_on", "ends_on", "version"),
             sortable=("starts_on", "title", "country"), default_order=("starts_on",),
             filters={"kind": ExportEventKind, "country": CountryCode, **TEXT_SEARCH}, search="title",
             check=check_export_event),
]
for _resource in RESOURCES:
    register(relations_api, _resource)
