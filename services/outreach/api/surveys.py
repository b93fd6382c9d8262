"""Public opinion surveys: commissioned surveys, their questions, results imported from CSV, summaries."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.survey_schemas import (
    ImportOut,
    QuestionCreate,
    QuestionOut,
    QuestionSummary,
    ResultsImport,
    SurveyCreate,
    SurveyOut,
    SurveyPath,
    SurveySummary,
    SurveyUpdate,
)
from services.outreach.domain.surveys import BadRows, summarize
from services.outreach.operations import surveys as operations
from services.outreach.operations.surveys import as_question
from services.outreach.store.models import Survey, SurveyQuestion, SurveyResponse
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

surveys_api = APIBlueprint("surveys", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                           abp_responses=problem_responses(401, 403, 422),
                           abp_tags=[Tag(name="surveys", description="Public opinion surveys the office commissions")])
def serialize(survey: Survey) -> dict:
    return SurveyOut.model_validate(survey).model_dump(mode="json")


@surveys_api.post("/surveys", summary="Register a commissioned survey",
                  responses={201: SurveyOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_survey(body: SurveyCreate):
    with unit_of_work() as uow:
        survey = operations.create_survey(uow, body.model_dump(), body.model_dump(mode="json"))
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
    with unit_of_work() as uow:
        survey = operations.update_survey(uow, path.survey_id, body.model_dump(exclude_unset=True), if_match())
        return record_response(serialize(survey), survey.version)


@surveys_api.post("/surveys/<survey_id>/questions", summary="Add a question (before results are imported)",
                  responses={201: QuestionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_question(path: SurveyPath, body: QuestionCreate):
    with unit_of_work() as uow:
        question = operations.add_question(uow, path.survey_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, QuestionOut.model_validate(question).model_dump(mode="json"),
                       f"/api/v1/surveys/{question.survey_id}/questions", 1)


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
        survey, imported, total = operations.import_results(uow, path.survey_id, body.csv)
    return json_response({"survey_id": survey.id, "imported": imported, "total_responses": total})


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


@surveys_api.errorhandler(BadRows)
def on_bad_rows(error: BadRows):
    return Problem("bad-rows", str(error), errors=[
        {"field": f"csv.row[{e.row}].{e.field}", "row": e.row, "column": e.field, "message": e.message}
        for e in error.errors[:500]]).to_response()
