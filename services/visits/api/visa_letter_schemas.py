"""Request and response bodies of visa support letters."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import LongText, Text
from services.visits.api.invitation_schemas import Language
from services.visits.domain.visa_letters import LetterStatus
from shared.http.records import NO_NUL
from shared.http.resources import PageQuery
from shared.http.views import id_path

PassportNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9<]{5,20}$")]
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]


class VisaLetterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "member_id": "0b3c6a55-2f7e-4c58-9b1e-6a2d4c8f1e70", "language": "en",
        "consulate": "Consular Section of the Embassy of Bulgaria in Beijing", "passport_number": "EA1234567",
        "date_of_birth": "1971-08-23", "place_of_birth": "Shanghai", "passport_expires_on": "2031-05-01"}]})

    member_id: str = Field(max_length=36)
    language: Language
    consulate: Text = Field(description="Where the member applies for the visa")
    passport_number: PassportNumber
    date_of_birth: date
    place_of_birth: Place
    passport_expires_on: date | None = None


class ReturnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: LongText


class VisaLetterOut(BaseModel):
    id: str
    visit_id: str
    member_id: str
    member_name: str = Field(description="The member's name in Latin script, as in the passport")
    language: Language
    consulate: str
    passport_number: str | None = Field(description="Masked (•) unless your role may read personal data; null once "
                                                    "purged")
    date_of_birth: str | None
    place_of_birth: str | None
    personal_data_masked: bool
    passport_expires_on: date | None
    status: LetterStatus
    status_reason: str | None
    registry_number: str | None
    issued_on: date | None
    version: int


VisaLetterPath = id_path("VisaLetterPath", "visit_id", "letter_id")


class VisaLetterQuery(PageQuery):
    status: LetterStatus | None = None
    member_id: str | None = Field(None, max_length=36, description="Letters of this delegation member")
