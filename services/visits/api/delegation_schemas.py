"""Request and response bodies of a visit's delegation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import CountryCode, LongText, Name, Text
from services.visits.api.visit_schemas import VisitOut
from services.visits.domain.delegation import DelegationRole
from shared.http.records import NO_NUL
from shared.http.resources import PageQuery

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Rank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)]

MEMBER_EXAMPLE = {
    "role": "head", "name_original": "Grégoire Dubois", "name_latin": "Gregoire Dubois",
    "title": "Mayor of Lyon", "rank": "mayor", "organisation": "City of Lyon", "country": "FR",
    "languages": ["fr", "en"], "dietary_needs": "vegetarian", "access_needs": None}


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [MEMBER_EXAMPLE, {
        "role": "member", "name_original": "Иван Петров", "name_latin": "Ivan Petrov",
        "title": "Head of the Department of Transport", "rank": "head_of_department",
        "organisation": "Sofia Municipality", "country": "BG", "languages": ["bg", "ru", "en"]}]})

    role: DelegationRole = Field(description="head (one per delegation), member, accompanying or security")
    name_original: Name = Field(description="The name as its owner writes it, in the original script")
    name_latin: Name = Field(description="The name in Latin transliteration, as in the passport")
    title: Text | None = None
    rank: Rank | None = Field(None, description="A key of the rank table, for precedence (e.g. `mayor`)")
    organisation: Text | None = None
    country: CountryCode
    languages: list[LanguageCode] = Field(default_factory=list, max_length=20,
                                          description="ISO 639 codes, most fluent first")
    dietary_needs: LongText | None = None
    access_needs: LongText | None = None


class MemberUpdate(BaseModel):
    """The fields sent change; a name, role or country cannot be erased with null, the optional details can."""

    model_config = ConfigDict(extra="forbid")

    role: DelegationRole = None
    name_original: Name = None
    name_latin: Name = None
    title: Text | None = None
    rank: Rank | None = None
    organisation: Text | None = None
    country: CountryCode = None
    languages: list[LanguageCode] = Field(None, max_length=20)
    dietary_needs: LongText | None = None
    access_needs: LongText | None = None


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        **MEMBER_EXAMPLE, "id": "0b3c6a55-2f7e-4c58-9b1e-6a2d4c8f1e70",
        "visit_id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10", "version": 1,
        "created_at": "2027-02-01T09:30:00Z", "updated_at": "2027-02-01T09:30:00Z"}]})

    id: str
    visit_id: str
    role: DelegationRole
    name_original: str
    name_latin: str
    title: str | None
    rank: str | None
    organisation: str | None
    country: str
    languages: list[str]
    dietary_needs: str | None
    access_needs: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class DelegationOut(BaseModel):
    """The delegation as one unit: the visit, its head, members, accompanying persons and security detail."""

    visit: VisitOut
    head: MemberOut | None
    members: list[MemberOut]
    accompanying: list[MemberOut]
    security: list[MemberOut]
    size: int = Field(description="Everyone who travels, security included")


class MemberPath(BaseModel):
    visit_id: str = Field(description="The visit's id", max_length=36)
    member_id: str = Field(description="The member's id", max_length=36)


class MemberQuery(PageQuery):
    role: DelegationRole | None = None
    country: CountryCode | None = None
