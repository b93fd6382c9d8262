"""Public opinion surveys: their questions, results read from CSV (all rows or none), summaries per question."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from shared.kit.refusals import Invalid, Refusal

RESPONDENT = "respondent_id"
MAX_TEXT_ANSWER = 2000


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"


@dataclass(frozen=True)
class Question:
    code: str
    kind: QuestionKind
    options: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5


class InvalidQuestion(Invalid):
    pass


def check_question(question: Question) -> None:
    if question.kind == QuestionKind.SINGLE_CHOICE and len(set(question.options)) < 2:
        raise InvalidQuestion("options", "a single-choice question needs at least two different options")
    if question.kind != QuestionKind.SINGLE_CHOICE and question.options:
        raise InvalidQuestion("options", "only single-choice questions have options")
    if question.kind == QuestionKind.SCALE and question.scale_min >= question.scale_max:
        raise InvalidQuestion("scale_max", "a scale runs from a smaller to a larger number")


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    field: str
    message: str


class BadRows(Refusal):
    """A results file with bad rows: nothing of it is imported; `errors` names each problem."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problems; nothing was imported")
        self.errors = errors


@dataclass
class ParsedResults:
    responses: list[tuple[str, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_answer(question: Question, value: str) -> str | int | float:
    """The answer a cell holds, or ValueError saying why it cannot be one."""
    if question.kind == QuestionKind.SINGLE_CHOICE:
        if value not in question.options:
            raise ValueError(f"{value!r} is not one of {', '.join(question.options)}")
        return value
    if question.kind == QuestionKind.SCALE:
        number = int(value)
        if not question.scale_min <= number <= question.scale_max:
            raise ValueError(f"{number} is outside {question.scale_min}..{question.scale_max}")
        return number
    if question.kind == QuestionKind.NUMBER:
        amount = float(value)
        if amount != amount or amount in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not a finite number")
        return amount
    if len(value) > MAX_TEXT_ANSWER or "\x00" in value:
        raise ValueError(f"longer than {MAX_TEXT_ANSWER} characters or not text")
    return value


def parse_results(text: str, questions: list[Question], known_respondents: set[str]) -> ParsedResults:
    """Every respondent's answers, or every problem found (row and field named); never a part of the file."""
    parsed = ParsedResults()
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    by_code = {question.code: question for question in questions}
    if RESPONDENT not in header:
        parsed.errors.append(RowError(1, RESPONDENT, "the header must have a respondent_id column"))
    parsed.errors += [RowError(1, name, "no question has this code") for name in header
                      if name != RESPONDENT and name not in by_code]
    if parsed.errors:
        return parsed
    seen = set(known_respondents)
    for row_number, row in enumerate(reader, start=2):
        if None in row:
            parsed.errors.append(RowError(row_number, "row", "more cells than the header has columns"))
            continue
        respondent = (row.get(RESPONDENT) or "").strip()
        if not respondent or len(respondent) > 100:
            parsed.errors.append(RowError(row_number, RESPONDENT, "missing or longer than 100 characters"))
            continue
        if respondent in seen:
            parsed.errors.append(RowError(row_number, RESPONDENT, f"{respondent!r} was imported already"))
            continue
        seen.add(respondent)
        answers = {}
        for code, value in row.items():
            if code == RESPONDENT or value is None or not value.strip():
                continue
            try:
                answers[code] = parse_answer(by_code[code], value.strip())
            except ValueError as error:
                parsed.errors.append(RowError(row_number, code, str(error)))
        parsed.responses.append((respondent, answers))
    if parsed.errors:
        parsed.responses = []
    return parsed


def summarize(question: Question, answers: list) -> dict:
    """What one question's answers say: counts and shares of options, or the spread of numbers."""
    summary: dict = {"code": question.code, "kind": question.kind.value, "answered": len(answers)}
    if question.kind == QuestionKind.SINGLE_CHOICE:
        counts = Counter(answers)
        summary["options"] = [{"option": option, "count": counts[option],
                               "share": round(counts[option] / len(answers), 4) if answers else None}
                              for option in question.options]
    elif question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER) and answers:
        summary.update(mean=round(statistics.fmean(answers), 4), median=statistics.median(answers),
                       minimum=min(answers), maximum=max(answers))
    return summary
