"""Visa support letters: personal data encrypted at rest, masked unless the role may read it, every read
audited; review → approve → issue with a registry number; rendered to PDF in en, ru or bg."""

from __future__ import annotations

from datetime import date

from flask import Response, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.visits.api import visa_letter_schemas as schemas
from services.visits.api.common import READERS, WRITERS, pdf_response
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.visa_letters import PERSONAL_FIELDS, LetterStatus
from services.visits.operations import visa_letters as operations
from services.visits.operations.visa_letters import PersonalDataPurged
from services.visits.operations.visits import find_visit
from services.visits.store.models import DelegationMember, VisaLetter
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, sorted_by
from shared.http.views import blueprint
from shared.http.work import audit_personal_data_read, read_only, unit_of_work
from shared.pii import reveal_or_mask

visa_letters_api = blueprint("visa_letters", __name__, "Visa support letters", tag="visa letters")
PERSONAL_DATA_READERS = ("protocol",)  # the mayor's office sees letters, masked
APPROVERS = ("mayor-office",)  # a letter goes out in the mayor's name


def may_read_personal_data() -> bool:
    return g.principal.has_any(PERSONAL_DATA_READERS)


def view(letter: VisaLetter, member: DelegationMember, may_read: bool) -> dict:
    return schemas.VisaLetterOut(
        id=letter.id, visit_id=letter.visit_id, member_id=letter.member_id, member_name=member.name_latin,
        language=letter.language, consulate=letter.consulate,
        **{name: reveal_or_mask(getattr(letter, name), may_read) for name in PERSONAL_FIELDS},
        personal_data_masked=not may_read, passport_expires_on=letter.passport_expires_on, status=letter.status,
        status_reason=letter.status_reason, registry_number=letter.registry_number, issued_on=letter.issued_on,
        version=letter.version).model_dump(mode="json")


def answer(letter: VisaLetter, member: DelegationMember, status: int = 200) -> Response:
    """The letter as the caller may see it; an unmasked answer is recorded as a read of personal data."""
    may_read = may_read_personal_data()
    body = view(letter, member, may_read)
    if may_read and letter.personal_data_purged_at is None:
        audit_personal_data_read("visa-letter", letter.id, list(PERSONAL_FIELDS))
    return record_response(body, letter.version, status)


@visa_letters_api.post("/visits/<visit_id>/visa-letters",
                       summary="Draft a visa support letter for a member from their passport data",
                       responses={201: schemas.VisaLetterOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def draft_letter(path: VisitPath, body: schemas.VisaLetterCreate):
    with unit_of_work() as uow:
        letter = operations.draft_letter(uow, path.visit_id, {**body.model_dump(), "language": body.language.value})
        return created(uow, view(letter, member_of(uow.session, letter), may_read_personal_data()),
                       f"/api/v1/visits/{path.visit_id}/visa-letters/{letter.id}", letter.version)


LETTER_ORDER = {"created_at": VisaLetter.created_at, "status": VisaLetter.status}
VisaLetterQuery = sorted_by(schemas.VisaLetterQuery, LETTER_ORDER)


@visa_letters_api.get("/visits/<visit_id>/visa-letters", summary="The visit's visa letters (personal data masked)",
                      responses={200: Page[schemas.VisaLetterOut], **problem_responses(404)})
@allow(*READERS)
def list_letters(path: VisitPath, query: VisaLetterQuery):
    statement = select(VisaLetter, DelegationMember).join(DelegationMember).where(
        VisaLetter.visit_id == path.visit_id)
    if query.status:
        statement = statement.where(VisaLetter.status == query.status)
    if query.member_id:
        statement = statement.where(VisaLetter.member_id == query.member_id)
    statement = apply_sort(statement, query.sort, LETTER_ORDER, [VisaLetter.created_at, VisaLetter.id])
    with read_only() as session:
        find_visit(session, path.visit_id)
        # A list is for finding letters: it never reveals personal data, so it never needs auditing.
        return json_response(paginate(session, statement, query, lambda row: view(row.VisaLetter,
                                                                                   row.DelegationMember, False)))


def member_of(session: Session, letter: VisaLetter) -> DelegationMember:
    return session.get_one(DelegationMember, letter.member_id)


def letter_and_member(session: Session, path: schemas.VisaLetterPath) -> tuple[VisaLetter, DelegationMember]:
    letter = find(session, VisaLetter, path.letter_id, "visa letter", visit_id=path.visit_id)
    return letter, member_of(session, letter)


@visa_letters_api.get("/visits/<visit_id>/visa-letters/<letter_id>",
                      summary="Read a visa letter; personal data is shown to protocol staff, and that read audited",
                      responses={200: schemas.VisaLetterOut, **problem_responses(404)})
@allow(*READERS)
def get_letter(path: schemas.VisaLetterPath):
    with read_only() as session:
        letter, member = letter_and_member(session, path)
    return answer(letter, member)


def transition_view(action: str, roles: tuple[str, ...]):
    def transition(path: schemas.VisaLetterPath):
        return move(path, action, None)

    transition.__name__ = f"{action}_visa_letter"
    return allow(*roles)(transition)


def move(path: schemas.VisaLetterPath, action: str, reason: str | None) -> Response:
    with unit_of_work() as uow:
        letter = operations.move_letter(uow, path.visit_id, path.letter_id, action, reason, if_match())
        body = view(letter, member_of(uow.session, letter), False)
    return record_response(body, letter.version)


TRANSITION_RESPONSES = {200: schemas.VisaLetterOut, **problem_responses(404, 409, 412)}
for _action, _roles, _summary in (("submit", WRITERS, "Submit the draft for review"),
                                  ("approve", APPROVERS, "Approve the letter (the mayor's office)"),
                                  ("issue", WRITERS, "Issue the approved letter with the next registry number")):
    visa_letters_api.post(f"/visits/<visit_id>/visa-letters/<letter_id>/{_action}", summary=_summary,
                          responses=TRANSITION_RESPONSES)(transition_view(_action, _roles))


@visa_letters_api.post("/visits/<visit_id>/visa-letters/<letter_id>/return",
                       summary="Send the letter back to draft with the reason",
                       responses={**TRANSITION_RESPONSES, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS, *APPROVERS)
def return_letter(path: schemas.VisaLetterPath, body: schemas.ReturnRequest):
    return move(path, "return", body.reason)


@visa_letters_api.get("/visits/<visit_id>/visa-letters/<letter_id>/document",
                      summary="The letter as PDF in its language (holds the passport data: protocol staff only)",
                      responses={200: None, **problem_responses(404, 409)})
@allow(*PERSONAL_DATA_READERS)
def letter_document(path: schemas.VisaLetterPath):
    with read_only() as session:
        visit = find_visit(session, path.visit_id)
        letter, member = letter_and_member(session, path)
    if letter.personal_data_purged_at is not None:
        raise PersonalDataPurged("the letter can no longer be rendered")
    audit_personal_data_read("visa-letter", letter.id, list(PERSONAL_FIELDS))
    return pdf_response("visa_letter", letter.language,
                        {"letter": letter, "member": member, "visit": visit,
                         "date_of_birth": date.fromisoformat(letter.date_of_birth),
                         "draft": letter.status != LetterStatus.ISSUED},
                        title=f"Visa support letter {letter.registry_number or '(draft)'}",
                        filename=f"visa-letter-{letter.registry_number or letter.id}.pdf")
