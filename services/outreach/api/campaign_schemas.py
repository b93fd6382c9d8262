"""Request and response bodies of campaigns, materials, media contacts and accreditations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.outreach.domain.campaigns import MaterialKind, MaterialStatus
from services.outreach.events.fields import (
    LongText,
    Reason,
    RecordId,
    Text,
)
from shared.http.records import NO_NUL, OptionalBody, VersionedOut
from shared.http.resources import PageQuery

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50_000, pattern=NO_NUL)]


def dates_in_order(start: date | None, end: date | None, names: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{names} must not end before it starts")


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Sofia and our city: 60 years of twinning", "goals": "Make the twinning known to young people",
        "audiences": ["students", "diaspora"], "channels": ["social", "press", "outdoor"],
        "starts_on": "2027-04-01", "ends_on": "2027-06-30"}]})

    title: Text
    goals: LongText
    audiences: list[Label] = Field(default_factory=list, max_length=20)
    channels: list[Label] = Field(default_factory=list, max_length=20)
    starts_on: date
    ends_on: date
    partner_id: RecordId | None = None

    @model_validator(mode="after")
    def in_order(self):
        dates_in_order(self.starts_on, self.ends_on, "a campaign")
        return self


class CampaignUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ends_on": "2027-07-15"}]})

    title: Text = None
    goals: LongText = None
    audiences: list[Label] = Field(None, max_length=20)
    channels: list[Label] = Field(None, max_length=20)
    starts_on: date = None
    ends_on: date = None
    partner_id: RecordId | None = None


class CampaignOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    goals: str
    audiences: list[str]
    channels: list[str]
    starts_on: date
    ends_on: date
    partner_id: str | None


class CampaignPath(BaseModel):
    campaign_id: RecordId


class CampaignQuery(PageQuery):
    q: Text | None = Field(None, description="Words of the title, case-insensitive")
    on: date | None = Field(None, description="Only campaigns running on this day")
    partner_id: RecordId | None = None


class MaterialText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text
    body: Body


class MaterialTexts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: MaterialText | None = None
    ru: MaterialText | None = None
    bg: MaterialText | None = None


class MaterialCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "press_release", "campaign_id": "5c2e8a1b-3d4f-4a6b-9c8d-7e6f5a4b3c2d",
        "texts": {"en": {"title": "Sofia Days open on Friday", "body": "The City and Sofia celebrate ..."},
                  "ru": {"title": "В пятницу открываются Дни Софии", "body": "Город и София отмечают ..."},
                  "bg": {"title": "Дните на София започват в петък", "body": "Градът и София отбелязват ..."}}}]})

    kind: MaterialKind
    campaign_id: RecordId | None = None
    texts: MaterialTexts = Field(default_factory=MaterialTexts,
                                 description="The text in each language; all three are needed for review")


class MaterialUpdate(BaseModel):
    """Texts sent replace those languages; the others stay. Only a draft may be edited."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "texts": {"bg": {"title": "Дните на София започват в петък", "body": "..."}}}]})

    kind: MaterialKind = None
    campaign_id: RecordId | None = None
    texts: MaterialTexts = None


class MaterialOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    campaign_id: str | None
    kind: MaterialKind
    texts: MaterialTexts
    missing_languages: list[str]
    status: MaterialStatus
    status_reason: str | None
    allowed_actions: list[str]
    submitted_by: str | None
    published_by: str | None
    published_at: datetime | None


class MaterialPath(BaseModel):
    material_id: RecordId


class MaterialQuery(PageQuery):
    campaign_id: RecordId | None = None
    kind: MaterialKind | None = None
    status: MaterialStatus | None = None


class Decision(OptionalBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Figures to check"}]})

    reason: Reason | None = Field(None, description="Why; required to return, withdraw, refuse or revoke")
