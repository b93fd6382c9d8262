"""Tenders along OCDS: preparing, publishing, documents, the enquiry period with published answers."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.common import PROCUREMENT, named
from services.contracts.api.tender_schemas import (
    AnswerRequest,
    DocumentCreate,
    DocumentOut,
    EnquiryCreate,
    EnquiryOut,
    EnquiryPath,
    EnquiryQuery,
    TenderCreate,
    TenderOut,
    TenderPath,
    TenderQuery,
    TenderUpdate,
)
from services.contracts.domain.tender import TENDER_LIFECYCLE
from services.contracts.events.contents import value
from services.contracts.operations import tenders
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Enquiry, Tender, TenderDocument
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

tenders_api = APIBlueprint("tenders", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                           abp_responses=problem_responses(401, 403, 422),
                           abp_tags=[Tag(name="tenders", description="Tenders along the OCDS stages")])


def serialize(tender: Tender) -> dict:
    return TenderOut(
        **{name: getattr(tender, name) for name in TenderOut.model_fields if hasattr(tender, name)
           and name != "lots"},
        value=value(tender.value_amount, tender.currency),
        minimum_step=value(tender.minimum_step_amount, tender.currency),
        lots=[{"id": lot.id, "title": lot.title, "value": value(lot.value_amount, tender.currency)}
              for lot in tender.lots],
        allowed_actions=TENDER_LIFECYCLE.allowed_actions(tender.status),
    ).model_dump(mode="json")


def tender_response(tender: Tender):
    return record_response(serialize(tender), tender.version)


@tenders_api.post("/tenders", summary="Prepare a tender for an approved plan line (status planning)",
                  responses={201: TenderOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def create_tender(body: TenderCreate):
    with unit_of_work() as uow:
        tender = tenders.create_tender(uow, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(tender), f"/api/v1/tenders/{tender.id}", tender.version)


@tenders_api.get("/tenders", summary="List tenders", responses={200: Page[TenderOut]})
@allow(*PROCUREMENT)
def list_tenders(query: TenderQuery):
    statement = select(Tender)
    statement = where_set(statement, Tender, query, ("status", "procurement_method", "plan_line_id"))
    if query.deadline_from:
        statement = statement.where(Tender.submission_deadline >= query.deadline_from)
    if query.deadline_until:
        statement = statement.where(Tender.submission_deadline <= query.deadline_until)
    statement = sort_by(statement, query.sort, Tender,
                        ("submission_deadline", "value_amount", "status", "title", "created_at"),
                        [Tender.submission_deadline.desc(), Tender.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@tenders_api.get("/tenders/<tender_id>", summary="Read a tender", responses={200: TenderOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_tender(path: TenderPath):
    with read_only() as session:
        return tender_response(find_tender(session, path.tender_id))


@tenders_api.patch("/tenders/<tender_id>", summary="Change a tender in planning (send If-Match)",
                   responses={200: TenderOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_tender(path: TenderPath, body: TenderUpdate):
    with unit_of_work() as uow:
        return tender_response(tenders.update_tender(uow, path.tender_id, body.model_dump(exclude_unset=True),
                                                     body.model_dump(mode="json", exclude_unset=True), if_match()))


def _transition_view(action: str):
    def transition(path: TenderPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return tender_response(tenders.move_tender(uow, path.tender_id, action, body.reason, if_match()))
    return named(f"{action}_tender", transition)


for _action in TENDER_LIFECYCLE.transitions:
    tenders_api.post(f"/tenders/<tender_id>/{_action}", summary=f"{_action.capitalize()} a tender",
                     responses={200: TenderOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))


# --- documents ---

def serialize_document(document: TenderDocument) -> dict:
    return DocumentOut.model_validate(document).model_dump(mode="json")


@tenders_api.post("/tenders/<tender_id>/documents", summary="Publish a document of a tender",
                  responses={201: DocumentOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def add_document(path: TenderPath, body: DocumentCreate):
    with unit_of_work() as uow:
        document = tenders.add_document(uow, path.tender_id, {
            "document_type": body.document_type.value, "title": body.title, "url": str(body.url),
            "language": body.language}, body.model_dump(mode="json"))
        return created(uow, serialize_document(document), f"/api/v1/tenders/{path.tender_id}/documents", 1)


@tenders_api.get("/tenders/<tender_id>/documents", summary="List a tender's documents",
                 responses={200: Page[DocumentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_documents(path: TenderPath, query: PageQuery):
    statement = select(TenderDocument).where(TenderDocument.tender_id == path.tender_id)
    statement = sort_by(statement, query.sort, TenderDocument, ("published_at", "title", "document_type"),
                        [TenderDocument.published_at, TenderDocument.id])
    with read_only() as session:
        find_tender(session, path.tender_id)
        return json_response(paginate(session, statement, query, serialize_document))


# --- the enquiry period: questions, and answers published to every bidder ---

def serialize_enquiry(enquiry: Enquiry) -> dict:
    return EnquiryOut.model_validate(enquiry).model_dump(mode="json")


@tenders_api.post("/tenders/<tender_id>/enquiries", summary="Record a question asked during the enquiry period",
                  responses={201: EnquiryOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def ask_question(path: TenderPath, body: EnquiryCreate):
    with unit_of_work() as uow:
        enquiry = tenders.ask_question(uow, path.tender_id, body.supplier_id, body.question,
                                       body.model_dump(mode="json"))
        return created(uow, serialize_enquiry(enquiry), f"/api/v1/tenders/{path.tender_id}/enquiries/{enquiry.id}", 1)


@tenders_api.get("/tenders/<tender_id>/enquiries", summary="List a tender's questions and published answers",
                 responses={200: Page[EnquiryOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_enquiries(path: TenderPath, query: EnquiryQuery):
    statement = select(Enquiry).where(Enquiry.tender_id == path.tender_id)
    if query.answered is not None:
        statement = statement.where(Enquiry.answer.is_not(None) if query.answered else Enquiry.answer.is_(None))
    statement = sort_by(statement, query.sort, Enquiry, ("asked_at", "answered_at"), [Enquiry.asked_at, Enquiry.id])
    with read_only() as session:
        find_tender(session, path.tender_id)
        return json_response(paginate(session, statement, query, serialize_enquiry))


@tenders_api.post("/tenders/<tender_id>/enquiries/<enquiry_id>/answer",
                  summary="Publish the answer to a question (before the submission deadline)",
                  responses={200: EnquiryOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def answer_question(path: EnquiryPath, body: AnswerRequest):
    with unit_of_work() as uow:
        enquiry = tenders.answer_question(uow, path.tender_id, path.enquiry_id, body.answer,
                                          body.model_dump(mode="json"), if_match())
        return record_response(serialize_enquiry(enquiry), enquiry.version)
