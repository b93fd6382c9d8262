"""Request and response bodies of meetings with foreign guests, their follow-ups and minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import TIMES, CountryCode, LongText, Name, PartnerId, Subject, Text
from services.visits.domain.meetings import MeetingStatus
from shared.http.fields import TimeZoneName
from shared.http.records import NO_NUL, OVERRIDE_REASON, Given
from shared.http.resources import PageQuery
from shared.http.views import id_path
from shared.http.withholding import MarkingChange, MarkingIn, MarkingOut

MinutesText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000,
                                              pattern=NO_NUL)]


class MeetingCreate(MarkingIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "The Mayor receives the Ambassador of Japan", "official": "Mayor of Sofia",
        "guests": ["H.E. Kenji Sato, Ambassador of Japan"], "country": "JP", "starts_at": "2027-03-15T11:00:00",
        "ends_at": "2027-03-15T11:45:00", "time_zone": "Europe/Sofia", "venue": "Sofia City Hall, Mayor's office",
        "briefing_notes": "Second meeting this year; the Embassy supports the Sofia–Osaka school exchange.",
        "talking_points": ["Thank the Embassy for the cherry trees in South Park", "Propose a tech forum in 2028"]}]})

    title: Text
    official: Name = Field(description="The mayor or the official who meets the guests; with `official_id`, their "
                                       "display name in the register is kept instead")
    official_id: Subject | None = Field(None, description="The official's id in the register (`GET /api/v1/"
                                                          "officials`, decision 0130)")
    guests: list[Name] = Field(min_length=1, max_length=50)
    country: CountryCode = Field(description="The guests' country")
    partner_id: PartnerId | None = None
    visit_id: str | None = Field(None, max_length=36)
    agenda_item_id: str | None = Field(None, max_length=36)
    starts_at: datetime = Field(description=TIMES)
    ends_at: datetime = Field(description=TIMES)
    time_zone: TimeZoneName
    venue: Text | None = Field(None, description="Where; no two engagements take a venue at once")
    briefing_notes: LongText | None = None
    talking_points: list[Text] = Field(default_factory=list, max_length=50)
    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class MeetingUpdate(MarkingChange):
    """The fields sent change. Moving a meeting (times, zone, official, venue) is for a planned one only and is
    clash-checked again; times are read in the meeting's zone, or the new one sent."""

    model_config = ConfigDict(extra="forbid")

    title: Text = None
    official: Name = None
    official_id: Subject = Field(None, description="Another official, by their id in the register")
    guests: list[Name] = Field(None, min_length=1, max_length=50)
    starts_at: datetime = Field(None, description=TIMES)
    ends_at: datetime = Field(None, description=TIMES)
    time_zone: TimeZoneName = None
    venue: Text | None = None
    briefing_notes: LongText | None = None
    talking_points: list[Text] = Field(None, max_length=50)
    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class HoldRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: LongText = Field(description="What was agreed")


class MeetingOut(MarkingOut):
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


MeetingPath = id_path("MeetingPath", "meeting_id")


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


class FollowUpUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"due_on": "2027-05-01"}]})

    title: Text = None
    responsible_body: Name = None
    due_on: date = None


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    meeting_id: str
    title: str
    responsible_body: str
    due_on: date
    done_at: datetime | None
    version: int


FollowUpPath = id_path("FollowUpPath", "meeting_id", "follow_up_id")


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
