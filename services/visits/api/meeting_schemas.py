"""Request and response bodies of meetings and official functions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.schemas import NO_NUL, CountryCode, LongText, Name, PageQuery, PartnerId, Text
from services.visits.domain.meetings import AccreditationStatus, FunctionKind, FunctionStatus, MeetingStatus, Rsvp

MinutesText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000,
                                              pattern=NO_NUL)]
TIMES = "Wall-clock time at the venue, read in `time_zone`, or a time with an explicit offset"


class MeetingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "The Mayor receives the Ambassador of Japan", "official": "Mayor of Sofia",
        "guests": ["H.E. Kenji Sato, Ambassador of Japan"], "country": "JP", "starts_at": "2027-03-15T11:00:00",
        "ends_at": "2027-03-15T11:45:00", "time_zone": "Europe/Sofia", "venue": "Sofia City Hall, Mayor's office",
        "briefing_notes": "Second meeting this year; the Embassy supports the Sofia–Osaka school exchange.",
        "talking_points": ["Thank the Embassy for the cherry trees in South Park", "Propose a tech forum in 2028"]}]})

    title: Text
    official: Name = Field(description="The mayor or the official who meets the guests")
    guests: list[Name] = Field(min_length=1, max_length=50)
    country: CountryCode = Field(description="The guests' country")
    partner_id: PartnerId | None = None
    visit_id: str | None = Field(None, max_length=36)
    agenda_item_id: str | None = Field(None, max_length=36)
    starts_at: datetime = Field(description=TIMES)
    ends_at: datetime = Field(description=TIMES)
    time_zone: Name
    venue: Text | None = Field(None, description="Where; no two engagements take a venue at once")
    briefing_notes: LongText | None = None
    talking_points: list[Text] = Field(default_factory=list, max_length=50)


class MeetingUpdate(BaseModel):
    """The fields sent change. Moving a meeting (times, zone, official, venue) is for a planned one only and is
    clash-checked again; times are read in the meeting's zone, or the new one sent."""

    model_config = ConfigDict(extra="forbid")

    title: Text = None
    official: Name = None
    guests: list[Name] = Field(None, min_length=1, max_length=50)
    starts_at: datetime = Field(None, description=TIMES)
    ends_at: datetime = Field(None, description=TIMES)
    time_zone: Name = None
    venue: Text | None = None
    briefing_notes: LongText | None = None
    talking_points: list[Text] = Field(None, max_length=50)


class HoldRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: LongText = Field(description="What was agreed")


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    official: str
    guests: list[str]
    country: str
    partner_id: str | None
    visit_id: str | None
    agenda_item_id: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str | None
    briefing_notes: str | None
    talking_points: list[str]
    outcome: str | None
    status: MeetingStatus
    version: int


class MeetingPath(BaseModel):
    meeting_id: str = Field(max_length=36)


class MeetingQuery(PageQuery):
    official: Name | None = None
    status: MeetingStatus | None = None
    country: CountryCode | None = None
    visit_id: str | None = Field(None, max_length=36)
    on_or_after: date | None = None
    before: date | None = None


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Send the tech forum concept to the Embassy", "responsible_body": "Directorate of International "
        "Relations", "due_on": "2027-04-15"}]})

    title: Text
    responsible_body: Name
    due_on: date


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    meeting_id: str
    title: str
    responsible_body: str
    due_on: date
    done_at: datetime | None
    version: int


class FollowUpPath(BaseModel):
    meeting_id: str = Field(max_length=36)
    follow_up_id: str = Field(max_length=36)


class MinutesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: MinutesText = Field(description="The whole minutes; each save is a new revision")
    note: Text | None = Field(None, description="What this revision changed")


class MinutesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    text: str
    note: str | None
    author: str
    created_at: datetime


class MinutesHistory(BaseModel):
    items: list[MinutesOut]


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
    time_zone: Name
    venue: Text
    officials: list[Name] = Field(default_factory=list, max_length=50,
                                  description="The city's officials taking part; none may be in two places at once")
    press_open: bool = Field(False, description="Whether the press may be accredited")


class FunctionUpdate(BaseModel):
    """The fields sent change (times are read in the function's zone, or the new one sent), the others stay."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "starts_at": "2027-11-20T11:00:00", "ends_at": "2027-11-20T18:00:00", "venue": "Sofia City Hall, Hall 1"}]})

    title: Text = None
    starts_at: datetime = Field(None, description=TIMES)
    ends_at: datetime = Field(None, description=TIMES)
    time_zone: Name = None
    venue: Text = None
    officials: list[Name] = Field(None, max_length=50)
    press_open: bool = None


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


class FunctionPath(BaseModel):
    function_id: str = Field(max_length=36)


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

    rsvp: Rsvp


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


class InviteePath(BaseModel):
    function_id: str = Field(max_length=36)
    invitee_id: str = Field(max_length=36)


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


class AccreditationPath(BaseModel):
    function_id: str = Field(max_length=36)
    accreditation_id: str = Field(max_length=36)


class ParticipantsOut(BaseModel):
    invitees: list[InviteeOut]
    accreditations: list[AccreditationOut]
    rsvp_counts: dict[str, int]
