"""Request and response bodies of the interpreters register and interpretation needs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import Name
from services.visits.domain.interpreters import Mode, NeedStatus
from shared.http.resources import PageQuery
from shared.http.views import id_path

LanguagePair = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}-[a-z]{2,3}$")]


class InterpreterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Mariya Ivanova", "pairs": ["bg-ru", "bg-en"], "modes": ["consecutive", "simultaneous"]}]})

    name: Name
    pairs: list[LanguagePair] = Field(min_length=1, max_length=20, description="ISO 639 codes; both ways")
    modes: list[Mode] = Field(min_length=1, max_length=2)


class InterpreterUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = None
    pairs: list[LanguagePair] = Field(None, min_length=1, max_length=20)
    modes: list[Mode] = Field(None, min_length=1, max_length=2)
    active: bool = None


class InterpreterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    pairs: list[str]
    modes: list[Mode]
    active: bool
    version: int


InterpreterPath = id_path("InterpreterPath", "interpreter_id")


class InterpreterQuery(PageQuery):
    pair: LanguagePair | None = Field(None, description="Interpreters covering this pair (either way)")
    mode: Mode | None = None
    active: bool | None = None


class NeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "agenda_item_id": "5d1b6c0e-3f0a-4a7e-8d4b-2c9e1f7a6b30", "language_pair": "zh-bg", "mode": "consecutive"}]})

    agenda_item_id: str = Field(max_length=36)
    language_pair: LanguagePair
    mode: Mode
    interpreter_id: str | None = Field(None, max_length=36,
                                       description="Book this interpreter; without it the first free one who "
                                                   "covers the pair is booked, or a request is raised")


class BookRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interpreter_id: str = Field(max_length=36)


class NeedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    visit_id: str
    agenda_item_id: str
    language_pair: str
    mode: Mode
    status: NeedStatus
    interpreter_id: str | None
    reason: str | None = Field(description="Why a request was raised (nobody covers the pair, or all are busy)")
    version: int
    created_at: datetime


NeedPath = id_path("NeedPath", "visit_id", "need_id")


class NeedQuery(PageQuery):
    status: NeedStatus | None = None
    language_pair: LanguagePair | None = None
