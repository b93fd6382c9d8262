"""Request and response bodies of visits."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.visits.api.fields import CountryCode, LongText, Name, PartnerId, Text
from services.visits.domain.visit import VisitStatus
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery
from shared.http.withholding import MarkingChange, MarkingIn, MarkingOut


class VisitCreate(MarkingIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
        "starts_on": "2027-03-10", "ends_on": "2027-03-12",
        "purpose": "Twinning anniversary and talks on urban transport", "host_official": "Deputy Mayor for Culture",
        "partner_id": "6f9b1c2e-8a4d-4c1b-9e3f-2a7d5c8b1e40"}]})

    delegation_name: Text
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 code of the delegation's country")
    city: Name
    partner_id: PartnerId | None = Field(None, description="The partner city or authority (an outreach partner id)")
    starts_on: date
    ends_on: date
    purpose: LongText
    host_official: Name

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class VisitUpdate(MarkingChange):
    """The fields sent change, the others stay. A field may be left out but not set to null, which would
    erase a detail every visit needs; so the types are not optional, only the defaults are None."""

    model_config = ConfigDict(extra="forbid")

    delegation_name: Text = None
    country: CountryCode = None
    city: Name = None
    starts_on: date = None
    ends_on: date = None
    purpose: LongText = None
    host_official: Name = None
    partner_id: PartnerId | None = Field(None, description="null unlinks the visit from its partner")


class VisitOut(VersionedOut, MarkingOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    delegation_name: str
    country: str
    city: str
    partner_id: str | None
    starts_on: date
    ends_on: date
    purpose: str
    host_official: str
    status: VisitStatus
    status_reason: str | None


class VisitPath(BaseModel):
    visit_id: str = Field(description="The visit's id", max_length=36)


class VisitQuery(PageQuery):
    status: VisitStatus | None = None
    country: CountryCode | None = None
    host_official: Name | None = None
    partner_id: PartnerId | None = None
    starts_from: date | None = Field(None, description="Visits starting on or after this date")
    starts_until: date | None = Field(None, description="Visits starting on or before this date")
    ends_from: date | None = Field(None, description="Visits ending on or after this date (with `starts_until`: "
                                                     "the visits that overlap a period)")
    ends_until: date | None = Field(None, description="Visits ending on or before this date")


class StatusChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: VisitStatus
    to_status: VisitStatus
    reason: str | None
    actor: str
    at: datetime


class StatusHistory(BaseModel):
    items: list[StatusChangeOut]
