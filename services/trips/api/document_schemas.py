"""Request and response bodies of travellers' documents, passports and the travel order."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.trips.api.trip_schemas import TravellerPath
from services.trips.domain.documents import DocumentKind, DocumentStatus
from shared.http.records import NO_NUL
from shared.http.resources import QueryModel


class DocumentPath(TravellerPath):
    kind: Annotated[str, StringConstraints(pattern=r"^(visa|insurance|travel_order)$")] = Field(
        description="visa, insurance or travel_order (the passport has its own resource)")


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "obtained", "valid_until": "2027-06-30", "reference": "Policy 77-4410"}]})

    status: DocumentStatus
    valid_until: date | None = None
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=NO_NUL)] | None = None


class ChecklistItemOut(BaseModel):
    kind: DocumentKind
    status: DocumentStatus
    valid_until: date | None
    problem: str | None = Field(description="Why this keeps the trip from approval; null when in order")


class TravellerChecklist(BaseModel):
    traveller_id: str
    full_name: str
    items: list[ChecklistItemOut]


class ChecklistOut(BaseModel):
    trip_id: str
    ready_for_departure: bool
    travellers: list[TravellerChecklist]


PassportNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=20,
                                                  pattern=r"^[A-Z0-9]+$")]


class PassportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"number": "751234567", "expires_on": "2031-02-14", "date_of_birth": "1975-04-02"}]})

    number: PassportNumber
    expires_on: date
    date_of_birth: date | None = None


class PassportOut(BaseModel):
    traveller_id: str
    number: str | None = Field(description="Masked unless your role may read passport data")
    expires_on: date | None
    date_of_birth: str | None = Field(description="Masked unless your role may read passport data")
    masked: bool


class DocumentLanguage(QueryModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["en", "ru", "bg"] = Field("en", description="The language of the document")
