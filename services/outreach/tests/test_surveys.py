"""Surveys: questions, CSV results imported whole or not at all (bad rows named), summaries per question."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.outreach.domain.surveys import Question, QuestionKind, parse_results, summarize
from services.outreach.store.models import SurveyResponse
from services.outreach.tests.conftest import assert_problem

SURVEY = {"title": "How residents see the city's twin towns", "commissioned_from": "Alpha Research",
          "fieldwork_from": "2027-02-01", "fieldwork_until": "2027-02-14"}
QUESTIONS = [
    {"code": "knows_twin", "text": "Do you know that Sofia is our twin city?", "kind": "single_choice",
     "options": ["yes", "no", "not sure"]},
    {"code": "importance", "text": "How important are ties with twin cities?", "kind": "scale", "scale_min": 1,
     "scale_max": 5},
    {"code": "age", "text": "Your age", "kind": "number"},
    {"code": "comment", "text": "Anything else?", "kind": "text"},
]
GOOD = "respondent_id,knows_twin,importance,age,comment\nr1,yes,4,34,\"Más, please\"\nr2,not sure,2,61,\nr3,yes,,,\n"


@pytest.fixture
def survey(outreach):
    survey = outreach.create("/api/v1/surveys", SURVEY)
    for question in QUESTIONS:
        outreach.create(f"/api/v1/surveys/{survey['id']}/questions", question)
    return survey["id"]


def import_csv(outreach, survey_id, text):
    return outreach.call("POST", f"/api/v1/surveys/{survey_id}/results", {"csv": text}, roles="outreach")


def test_results_are_imported_and_summarized_per_question(outreach, survey):
    response = import_csv(outreach, survey, GOOD)
    assert response.status_code == 200, response.json
    assert response.json == {"survey_id": survey, "imported": 3, "total_responses": 3}
    summary = outreach.call("GET", f"/api/v1/surveys/{survey}/summary", roles="mayor-office").json
    by_code = {question["code"]: question for question in summary["questions"]}
    assert summary["responses"] == 3
    assert by_code["knows_twin"]["options"] == [{"option": "yes", "count": 2, "share": round(2 / 3, 4)},
                                                {"option": "no", "count": 0, "share": 0.0},
                                                {"option": "not sure", "count": 1, "share": round(1 / 3, 4)}]
    assert (by_code["importance"]["answered"], by_code["importance"]["mean"]) == (2, 3.0)
    assert (by_code["age"]["minimum"], by_code["age"]["maximum"]) == (34, 61)
    assert by_code["comment"]["answered"] == 1
    assert outreach.outbox_types()[-1] == "chancery.outreach.survey.results-imported.v1"
    assert "Más" not in repr(outreach.outbox())


def test_a_file_with_bad_rows_names_each_row_and_field_and_imports_nothing(outreach, survey):
    text = ("respondent_id,knows_twin,importance,age,comment\n"
            "r1,yes,4,34,\n"
            "r2,maybe,9,,\n"
            "r3,no,x,old,\n"
            ",no,1,1,\n"
            "r1,no,1,1,\n")
    before = outreach.writes()
    problem = assert_problem(import_csv(outreach, survey, text), 422)
    found = {(error["row"], error["column"]) for error in problem["errors"]}
    assert found == {(3, "knows_twin"), (3, "importance"), (4, "importance"), (4, "age"), (5, "respondent_id"),
                     (6, "respondent_id")}
    assert "csv.row[3].knows_twin" in {error["field"] for error in problem["errors"]}
    assert outreach.count(SurveyResponse) == 0 and outreach.writes() == before


def test_a_header_naming_an_unknown_question_is_refused_at_row_1(outreach, survey):
    problem = assert_problem(import_csv(outreach, survey, "respondent_id,favourite_colour\nr1,blue\n"), 422)
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [(1, "favourite_colour")]


def test_a_respondent_imported_before_cannot_be_imported_again_and_questions_are_then_fixed(outreach, survey):
    import_csv(outreach, survey, GOOD)
    problem = assert_problem(import_csv(outreach, survey, "respondent_id,knows_twin\nr4,no\nr2,no\n"), 422)
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [(3, "respondent_id")]
    assert outreach.count(SurveyResponse) == 3
    late = outreach.call("POST", f"/api/v1/surveys/{survey}/questions",
                         {"code": "late", "text": "?", "kind": "text"}, roles="outreach")
    assert_problem(late, 409)


@pytest.mark.parametrize(("question", "field"), [
    ({"code": "q", "text": "?", "kind": "single_choice", "options": ["only"]}, "options"),
    ({"code": "q", "text": "?", "kind": "scale", "scale_min": 5, "scale_max": 1}, "scale_max"),
    ({"code": "Q 1", "text": "?", "kind": "text"}, "code"),
    ({"code": "knows_twin", "text": "again", "kind": "text"}, "code"),
])
def test_a_malformed_question_is_refused_naming_the_field(outreach, survey, question, field):
    response = outreach.call("POST", f"/api/v1/surveys/{survey}/questions", question, roles="outreach")
    assert_problem(response, 422, field)


@given(st.lists(st.sampled_from(["yes", "no", "maybe", ""]), min_size=1, max_size=20))
def test_a_file_is_either_imported_whole_or_not_at_all(cells):
    question = Question("q", QuestionKind.SINGLE_CHOICE, ("yes", "no"))
    text = "respondent_id,q\n" + "".join(f"r{n},{cell}\n" for n, cell in enumerate(cells))
    parsed = parse_results(text, [question], set())
    if "maybe" in cells:
        assert parsed.responses == [] and {e.row for e in parsed.errors} == {
            n + 2 for n, cell in enumerate(cells) if cell == "maybe"}
    else:
        assert len(parsed.responses) == len(cells) and parsed.errors == []


def test_a_question_nobody_answered_has_no_mean_rather_than_an_error():
    assert summarize(Question("s", QuestionKind.SCALE), []) == {"code": "s", "kind": "scale", "answered": 0}
