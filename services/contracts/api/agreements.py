"""Cooperation agreements: drafted with their plan of activities, signed, amended, terminated; each change an
event that outreach's consolidated plan follows (docs/decisions/0035)."""

from __future__ import annotations

from datetime import timedelta

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.agreement_schemas import (
    AgreementAmendmentCreate,
    AgreementAmendmentOut,
    AgreementCreate,
    AgreementDocumentCreate,
    AgreementDocumentOut,
    AgreementOut,
    AgreementPath,
    AgreementQuery,
    AgreementUpdate,
    SignRequest,
)
from services.contracts.api.common import PROCUREMENT, named, now, own_settings
from services.contracts.domain.agreement import AGREEMENT_LIFECYCLE, AgreementStatus, days_to_expiry, is_expiring
from services.contracts.operations import agreements
from services.contracts.operations.agreements import find_agreement
from services.contracts.store.models import Agreement, AgreementAmendment, AgreementDocument
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

agreements_api = APIBlueprint("agreements", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                              abp_responses=problem_responses(401, 403, 422),
                              abp_tags=[Tag(name="agreements",
                                            description="Cooperation agreements and their plans of activities")])


def serialize(agreement: Agreement) -> dict:
    """The agreement as the API shows it today."""
    status, today = AgreementStatus(agreement.status), now().date()
    return AgreementOut(
        **{name: getattr(agreement, name) for name in AgreementOut.model_fields if hasattr(agreement, name)
           and name != "activities"},
        activities=[{"id": a.id, "title": a.title, "due_on": a.due_on, "responsible_body": a.responsible_body}
                    for a in agreement.activities],
        expires_in_days=days_to_expiry(agreement.valid_until, today) if status == AgreementStatus.SIGNED else None,
        expiring=is_expiring(status, agreement.valid_until, today, own_settings().agreement_notice_days),
        allowed_actions=AGREEMENT_LIFECYCLE.allowed_actions(status),
    ).model_dump(mode="json")


def agreement_response(agreement: Agreement):
    return record_response(serialize(agreement), agreement.version)


def activities(items) -> list[dict]:
    return [item.model_dump() for item in items]


@agreements_api.post("/agreements", summary="Draft a cooperation agreement with its plan of activities",
                     responses={201: AgreementOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def draft_agreement(body: AgreementCreate):
    with unit_of_work() as uow:
        agreement = agreements.draft_agreement(uow, body.model_dump(exclude={"activities"}),
                                               activities(body.activities), body.model_dump(mode="json"))
        return created(uow, serialize(agreement), f"/api/v1/agreements/{agreement.id}", agreement.version)


@agreements_api.get("/agreements", summary="List agreements; `expiring_within_days` shows expiry ahead",
                    responses={200: Page[AgreementOut]})
@allow(*PROCUREMENT)
def list_agreements(query: AgreementQuery):
    statement = select(Agreement)
    statement = where_set(statement, Agreement, query, ("status", "country", "partner_id"))
    if query.expiring_within_days is not None:
        today = now().date()
        statement = statement.where(Agreement.status == AgreementStatus.SIGNED.value,
                                    Agreement.valid_until >= today,
                                    Agreement.valid_until <= today + timedelta(days=query.expiring_within_days))
    statement = sort_by(statement, query.sort, Agreement,
                        ("valid_until", "valid_from", "signed_on", "country", "partner_name", "created_at"),
                        [Agreement.valid_until, Agreement.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@agreements_api.get("/agreements/<agreement_id>", summary="Read an agreement with its plan of activities",
                    responses={200: AgreementOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_agreement(path: AgreementPath):
    with read_only() as session:
        return agreement_response(find_agreement(session, path.agreement_id))


@agreements_api.patch("/agreements/<agreement_id>", summary="Change a draft agreement (send If-Match)",
                      responses={200: AgreementOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_agreement(path: AgreementPath, body: AgreementUpdate):
    with unit_of_work() as uow:
        return agreement_response(agreements.update_agreement(
            uow, path.agreement_id, body.model_dump(exclude_unset=True),
            body.model_dump(mode="json", exclude_unset=True), if_match()))


@agreements_api.post("/agreements/<agreement_id>/sign", summary="Sign the agreement with its plan of activities",
                     responses={200: AgreementOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def sign_agreement(path: AgreementPath, body: SignRequest):
    with unit_of_work() as uow:
        return agreement_response(agreements.sign_agreement(uow, path.agreement_id, body.signed_on, body.signatories,
                                                            body.model_dump(mode="json"), if_match()))


@agreements_api.post("/agreements/<agreement_id>/amendments",
                     summary="Amend a signed agreement (validity, areas, plan of activities), with the rationale",
                     responses={201: AgreementAmendmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def amend_agreement(path: AgreementPath, body: AgreementAmendmentCreate):
    with unit_of_work() as uow:
        amendment = agreements.amend_agreement(
            uow, path.agreement_id, body.rationale, body.valid_until, body.areas,
            None if body.activities is None else activities(body.activities), if_match())
        out = AgreementAmendmentOut.model_validate(amendment).model_dump(mode="json")
        return created(uow, out, f"/api/v1/agreements/{path.agreement_id}/amendments/{amendment.id}", 1)


@agreements_api.get("/agreements/<agreement_id>/amendments", summary="List an agreement's amendments",
                    responses={200: Page[AgreementAmendmentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_agreement_amendments(path: AgreementPath, query: PageQuery):
    statement = select(AgreementAmendment).where(AgreementAmendment.agreement_id == path.agreement_id)
    statement = sort_by(statement, query.sort, AgreementAmendment, ("amended_at",),
                        [AgreementAmendment.amended_at, AgreementAmendment.id])
    with read_only() as session:
        find_agreement(session, path.agreement_id)
        return json_response(paginate(session, statement, query,
                                      lambda a: AgreementAmendmentOut.model_validate(a).model_dump(mode="json")))


def _transition_view(action: str):
    def transition(path: AgreementPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return agreement_response(agreements.move_agreement(uow, path.agreement_id, action, body.reason,
                                                                if_match()))
    return named(f"{action}_agreement", transition)


for _action, _summary in (("terminate", "Terminate a signed agreement, with a reason"),
                          ("cancel", "Cancel a draft agreement, with a reason")):
    agreements_api.post(f"/agreements/<agreement_id>/{_action}", summary=_summary,
                        responses={200: AgreementOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))


# --- documents ---

@agreements_api.post("/agreements/<agreement_id>/documents", summary="Attach a document to an agreement",
                     responses={201: AgreementDocumentOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def add_agreement_document(path: AgreementPath, body: AgreementDocumentCreate):
    with unit_of_work() as uow:
        document = agreements.add_document(uow, path.agreement_id, {
            "title": body.title, "url": str(body.url), "language": body.language}, body.model_dump(mode="json"))
        out = AgreementDocumentOut.model_validate(document).model_dump(mode="json")
        return created(uow, out, f"/api/v1/agreements/{path.agreement_id}/documents/{document.id}", 1)


@agreements_api.get("/agreements/<agreement_id>/documents", summary="List an agreement's documents",
                    responses={200: Page[AgreementDocumentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_agreement_documents(path: AgreementPath, query: PageQuery):
    statement = select(AgreementDocument).where(AgreementDocument.agreement_id == path.agreement_id)
    statement = sort_by(statement, query.sort, AgreementDocument, ("added_at",),
                        [AgreementDocument.added_at, AgreementDocument.id])
    with read_only() as session:
        find_agreement(session, path.agreement_id)
        return json_response(paginate(session, statement, query,
                                      lambda d: AgreementDocumentOut.model_validate(d).model_dump(mode="json")))
