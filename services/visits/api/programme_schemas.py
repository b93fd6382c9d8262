"""Request and response bodies of a visit's programme."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import OFFICIAL_IDS, LongText, Name, Subject, Text
from services.visits.domain.programme import AgendaKind
from shared.http.fields import TimeZoneName
from shared.http.records import OVERRIDE_REASON, Given
from shared.http.resources import PageQuery

MemberId = Annotated[str, StringConstraints(min_length=1, max_length=36)]
TIMES = ("Wall-clock time at the venue (e.g. `2027-03-10T10:00:00`, read in `time_zone`), "
         "or a time with an explicit offset")
ITEM_EXAMPLE = {
    "kind": "meeting", "title": "Talks with the Mayor on urban transport", "starts_at": "2027-03-10T10:00:00",
    "ends_at": "2027-03-10T11:30:00", "time_zone": "Europe/Sofia", "venue": "Sofia City Hall, Hall 1",
    "host_participants": ["Mayor of Sofia", "Deputy Mayor for Transport"],
    "guest_participants": ["0b3c6a55-2f7e-4c58-9b1e-6a2d4c8f1e70"], "responsible_staff": "olga",
    "notes": "Consecutive interpretation zh–bg"}


class AgendaItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ITEM_EXAMPLE]})

    kind: AgendaKind
    title: Text
    starts_at: datetime = Field(description=TIMES)
    ends_at: datetime = Field(description=TIMES)
    time_zone: TimeZoneName = Field(description="The venue's IANA time zone, e.g. Europe/Sofia")
    venue: Text | None = None
    host_participants: list[Name] = Field(default_factory=list, max_length=50,
                                          description="The host side's officials, by name")
    host_official_ids: list[Subject] = Field(default_factory=list, max_length=50, description=OFFICIAL_IDS)
    guest_participants: list[MemberId] = Field(default_factory=list, max_length=100,
                                          description="Ids of the delegation's people who take part")
    responsible_staff: Name | None = None
    notes: LongText | None = None
    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class AgendaItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AgendaKind = None
    title: Text = None
    starts_at: datetime = Field(None, description=TIMES)
    ends_at: datetime = Field(None, description=TIMES)
    time_zone: TimeZoneName = None
    venue: Text | None = None
    host_participants: list[Name] = Field(None, max_length=50, description="Sent with or without "
                                          "`host_official_ids`, the host side becomes those the two name together")
    host_official_ids: list[Subject] = Field(None, max_length=50, description=OFFICIAL_IDS)
    guest_participants: list[MemberId] = Field(None, max_length=100)
    responsible_staff: Name | None = None
    notes: LongText | None = None
    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class AgendaItemOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        **ITEM_EXAMPLE, "id": "5d1b6c0e-3f0a-4a7e-8d4b-2c9e1f7a6b30",
        "visit_id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10",
        "starts_at": "2027-03-10T08:00:00Z", "ends_at": "2027-03-10T09:30:00Z",
        "starts_at_local": "2027-03-10T10:00:00+02:00", "ends_at_local": "2027-03-10T11:30:00+02:00",
        "version": 1}]})

    id: str
    visit_id: str
    kind: AgendaKind
    title: str
    starts_at: datetime = Field(description="UTC")
    ends_at: datetime = Field(description="UTC")
    time_zone: str
    starts_at_local: datetime = Field(description="At the venue, with its offset")
    ends_at_local: datetime = Field(description="At the venue, with its offset")
    venue: str | None
    host_participants: list[str]
    guest_participants: list[str]
    responsible_staff: str | None
    notes: str | None
    version: int


class ItemPath(BaseModel):
    visit_id: str = Field(description="The visit's id", max_length=36)
    item_id: str = Field(description="The agenda item's id", max_length=36)


class AgendaQuery(PageQuery):
    kind: AgendaKind | None = None
    official: Name | None = Field(None, description="Items this host official takes part in")
    venue: Text | None = None
    on_or_after: date | None = Field(None, description="Items starting on or after this day (UTC)")
    before: date | None = Field(None, description="Items starting before this day (UTC)")
