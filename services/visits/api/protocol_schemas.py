"""Request and response bodies of protocol: rank table, precedence, seating, flags."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import Name, Text
from services.visits.domain.delegation import DelegationRole
from services.visits.domain.protocol import DEFAULT_RANK_TABLE
from shared.http.views import id_path

RankKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
FlagCode = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|[A-Z]{2}-[A-Z0-9]{1,3}|EU|UN)$")]


class Translations(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: Text
    ru: Text
    bg: Text


class Rank(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: RankKey
    level: int = Field(ge=1, le=999, description="Lower comes first; equal levels are ordered by name")
    labels: Translations
    address: Translations = Field(description="Salutation templates; `{name}` and `{rank}` are filled in")


class RankTableIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ranks": DEFAULT_RANK_TABLE[:3]}]})

    ranks: list[Rank] = Field(min_length=1, max_length=200)


class RankTableOut(BaseModel):
    ranks: list[Rank]
    version: int = Field(description="0 while the office uses the built-in table")
    updated_by: str | None
    updated_at: datetime | None


class PrecedenceEntry(BaseModel):
    position: int
    member_id: str
    role: DelegationRole
    name_original: str
    name_latin: str
    rank: str | None
    rank_label: str | None = Field(description="In English; `address` has every language")
    level: int | None
    address: Translations = Field(description="How to address the person, per language")


class PrecedenceOut(BaseModel):
    items: list[PrecedenceEntry]


class HostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    rank: RankKey | None = None
    principal: bool = Field(False, description="The host principal (at most one); else the highest ranked")


class SeatingPlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Official lunch at Boyana Residence", "agenda_item_id": None,
        "hosts": [{"name": "Mayor of Sofia", "rank": "mayor", "principal": True},
                  {"name": "Deputy Mayor for Transport", "rank": "deputy_mayor"}],
        "guest_ids": None}]})

    title: Text
    agenda_item_id: str | None = Field(None, max_length=36)
    hosts: list[HostIn] = Field(min_length=1, max_length=60)
    guest_ids: list[Annotated[str, StringConstraints(max_length=36)]] | None = Field(
        None, max_length=60, description="Delegation member ids; default: everyone but the security detail")


class Seat(BaseModel):
    seat: int = Field(description="1 is the host principal's; numbered clockwise, so 2 is at their right")
    side: str
    name: str
    rank: str | None
    member_id: str | None
    principal: bool


class SeatingPlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    visit_id: str
    agenda_item_id: str | None
    title: str
    seats: list[Seat]
    version: int
    created_by: str
    created_at: datetime


SeatingPlanPath = id_path("SeatingPlanPath", "visit_id", "plan_id")


class FlagsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"flags": ["FR", "BG", "BG-22", "EU"]}]})

    flags: list[FlagCode] = Field(max_length=20, description="In display order: ISO 3166-1, ISO 3166-2, EU or UN")


class FlagsOut(BaseModel):
    flags: list[str]
    version: int = Field(description="The visit's version (flags are part of the visit)")
