"""Request and response bodies of official functions, their invitees and press accreditation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.visits.api.fields import OFFICIAL_IDS, TIMES, CountryCode, LongText, Name, PartnerId, Subject, Text
from services.visits.domain.meetings import AccreditationStatus, FunctionKind, FunctionStatus, Rsvp
from shared.http.fields import TimeZoneName
from shared.http.records import OVERRIDE_REASON, Given
from shared.http.resources import PageQuery
from shared.http.views import id_path


class FunctionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "coordinating_meeting", "title": "Annual coordinating meeting of twin cities",
        "starts_at": "2027-11-20T10:00:00", "ends_at": "2027-11-20T17:00:00", "time_zone": "Europe/Sofia",
        "venue": "Sofia City Hall, Ceremonial Hall", "officials": ["Mayor of Sofia"], "press_open": True,
        "partner_id": "6f9b1c2e-8a4d-4c1b-9e3f-2a7d5c8b1e40"}]})

    kind: FunctionKind
    title: Text
    visit_id: str | None = Field(None, max_length=36)
    agenda_item_id: str | None = Field(None, max_length=36, description="The visit's agenda item it is held as")
    partner_id: PartnerId | None = Field(None, description="The partner city or authority (an outreach partner "
                                                           "id); default: the visit's")
    starts_at: datetime = Field(description=TIMES)
    ends_at: datetime = Field(description=TIMES)
    time_zone: TimeZoneName
    venue: Text
    officials: list[Name] = Field(default_factory=list, max_length=50,
                                  description="The city's officials taking part; none may be in two places at once")
    official_ids: list[Subject] = Field(default_factory=list, max_length=50, description=OFFICIAL_IDS)
    press_open: bool = Field(False, description="Whether the press may be accredited")
    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class FunctionUpdate(BaseModel):
    """The fields sent change (times are read in the function's zone, or the new one sent), the others stay."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "starts_at": "2027-11-20T11:00:00", "ends_at": "2027-11-20T18:00:00", "venue": "Sofia City Hall, Hall 1"}]})

    title: Text = None
    starts_at: datetime = Field(None, description=TIMES)
    ends_at: datetime = Field(None, description=TIMES)
    time_zone: TimeZoneName = None
    venue: Text = None
    officials: list[Name] = Field(None, max_length=50, description="Sent with or without `official_ids`, the "
                                                                   "officials become those the two name together")
    official_ids: list[Subject] = Field(None, max_length=50, description=OFFICIAL_IDS)
    press_open: bool = None
    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class CancelFunction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: LongText = Field(description="Why; told to everyone concerned")


class FunctionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: FunctionKind
    title: str
    visit_id: str | None
    agenda_item_id: str | None
    partner_id: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    officials: list[str]
    press_open: bool
    status: FunctionStatus
    status_reason: str | None
    version: int


FunctionPath = id_path("FunctionPath", "function_id")


class FunctionQuery(PageQuery):
    kind: FunctionKind | None = None
    status: FunctionStatus | None = None
    partner_id: PartnerId | None = None
    visit_id: str | None = Field(None, max_length=36)
    official: Name | None = Field(None, description="Functions this official takes part in")
    on_or_after: date | None = None
    before: date | None = None


class InviteeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    organisation: Text | None = None
    country: CountryCode | None = None


class RsvpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rsvp: Literal[Rsvp.ACCEPTED, Rsvp.DECLINED, Rsvp.TENTATIVE] = Field(
        description="The answer; an invitee is `pending` until they give one")


class InviteeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    function_id: str
    name: str
    organisation: str | None
    country: str | None
    rsvp: Rsvp
    responded_at: datetime | None
    version: int


InviteePath = id_path("InviteePath", "function_id", "invitee_id")


class AccreditationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    journalist: Name
    outlet: Text
    country: CountryCode


class AccreditationDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: LongText | None = Field(None, description="Required to reject")


class AccreditationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    function_id: str
    journalist: str
    outlet: str
    country: str
    status: AccreditationStatus
    reason: str | None
    decided_by: str | None
    version: int


AccreditationPath = id_path("AccreditationPath", "function_id", "accreditation_id")


class ParticipantsOut(BaseModel):
    invitees: list[InviteeOut]
    accreditations: list[AccreditationOut]
    rsvp_counts: dict[str, int]
