"""Public opinion surveys: commissioned surveys, their questions, results imported from CSV, summaries."""

from __future__ import annotations

from sqlalchemy import select

from services.outreach.api import survey_schemas as schemas
from services.outreach.api.common import READERS, WRITERS
from services.outreach.domain.surveys import BadRows, summarize
from services.outreach.operations import surveys as operations
from services.outreach.operations.surveys import as_question
from services.outreach.store.models import Survey, SurveyQuestion, SurveyResponse
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate
from shared.http.views import Resource, blueprint, fields
from shared.http.work import read_only, unit_of_work

surveys_api = blueprint("surveys", __name__, "Public opinion surveys the office commissions")
SURVEYS = Resource(surveys_api, "/surveys", "survey_id", Survey, schemas.SurveyOut, READERS, WRITERS)
SURVEYS.create("create_survey", "Register a commissioned survey", schemas.SurveyCreate,
               fields(operations.create_survey))
SURVEYS.listing("list_surveys", "List surveys", PageQuery, sortable=("title", "fieldwork_from", "created_at"),
                order=("-fieldwork_from",))
SURVEYS.read("get_survey", "Read a survey", schemas.SurveyPath)
SURVEYS.change("update_survey", "Change a survey's title, purpose or pollster (send If-Match)", schemas.SurveyPath,
               schemas.SurveyUpdate,
               lambda uow, ids, body: operations.update_survey(uow, *ids, body.model_dump(exclude_unset=True),
                                                               if_match()))


@surveys_api.post("/surveys/<survey_id>/questions", summary="Add a question (before results are imported)",
                  responses={201: schemas.QuestionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_question(path: schemas.SurveyPath, body: schemas.QuestionCreate):
    with unit_of_work() as uow:
        question = operations.add_question(uow, path.survey_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, schemas.QuestionOut.model_validate(question).model_dump(mode="json"),
                       f"/api/v1/surveys/{question.survey_id}/questions", 1)


@surveys_api.get("/surveys/<survey_id>/questions", summary="A survey's questions in order",
                 responses={200: Page[schemas.QuestionOut], **problem_responses(404)})
@allow(*READERS)
def list_questions(path: schemas.SurveyPath, query: PageQuery):
    statement = select(SurveyQuestion).where(SurveyQuestion.survey_id == path.survey_id).order_by(
        SurveyQuestion.position)
    with read_only() as session:
        find(session, Survey, path.survey_id, "survey")
        return json_response(paginate(session, statement, query,
                                      lambda q: schemas.QuestionOut.model_validate(q).model_dump(mode="json")))


@surveys_api.post("/surveys/<survey_id>/results",
                  summary="Import results from CSV: every row or, if any row is bad, none (each problem named)",
                  responses={200: schemas.ImportOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
def import_results(path: schemas.SurveyPath, body: schemas.ResultsImport):
    with unit_of_work() as uow:
        survey, imported, total = operations.import_results(uow, path.survey_id, body.csv)
    return json_response({"survey_id": survey.id, "imported": imported, "total_responses": total})


@surveys_api.get("/surveys/<survey_id>/summary", summary="What the answers say, question by question",
                 responses={200: schemas.SurveySummary, **problem_responses(404)})
@allow(*READERS)
def survey_summary(path: schemas.SurveyPath):
    with read_only() as session:
        find(session, Survey, path.survey_id, "survey")
        rows = session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == path.survey_id)
                               .order_by(SurveyQuestion.position)).all()
        responses = session.scalars(select(SurveyResponse.answers).where(
            SurveyResponse.survey_id == path.survey_id)).all()
    questions = [{**summarize(as_question(row), [r[row.code] for r in responses if row.code in r]),
                  "text": row.text} for row in rows]
    return json_response(schemas.SurveySummary(survey_id=path.survey_id, responses=len(responses),
                                       questions=[schemas.QuestionSummary(**q) for q in questions]))


@surveys_api.errorhandler(BadRows)
def on_bad_rows(error: BadRows):
    return Problem("bad-rows", str(error), errors=[
        {"field": f"csv.row[{e.row}].{e.field}", "row": e.row, "column": e.field, "message": e.message}
        for e in error.errors[:500]]).to_response()
