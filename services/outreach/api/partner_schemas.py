"""Request and response bodies of partners, their relationships and contact people."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.outreach.domain.partners import PartnerKind, RelationshipType
from services.outreach.events.fields import (
    CountryCode,
    Email,
    LanguageCode,
    LongText,
    Name,
    Phone,
    RecordId,
    Text,
    Url,
)
from services.outreach.events.inbound import ContactFields, LocalName, PartnerFields
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery


class PartnerCreate(PartnerFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "capital", "name": "Sofia", "country": "BG", "region": "Sofia City Province",
        "names": [{"language": "bg", "name": "София"}, {"language": "ru", "name": "София"},
                  {"language": "fr", "name": "Sofia"}],
        "website": "https://www.sofia.bg", "notes": "Twinned since 1967"}]})

    notes: LongText | None = None


class PartnerUpdate(BaseModel):
    """The fields sent change; optional details may be set to null to clear them."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"region": "Sofia-grad"}]})

    kind: PartnerKind = None
    name: Name = None
    names: list[LocalName] = Field(None, max_length=30)
    country: CountryCode = None
    region: Name | None = None
    website: Url | None = None
    notes: LongText | None = None


class PartnerOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: PartnerKind
    name: str
    names: list[LocalName]
    country: str
    region: str | None
    website: str | None
    notes: str | None
    registry_id: str | None = Field(description="The partner's id in the city's registry, when the registry sent it "
                                                "(docs/decisions/0046)")


class PartnerPath(BaseModel):
    partner_id: RecordId = Field(description="The partner's id")


class PartnerQuery(PageQuery):
    q: Text | None = Field(None, description="A name in any language or script, case- and accent-insensitive "
                                             "(Sofia, sofia, София, софия)")
    kind: PartnerKind | None = None
    country: CountryCode | None = None
    registry_id: Text | None = Field(None, description="The partner with this id in the city's registry")
    relationship: RelationshipType | None = Field(
        None, description="Only partners with a relationship of this type holding on `on` (today by default)")
    on: date | None = Field(None, description="The day `relationship` must hold on")


class RelationshipCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "type": "twin_city", "established_on": "1967-05-24", "basis": "Twinning charter signed by both mayors"}]})

    type: RelationshipType
    established_on: date
    ended_on: date | None = None
    basis: LongText | None = Field(None, description="What founded it: a charter, an agreement, a decision")

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.ended_on is not None and self.ended_on < self.established_on:
            raise ValueError("ended_on must not be before established_on")
        return self


class RelationshipUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ended_on": "2022-03-02"}]})

    established_on: date = None
    ended_on: date | None = None
    basis: LongText | None = None


class RelationshipOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    partner_id: str
    type: RelationshipType
    established_on: date
    ended_on: date | None
    basis: str | None
    agreement_id: str | None = Field(description="The twinning agreement (contracts) that established it, if one did")


class RelationshipPath(BaseModel):
    partner_id: RecordId
    relationship_id: RecordId


class ContactCreate(ContactFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Maria Petrova", "position": "Head of International Cooperation",
        "email": "m.petrova@sofia.example", "phone": "+359 2 000 0000", "languages": ["bg", "en"]}]})


class ContactUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"position": "Deputy Mayor"}]})

    name: Name = None
    position: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    languages: list[LanguageCode] = Field(None, max_length=10)


class ContactOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    partner_id: str
    name: str
    position: str | None
    email: str | None
    phone: str | None
    languages: list[str]
    registry_id: str | None = Field(description="The contact's id in the city's registry, when the registry sent "
                                                "them (docs/decisions/0046)")


class ContactPath(BaseModel):
    partner_id: RecordId
    contact_id: RecordId
