"""Request and response bodies of media contacts and their accreditations."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.outreach.api.campaign_schemas import dates_in_order
from services.outreach.domain.campaigns import AccreditationStatus
from services.outreach.events.fields import CountryCode, Email, LanguageCode, Name, Phone, RecordId, Text
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery


class MediaContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Ivan Georgiev", "outlet": "Bulgarian National Radio", "country": "BG",
        "email": "i.georgiev@bnr.example", "phone": "+359 2 933 6000", "languages": ["bg", "en"]}]})

    name: Name
    outlet: Name
    country: CountryCode
    email: Email | None = None
    phone: Phone | None = None
    languages: list[LanguageCode] = Field(default_factory=list, max_length=10)


class MediaContactUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"outlet": "BNT"}]})

    name: Name = None
    outlet: Name = None
    country: CountryCode = None
    email: Email | None = None
    phone: Phone | None = None
    languages: list[LanguageCode] = Field(None, max_length=10)


class MediaContactOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    outlet: str
    country: str
    email: str | None
    phone: str | None
    languages: list[str]


class MediaContactPath(BaseModel):
    contact_id: RecordId


class MediaContactQuery(PageQuery):
    outlet: Name | None = None
    country: CountryCode | None = None


class AccreditationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "event_name": "Opening of the Sofia Days", "campaign_id": "5c2e8a1b-3d4f-4a6b-9c8d-7e6f5a4b3c2d",
        "valid_from": "2027-05-20", "valid_until": "2027-05-27"}]})

    event_name: Text
    campaign_id: RecordId | None = None
    valid_from: date
    valid_until: date

    @model_validator(mode="after")
    def in_order(self):
        dates_in_order(self.valid_from, self.valid_until, "an accreditation")
        return self


class AccreditationOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    media_contact_id: str
    event_name: str
    campaign_id: str | None
    valid_from: date
    valid_until: date
    status: AccreditationStatus
    status_reason: str | None


class AccreditationPath(BaseModel):
    accreditation_id: RecordId


class AccreditationQuery(PageQuery):
    status: AccreditationStatus | None = None
    campaign_id: RecordId | None = None
    media_contact_id: RecordId | None = None
    on: date | None = Field(None, description="Only accreditations valid on this day")
