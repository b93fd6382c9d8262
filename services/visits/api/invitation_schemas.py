"""Request and response bodies of the mayor's invitation inbox."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.visits.api.fields import TIMES, CountryCode, LongText, Name, PartnerId, Text
from services.visits.domain.invitation import InvitationStatus, Location, Outcome
from services.visits.domain.meetings import FunctionKind
from shared.http.fields import TimeZoneName
from shared.http.resources import PageQuery
from shared.http.views import id_path

INVITATION_EXAMPLE = {
    "title": "Summit of European Capitals on Urban Mobility", "inviting_party": "Mayor of Vienna",
    "country": "AT", "city": "Vienna", "location": "abroad", "starts_on": "2027-06-14", "ends_on": "2027-06-15",
    "received_on": "2027-04-02", "summary": "The Mayor is invited to speak on the first day's panel.",
    "partner_id": "2a4c6e8b-0d1f-4a3c-8e5b-7d9f1a3c5e70"}


class AssigneeKind(StrEnum):
    DEPARTMENT = "department"
    OFFICIAL = "official"


class Language(StrEnum):
    EN = "en"
    RU = "ru"
    BG = "bg"


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [INVITATION_EXAMPLE]})

    title: Text
    inviting_party: Text
    country: CountryCode = Field(description="Where the event takes place, ISO 3166-1 alpha-2")
    city: Name
    location: Location = Field(description="in_city (accepted, it becomes a visit or an official function) or "
                                           "abroad (trips drafts a trip)")
    starts_on: date
    ends_on: date
    received_on: date
    summary: LongText | None = None
    partner_id: PartnerId | None = None


class InvitationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text = None
    inviting_party: Text = None
    country: CountryCode = None
    city: Name = None
    location: Location = None
    starts_on: date = None
    ends_on: date = None
    summary: LongText | None = None
    partner_id: PartnerId | None = None


class BecameOut(BaseModel):
    kind: Outcome = Field(description="What the accepted invitation became: a visit or an official function in "
                                      "the city, or a trip abroad (drafted by trips, which owns its id)")
    id: str | None
    href: str | None = Field(description="Where to read it in this service")


class InvitationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        **INVITATION_EXAMPLE, "id": "b7d9f1a3-5c7e-4b9d-8f1a-3c5e7b9d1f30", "source": "city-docs",
        "source_document_id": "SO-2027-04-0117", "status": "assigned", "assignee": "Deputy Mayor for Transport",
        "assignee_kind": "official", "deadline": "2027-04-20", "attending_official": None, "answer_note": None,
        "reply_language": None, "visit_id": None, "function_id": None, "became": None, "overdue": False,
        "version": 3,
        "created_by": "worker:visits", "created_at": "2027-04-02T08:15:00Z"}]})

    id: str
    title: str
    inviting_party: str
    country: str
    city: str
    location: Location
    starts_on: date
    ends_on: date
    received_on: date
    summary: str | None
    partner_id: str | None
    source: str = Field(description="api, or city-docs when it came from the city's document system")
    source_document_id: str | None
    status: InvitationStatus
    assignee: str | None
    assignee_kind: AssigneeKind | None
    deadline: date | None
    attending_official: str | None
    answer_note: str | None
    reply_language: Language | None
    visit_id: str | None = Field(description="The visit an accepted in-city invitation became")
    function_id: str | None = Field(description="The official function an accepted in-city invitation became")
    became: BecameOut | None = Field(description="What the accepted invitation became, with its link")
    overdue: bool
    version: int
    created_by: str
    created_at: datetime


InvitationPath = id_path("InvitationPath", "invitation_id")


class InvitationQuery(PageQuery):
    status: InvitationStatus | None = None
    country: CountryCode | None = None
    location: Location | None = None
    assignee: Name | None = None
    overdue: bool | None = Field(None, description="true: open invitations past their deadline")
    starts_from: date | None = None
    starts_until: date | None = None


class NoBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "assignee": "Deputy Mayor for Transport", "assignee_kind": "official", "deadline": "2027-04-20"}]})

    assignee: Name
    assignee_kind: AssigneeKind
    deadline: date = Field(description="When the answer is due; from the next day the invitation is overdue")


class DelegateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    official: Name = Field(description="The official the mayor delegates the invitation to")
    note: LongText | None = None


class FunctionFromInvitation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FunctionKind
    starts_at: datetime = Field(description=TIMES + "; on one of the invitation's days")
    ends_at: datetime = Field(description=TIMES)
    time_zone: TimeZoneName
    venue: Text
    press_open: bool = False


class AcceptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "official": "Mayor of Sofia", "becomes": "function", "function": {
            "kind": "symposium", "starts_at": "2027-05-20T10:00:00", "ends_at": "2027-05-20T13:00:00",
            "time_zone": "Europe/Sofia", "venue": "Sofia Tech Park, Hall A", "press_open": True}}]})

    official: Name | None = Field(None, description="Who attends; default the official it is assigned to")
    note: LongText | None = None
    becomes: Outcome | None = Field(None, description="In the city: visit (the default) or function; an "
                                                      "invitation abroad always becomes a trip")
    function: FunctionFromInvitation | None = Field(None, description="When it becomes a function: when, where, "
                                                                      "what kind (its title is the invitation's)")


class DeclineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "reason": "the Mayor chairs the City Council's budget session on those days", "language": "en"}]})

    reason: LongText = Field(description="Written into the reply letter")
    language: Language = Field(description="The reply letter's language")
