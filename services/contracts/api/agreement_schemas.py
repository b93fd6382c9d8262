"""Request and response bodies of cooperation agreements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, model_validator

from services.contracts.api.schemas import CountryCode, LongText, Text, changing_one_of
from services.contracts.domain.agreement import AgreementKind, AgreementStatus, PartnerKind
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery
from shared.http.views import id_path
from shared.http.withholding import MarkingChange, MarkingIn, MarkingOut

Area = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, max_length=36, description="In an amendment: the activity kept or changed")
    title: Text
    due_on: date
    responsible_body: Body


class ActivityOut(BaseModel):
    id: str
    title: str
    due_on: date
    responsible_body: str


AGREEMENT_EXAMPLE = {
    "title": "Agreement on twinning and cooperation between Sofia and Lyon, 2027–2031",
    "partner_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "partner_name": "City of Lyon", "partner_kind": "city",
    "kind": "twinning", "country": "FR", "areas": ["culture", "urban transport", "youth exchanges"],
    "valid_from": "2027-04-01", "valid_until": "2031-03-31",
    "activities": [
        {"title": "Joint festival of young musicians", "due_on": "2027-09-15",
         "responsible_body": "Culture Directorate"},
        {"title": "Study visit on tram fleet renewal", "due_on": "2028-05-30",
         "responsible_body": "Urban Mobility Department"}],
}


class AgreementCreate(MarkingIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [AGREEMENT_EXAMPLE]})

    title: Text
    partner_id: str | None = Field(None, max_length=36, description="The partner's id in outreach, when known")
    partner_name: Text
    partner_kind: PartnerKind = PartnerKind.CITY
    kind: AgreementKind = Field(AgreementKind.COOPERATION,
                                description="`twinning`: once signed, outreach records the twin-city relationship")
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 country of the partner; abroad, the agreement is "
                                             "cleared with the foreign ministry before it is signed")
    areas: list[Area] = Field(default_factory=list, max_length=30, description="Areas of cooperation")
    valid_from: date
    valid_until: date
    activities: list[ActivityIn] = Field(default_factory=list, max_length=200,
                                         description="The plan of activities adopted with the agreement")


class AgreementUpdate(MarkingChange):
    """A draft's fields; `activities`, when sent, replaces the whole plan. The marking (confidentiality, embargo,
    need to know) changes in any state."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"areas": ["culture", "tourism"]}]})

    title: Text = None
    partner_id: str | None = Field(None, max_length=36)
    partner_name: Text = None
    kind: AgreementKind = None
    country: CountryCode = None
    areas: list[Area] = Field(None, max_length=30)
    valid_from: date = None
    valid_until: date = None
    activities: list[ActivityIn] = Field(None, max_length=200)


class SignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "signed_on": "2027-03-20", "signatories": "Mayor of Sofia; Mayor of Lyon"}]})
    signed_on: date
    signatories: Text | None = None


class ClearanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "cleared_on": "2027-03-10", "reference": "MFA 12-04/1187"}]})
    cleared_on: date = Field(description="The day the foreign ministry cleared the agreement")
    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="The foreign ministry's reference of its clearance")


class AgreementAmendmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        **changing_one_of("valid_until", "areas", "activities"), "examples": [{
        "rationale": "Protocol of 2028: the study visit moved to the autumn, a sports exchange added",
        "activities": [{"id": "…kept activity id…", "title": "Joint festival of young musicians",
                        "due_on": "2027-09-15", "responsible_body": "Culture Directorate"},
                       {"title": "Youth football tournament", "due_on": "2028-07-10",
                        "responsible_body": "Sports Directorate"}]}]})

    rationale: LongText
    valid_until: date | None = None
    areas: list[Area] | None = Field(None, max_length=30)
    activities: list[ActivityIn] | None = Field(None, max_length=200, description="The whole plan after the change")

    @model_validator(mode="after")
    def changes_something(self):
        if self.valid_until is None and self.areas is None and self.activities is None:
            raise ValueError("an amendment changes the validity, the areas or the plan of activities")
        return self


class AgreementOut(VersionedOut, MarkingOut):
    id: str
    title: str
    partner_id: str | None
    partner_name: str
    partner_kind: PartnerKind
    kind: AgreementKind
    country: str
    international: bool = Field(description="With a partner abroad: cleared with the foreign ministry before "
                                            "it is signed")
    areas: list[str]
    valid_from: date
    valid_until: date
    approved_at: datetime | None = Field(description="When the mayor's office approved it")
    approved_by: str | None = Field(description="Who approved it for the mayor's office")
    cleared_on: date | None = Field(description="When the foreign ministry cleared it")
    clearance_reference: str | None = Field(description="The foreign ministry's reference of its clearance")
    signed_on: date | None
    signatories: str | None
    activities: list[ActivityOut]
    status: AgreementStatus
    status_reason: str | None
    expires_in_days: int | None = Field(description="Days until it expires, while signed")
    expiring: bool = Field(description="Signed and within the notice period before expiry")
    allowed_actions: list[str]


AgreementPath = id_path("AgreementPath", "agreement_id")


class AgreementQuery(PageQuery):
    status: AgreementStatus | None = None
    kind: AgreementKind | None = None
    country: CountryCode | None = None
    partner_id: str | None = Field(None, max_length=36)
    expiring_within_days: int | None = Field(None, ge=0, le=3650,
                                             description="Signed agreements expiring within this many days")


class AgreementDocumentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Signed agreement (Bulgarian and French originals)",
        "url": "https://docs.city.example/agreements/lyon-2027.pdf", "language": "bg"}]})
    title: Text
    url: HttpUrl
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"


class AgreementDocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    agreement_id: str
    title: str
    url: str
    language: str
    added_at: datetime


class AgreementAmendmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    agreement_id: str
    rationale: str
    changes: dict
    amended_at: datetime
    created_by: str
