"""Request and response bodies of the register of officials and of an official's time (decisions 0130, 0131)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.visits.api.fields import Name, Subject
from shared.http.resources import PageQuery

SUBJECT = "The identity provider's subject (`sub` of the person's token)"


class OfficialCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "id": "6b1f0c3e-2a4d-4e8f-9c7b-1d2e3f4a5b6c", "display_name": "Ivan Sergeev", "offices": ["Mayor"],
        "aliases": ["Mayor of Sofia"]}]})

    id: Subject = Field(description=SUBJECT)
    display_name: Name
    offices: list[Name] = Field(default_factory=list, max_length=20, description="The offices they hold")
    aliases: list[Name] = Field(default_factory=list, max_length=20,
                                description="Other names records use for them; matched normalised (decision 0130)")


class OfficialUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Name = None
    offices: list[Name] = Field(None, max_length=20)
    aliases: list[Name] = Field(None, max_length=20)


class OfficialOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    display_name: str
    offices: list[str]
    aliases: list[str]
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


class OfficialPath(BaseModel):
    official_id: Subject = Field(description=SUBJECT)


class OfficialQuery(PageQuery):
    """The register, by display name."""


class ScheduleQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_or_after: date | None = Field(None, description="Only what ends on or after this day")
    before: date | None = Field(None, description="Only what starts before this day")


class ScheduleItem(BaseModel):
    """One engagement of the official: in visits (an agenda item, a meeting, a function) or a trip abroad, from
    visits' read model of trips. Times are UTC with the venue's zone; a trip has days only."""

    source: Literal["visits", "trips"]
    record: Literal["agenda-item", "meeting", "function", "trip"]
    id: str
    title: str = Field(description="Its title; “Busy (confidential)” for a withheld trip the reader may not know of "
                                   "(decision 0190)")
    starts_on: date
    ends_on: date
    starts_at: datetime | None
    ends_at: datetime | None
    time_zone: str | None
    status: str
    visit_id: str | None


class ScheduleOut(BaseModel):
    official: OfficialOut
    items: list[ScheduleItem]
