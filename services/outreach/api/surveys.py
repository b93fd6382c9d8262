"""Public opinion surveys: commissioned surveys, their questions, results imported from CSV, summaries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import func, select

from services.outreach.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    apply_changes,
    find,
    invalid,
    record_change,
    record_response,
)
from services.outreach.api.fields import LongText, Name, RecordId, Text
from services.outreach.domain.surveys import (
    InvalidQuestion,
    Question,
    QuestionKind,
    check_question,
    parse_results,
    summarize,
)
from services.outreach.store.models import Campaign, Survey, SurveyQuestion, SurveyResponse
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work

surveys_api = APIBlueprint("surveys", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                           abp_responses=problem_responses(401, 403, 422),
                           abp_tags=[Tag(name="surveys", description="Public opinion surveys the office commissions")])
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
Option = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
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


class SurveyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    purpose: str | None
    commissioned_from: str
    fieldwork_from: date
    fieldwork_until: date
    campaign_id: str | None
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


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


def serialize(survey: Survey) -> dict:
    return SurveyOut.model_validate(survey).model_dump(mode="json")


def survey_event(survey: Survey) -> dict:
    return {"id": survey.id, "title": survey.title, "commissioned_from": survey.commissioned_from,
            "fieldwork_from": survey.fieldwork_from.isoformat(), "fieldwork_until": survey.fieldwork_until.isoformat(),
            "campaign_id": survey.campaign_id, "version": survey.version}


def as_question(row: SurveyQuestion) -> Question:
    return Question(row.code, QuestionKind(row.kind), tuple(row.options), row.scale_min, row.scale_max)


def response_count(session, survey_id: str) -> int:
    return session.scalar(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.survey_id == survey_id))


@surveys_api.post("/surveys", summary="Register a commissioned survey",
                  responses={201: SurveyOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_survey(body: SurveyCreate):
    with unit_of_work() as uow:
        if body.campaign_id and uow.session.get(Campaign, body.campaign_id) is None:
            raise invalid("campaign_id", f"no campaign {body.campaign_id}")
        survey = Survey(**body.model_dump(), version=1, created_by=uow.actor)
        uow.session.add(survey)
        record_change(uow, "survey", "created", survey, survey_event, body.model_dump(mode="json"))
        return created(uow, serialize(survey), f"/api/v1/surveys/{survey.id}", survey.version)


@surveys_api.get("/surveys", summary="List surveys", responses={200: Page[SurveyOut]})
@allow(*READERS)
def list_surveys(query: PageQuery):
    sortable = {name: getattr(Survey, name) for name in ("title", "fieldwork_from", "created_at")}
    statement = apply_sort(select(Survey), query.sort, sortable, [Survey.fieldwork_from.desc(), Survey.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@surveys_api.get("/surveys/<survey_id>", summary="Read a survey", responses={200: SurveyOut, **problem_responses(404)})
@allow(*READERS)
def get_survey(path: SurveyPath):
    with read_only() as session:
        survey = find(session, Survey, path.survey_id, "survey")
        return record_response(serialize(survey), survey.version)


@surveys_api.patch("/surveys/<survey_id>", summary="Change a survey's title, purpose or pollster (send If-Match)",
                   responses={200: SurveyOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_survey(path: SurveyPath, body: SurveyUpdate):
    changes = body.model_dump(exclude_unset=True)
    for name in ("title", "commissioned_from"):
        if name in changes and changes[name] is None:
            raise invalid(name, f"{name} cannot be cleared")
    with unit_of_work() as uow:
        survey = find(uow.session, Survey, path.survey_id, "survey")
        require_fresh(survey.version)
        if changes:
            apply_changes(survey, changes)
            record_change(uow, "survey", "updated", survey, survey_event, changes)
        return record_response(serialize(survey), survey.version)


@surveys_api.post("/surveys/<survey_id>/questions", summary="Add a question (before results are imported)",
                  responses={201: QuestionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_question(path: SurveyPath, body: QuestionCreate):
    try:
        check_question(Question(body.code, body.kind, tuple(body.options), body.scale_min, body.scale_max))
    except InvalidQuestion as error:
        raise invalid("options" if "option" in str(error) else "scale_max", str(error)) from error
    with unit_of_work() as uow:
        survey = find(uow.session, Survey, path.survey_id, "survey")
        if response_count(uow.session, survey.id):
            raise Problem(409, "Results imported", "questions are fixed once results are imported",
                          slug="results-imported")
        codes = set(uow.session.scalars(select(SurveyQuestion.code).where(SurveyQuestion.survey_id == survey.id)))
        if body.code in codes:
            raise invalid("code", f"this survey already has a question {body.code}")
        question = SurveyQuestion(**body.model_dump(), survey_id=survey.id, position=len(codes) + 1)
        uow.session.add(question)
        record_change(uow, "survey-question", "added", question,
                      lambda q: {"id": q.id, "survey_id": q.survey_id, "code": q.code, "kind": q.kind},
                      body.model_dump(mode="json"))
        return created(uow, QuestionOut.model_validate(question).model_dump(mode="json"),
                       f"/api/v1/surveys/{survey.id}/questions", 1)


@surveys_api.get("/surveys/<survey_id>/questions", summary="A survey's questions in order",
                 responses={200: Page[QuestionOut], **problem_responses(404)})
@allow(*READERS)
def list_questions(path: SurveyPath, query: PageQuery):
    statement = select(SurveyQuestion).where(SurveyQuestion.survey_id == path.survey_id).order_by(
        SurveyQuestion.position)
    with read_only() as session:
        find(session, Survey, path.survey_id, "survey")
        return json_response(paginate(session, statement, query,
                                      lambda q: QuestionOut.model_validate(q).model_dump(mode="json")))


@surveys_api.post("/surveys/<survey_id>/results",
                  summary="Import results from CSV: every row or, if any row is bad, none (each problem named)",
                  responses={200: ImportOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
def import_results(path: SurveyPath, body: ResultsImport):
    with unit_of_work() as uow:
        survey = find(uow.session, Survey, path.survey_id, "survey")
        questions = [as_question(row) for row in uow.session.scalars(
            select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id))]
        known = set(uow.session.scalars(select(SurveyResponse.respondent_id).where(
            SurveyResponse.survey_id == survey.id)))
        parsed = parse_results(body.csv, questions, known)
        if parsed.errors:
            raise Problem(422, "The results have bad rows", f"{len(parsed.errors)} problems; nothing was imported",
                          slug="bad-rows", errors=[{"field": f"csv.row[{e.row}].{e.field}", "row": e.row,
                                                    "column": e.field, "message": e.message}
                                                   for e in parsed.errors[:500]])
        uow.session.add_all(SurveyResponse(survey_id=survey.id, respondent_id=respondent, answers=answers)
                            for respondent, answers in parsed.responses)
        uow.session.flush()
        total = response_count(uow.session, survey.id)
        data = {"id": survey.id, "imported": len(parsed.responses), "total_responses": total}
        record_change(uow, "survey", "results-imported", survey, lambda _: data, data)
        return json_response({"survey_id": survey.id, "imported": len(parsed.responses), "total_responses": total})


@surveys_api.get("/surveys/<survey_id>/summary", summary="What the answers say, question by question",
                 responses={200: SurveySummary, **problem_responses(404)})
@allow(*READERS)
def survey_summary(path: SurveyPath):
    with read_only() as session:
        find(session, Survey, path.survey_id, "survey")
        rows = session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == path.survey_id)
                               .order_by(SurveyQuestion.position)).all()
        responses = session.scalars(select(SurveyResponse.answers).where(
            SurveyResponse.survey_id == path.survey_id)).all()
    questions = [{**summarize(as_question(row), [r[row.code] for r in responses if row.code in r]),
                  "text": row.text} for row in rows]
    return json_response(SurveySummary(survey_id=path.survey_id, responses=len(responses),
                                       questions=[QuestionSummary(**q) for q in questions]))
