"""Request and response bodies of people (as notifications knows them) and of the decisions waiting."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.notifications.api.preference_schemas import EmailAddress
from shared.http.auth import MAX_SUBJECT_LENGTH, ROLES

Language = Literal["en", "ru", "bg"]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"display_name": "Olga Petrova", "language": "bg", "email": "olga@city.example"}]})

    display_name: str | None = Field(None, max_length=200, description="The `name` claim of the person's sign-in")
    language: Language | None = Field(None, description="The `locale` claim; kept only on first sign-in")
    email: EmailAddress | None = Field(None, description="The `email` claim; kept only while none is set")


class PersonOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"subject": "olga", "display_name": "Olga Petrova", "roles": ["department-head"], "department": "Culture",
         "language": "bg", "known_from": "sign-in"}]})

    subject: str
    display_name: str | None
    roles: list[str]
    department: str | None
    language: str
    known_from: str = Field(description="How notifications first learnt of the person: sign-in, directory or api")


class DirectoryPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=MAX_SUBJECT_LENGTH, description="The identity provider's `sub`")
    display_name: str | None = Field(None, max_length=200)
    roles: list[Literal[tuple(ROLES)]] = Field(max_length=len(ROLES))  # type: ignore[valid-type]
    department: str | None = Field(None, max_length=200)
    language: Language | None = None
    email: EmailAddress | None = None


class DirectoryImport(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"people": [
        {"subject": "ivan", "display_name": "Ivan Sidorov", "roles": ["department-head"], "department": "Culture",
         "language": "ru", "email": "ivan@city.example"}]}]})

    people: list[DirectoryPerson] = Field(min_length=1, max_length=5000)


class ImportOutcome(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"created": 12, "updated": 3, "unchanged": 40}]})

    created: int
    updated: int
    unchanged: int


class RoleFigure(BaseModel):
    role: str
    waiting: int = Field(description="Decisions waiting for this role")
    overdue: int = Field(description="Of those, past their due time")


class WaitingFigures(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"yours": 2, "roles": [{"role": "department-head", "waiting": 5, "overdue": 1}]}]})

    yours: int = Field(description="Decisions waiting for you (a department head: your department's)")
    roles: list[RoleFigure]
