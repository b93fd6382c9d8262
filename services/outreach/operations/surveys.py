"""Public opinion surveys: registering them, their questions, and their results imported from CSV (all or none)."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.outreach.domain.surveys import (
    BadRows,
    Question,
    QuestionKind,
    check_question,
    parse_results,
)
from services.outreach.events import contents
from services.outreach.operations.changes import apply_changes, record_change, refuse_clearing
from services.outreach.store.models import Campaign, Survey, SurveyQuestion, SurveyResponse
from shared.db import find
from shared.kit.refusals import Conflict, Invalid, require_version
from shared.uow import UnitOfWork


def as_question(row: SurveyQuestion) -> Question:
    return Question(row.code, QuestionKind(row.kind), tuple(row.options), row.scale_min, row.scale_max)


def response_count(session: Session, survey_id: str) -> int:
    return session.scalar(select(func.count()).select_from(SurveyResponse)
                          .where(SurveyResponse.survey_id == survey_id)) or 0


def find_survey(uow: UnitOfWork, survey_id: str) -> Survey:
    return find(uow.session, Survey, survey_id, "survey")


def create_survey(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Survey:
    campaign_id = fields.get("campaign_id")
    if campaign_id and uow.session.get(Campaign, campaign_id) is None:
        raise Invalid("campaign_id", f"no campaign {campaign_id}")
    survey = Survey(**fields, version=1, created_by=uow.actor)
    uow.session.add(survey)
    record_change(uow, "survey", "created", survey, contents.survey, changes)
    return survey


def update_survey(uow: UnitOfWork, survey_id: str, changes: dict[str, Any],
                  expected_version: frozenset[int] | None) -> Survey:
    refuse_clearing(changes, ("title", "commissioned_from"))
    survey = find_survey(uow, survey_id)
    require_version(survey.version, expected_version)
    if changes:
        apply_changes(survey, changes)
        record_change(uow, "survey", "updated", survey, contents.survey, changes)
    return survey


def add_question(uow: UnitOfWork, survey_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> SurveyQuestion:
    """A question, its code new to the survey; the questions are fixed once results are imported."""
    check_question(Question(fields["code"], fields["kind"], tuple(fields["options"]), fields["scale_min"],
                            fields["scale_max"]))
    survey = find_survey(uow, survey_id)
    if response_count(uow.session, survey.id):
        raise Conflict("questions are fixed once results are imported", slug="results-imported")
    codes = set(uow.session.scalars(select(SurveyQuestion.code).where(SurveyQuestion.survey_id == survey.id)))
    if fields["code"] in codes:
        raise Invalid("code", f"this survey already has a question {fields['code']}")
    question = SurveyQuestion(**fields, survey_id=survey.id, position=len(codes) + 1)
    uow.session.add(question)
    record_change(uow, "survey-question", "added", question, contents.survey_question, changes)
    return question


def import_results(uow: UnitOfWork, survey_id: str, csv: str) -> tuple[Survey, int, int]:
    """Every row of the file, or BadRows naming each problem; the survey, the rows imported, its responses now."""
    survey = find_survey(uow, survey_id)
    questions = [as_question(row) for row in uow.session.scalars(
        select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id))]
    known = set(uow.session.scalars(select(SurveyResponse.respondent_id).where(
        SurveyResponse.survey_id == survey.id)))
    parsed = parse_results(csv, questions, known)
    if parsed.errors:
        raise BadRows(parsed.errors)
    uow.session.add_all(SurveyResponse(survey_id=survey.id, respondent_id=respondent, answers=answers)
                        for respondent, answers in parsed.responses)
    uow.session.flush()
    total = response_count(uow.session, survey.id)
    results = partial(contents.survey_results, imported=len(parsed.responses), total_responses=total)
    record_change(uow, "survey", "results-imported", survey, results, results(survey))
    return survey, len(parsed.responses), total
