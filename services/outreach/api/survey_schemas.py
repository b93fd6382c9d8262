"""Request and response bodies of public opinion surveys, their questions, results and summaries."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.outreach.domain.surveys import QuestionKind
from services.outreach.events.fields import LongText, Name, RecordId, Text
from shared.http.records import NO_NUL, VersionedOut

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
Option = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]
MAX_CSV = 900_000  # within the request size limit, and a few tens of thousands of respondents


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "How residents see the city's twin towns", "purpose": "Before the twinning anniversary campaign",
        "commissioned_from": "Alpha Research", "fieldwork_from": "2027-02-01", "fieldwork_until": "2027-02-14"}]})

    title: Text
    purpose: LongText | None = None
    commissioned_from: Name
    fieldwork_from: date
    fieldwork_until: date
    campaign_id: RecordId | None = None

    @model_validator(mode="after")
    def in_order(self):
        if self.fieldwork_until < self.fieldwork_from:
            raise ValueError("fieldwork_until must not be before fieldwork_from")
        return self


class SurveyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"purpose": "Baseline"}]})

    title: Text = None
    purpose: LongText | None = None
    commissioned_from: Name = None


class SurveyOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    purpose: str | None
    commissioned_from: str
    fieldwork_from: date
    fieldwork_until: date
    campaign_id: str | None


class SurveyPath(BaseModel):
    survey_id: RecordId


class QuestionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "code": "knows_twin", "text": "Do you know that Sofia is our twin city?", "kind": "single_choice",
        "options": ["yes", "no", "not sure"]}, {
        "code": "importance", "text": "How important are ties with twin cities? (1-5)", "kind": "scale",
        "scale_min": 1, "scale_max": 5}]})

    code: Code = Field(description="The CSV column of this question's answers")
    text: LongText
    kind: QuestionKind
    options: list[Option] = Field(default_factory=list, max_length=50)
    scale_min: int = Field(1, ge=-100, le=100)
    scale_max: int = Field(5, ge=-100, le=100)


class QuestionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    survey_id: str
    position: int
    code: str
    text: str
    kind: QuestionKind
    options: list[str]
    scale_min: int
    scale_max: int


class ResultsImport(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "csv": "respondent_id,knows_twin,importance\nr-001,yes,4\nr-002,not sure,3\n"}]})

    csv: str = Field(min_length=1, max_length=MAX_CSV, description="UTF-8 CSV: a respondent_id column and one "
                                                                    "column per question code; an empty cell is "
                                                                    "no answer")


class ImportOut(BaseModel):
    survey_id: str
    imported: int
    total_responses: int


class QuestionSummary(BaseModel):
    code: str
    kind: QuestionKind
    text: str
    answered: int
    options: list[dict] | None = None
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None


class SurveySummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "survey_id": "9b6c2e7f-8a1d-4e3b-9c5f-1a2b3c4d5e6f", "responses": 2, "questions": [
            {"code": "knows_twin", "kind": "single_choice", "text": "Do you know that Sofia is our twin city?",
             "answered": 2, "options": [{"option": "yes", "count": 1, "share": 0.5},
                                        {"option": "no", "count": 0, "share": 0.0},
                                        {"option": "not sure", "count": 1, "share": 0.5}]},
            {"code": "importance", "kind": "scale", "text": "How important?", "answered": 2, "mean": 3.5,
             "median": 3.5, "minimum": 3, "maximum": 4}]}]})

    survey_id: str
    responses: int
    questions: list[QuestionSummary]
