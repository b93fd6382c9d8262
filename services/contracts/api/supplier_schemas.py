"""Request and response bodies of the suppliers register."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.contracts.api.schemas import CountryCode, LongText, Text
from shared.http.records import NO_NUL, VersionedOut
from shared.http.resources import PageQuery

Scheme = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{2,12}$")]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=320,
                                         pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50, pattern=r"^[0-9+()\- ]+$")]


class OrgIdentifier(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scheme: Scheme = Field(description="org-id.guide scheme, e.g. GB-COH, UA-EDR, BG-EIK, XI-LEI")
    id: Identifier = Field(description="The organisation's identifier in that register")


class SupplierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "legal_name": "Eventim Congress Services GmbH", "country": "DE",
        "identifier": {"scheme": "DE-CR", "id": "HRB 123456"},
        "address": "Friedrichstrasse 10, 10117 Berlin",
        "contact_name": "Anna Weber", "contact_email": "tenders@example.de", "contact_phone": "+49 30 1234567"}]})

    legal_name: Text
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 country of registration")
    identifier: OrgIdentifier
    address: LongText | None = None
    contact_name: Text | None = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None


class SupplierUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"contact_name": "Jonas Becker"}]})

    legal_name: Text = None
    address: LongText | None = None
    contact_name: Text | None = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None


class SupplierOut(VersionedOut):
    id: str
    legal_name: str
    country: str
    foreign: bool = Field(description="Registered outside the city's country (CONTRACTS_HOME_COUNTRY)")
    identifier: OrgIdentifier
    address: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None


class SupplierPath(BaseModel):
    supplier_id: str = Field(description="The supplier's id", max_length=36)


class SupplierQuery(PageQuery):
    country: CountryCode | None = None
    foreign: bool | None = Field(None, description="Only foreign (true) or domestic (false) suppliers")
    scheme: Scheme | None = None
    name: str | None = Field(None, max_length=200, description="Legal name contains this text")
