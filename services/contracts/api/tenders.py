"""Tenders along OCDS: preparing, publishing, documents, the enquiry period with published answers."""

from __future__ import annotations

from sqlalchemy import Select

from services.contracts.api import tender_schemas as schemas
from services.contracts.api.common import PROCUREMENT
from services.contracts.domain.tender import TENDER_LIFECYCLE
from services.contracts.events.contents import value
from services.contracts.operations import tenders
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Enquiry, Tender, TenderDocument
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS
from shared.http.resources import PageQuery, created, idempotent
from shared.http.views import Resource, acting, blueprint, changes, fields, within
from shared.http.work import unit_of_work

tenders_api = blueprint("tenders", __name__, "Tenders along the OCDS stages")


def serialize(tender: Tender) -> dict:
    return schemas.TenderOut(
        **{name: getattr(tender, name) for name in schemas.TenderOut.model_fields if hasattr(tender, name)
           and name != "lots"},
        value=value(tender.value_amount, tender.currency),
        minimum_step=value(tender.minimum_step_amount, tender.currency),
        lots=[{"id": lot.id, "title": lot.title, "value": value(lot.value_amount, tender.currency)}
              for lot in tender.lots],
        allowed_actions=TENDER_LIFECYCLE.allowed_actions(tender.status),
    ).model_dump(mode="json")


TENDERS = Resource(tenders_api, "/tenders", "tender_id", Tender, schemas.TenderOut, PROCUREMENT, PROCUREMENT,
                   serialize=serialize)
TENDERS.create("create_tender", "Prepare a tender for an approved plan line (status planning)", schemas.TenderCreate,
               fields(tenders.create_tender), problems=(404, 409))
TENDERS.listing("list_tenders", "List tenders", schemas.TenderQuery, filters=("status", "procurement_method",
                                                                              "plan_line_id"),
                narrow=(within(Tender.submission_deadline, "deadline_from", "deadline_until"),),
                sortable=("submission_deadline", "value_amount", "status", "title", "created_at"),
                order=("-submission_deadline",))
TENDERS.read("get_tender", "Read a tender", schemas.TenderPath)
TENDERS.change("update_tender", "Change a tender in planning (send If-Match)", schemas.TenderPath, schemas.TenderUpdate,
               changes(tenders.update_tender), problems=(404, 409, 412))
TENDERS.transitions(schemas.TenderPath, tenders.move_tender, TENDER_LIFECYCLE)


# --- documents ---

DOCUMENTS = Resource(tenders_api, "/tenders/<tender_id>/documents", "document_id", TenderDocument, schemas.DocumentOut,
                     PROCUREMENT, PROCUREMENT)


@tenders_api.post("/tenders/<tender_id>/documents", summary="Publish a document of a tender",
                  responses={201: schemas.DocumentOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def add_document(path: schemas.TenderPath, body: schemas.DocumentCreate):
    with unit_of_work() as uow:
        document = tenders.add_document(uow, path.tender_id, {
            "document_type": body.document_type.value, "title": body.title, "url": str(body.url),
            "language": body.language}, body.model_dump(mode="json"))
        return created(uow, DOCUMENTS.data(document), f"/api/v1/tenders/{path.tender_id}/documents", 1)


DOCUMENTS.listing("list_documents", "List a tender's documents", PageQuery, path=schemas.TenderPath, parent=find_tender,
                  sortable=("published_at", "title", "document_type"), order=("published_at",))


# --- the enquiry period: questions, and answers published to every bidder ---

def answered(statement: Select, query: schemas.EnquiryQuery) -> Select:
    if query.answered is not None:
        statement = statement.where(Enquiry.answer.is_not(None) if query.answered else Enquiry.answer.is_(None))
    return statement


ENQUIRIES = Resource(tenders_api, "/tenders/<tender_id>/enquiries", "enquiry_id", Enquiry, schemas.EnquiryOut,
                     PROCUREMENT,
                     PROCUREMENT)
ENQUIRIES.create("ask_question", "Record a question asked during the enquiry period", schemas.EnquiryCreate,
                 lambda uow, ids, body: tenders.ask_question(uow, *ids, body.supplier_id, body.question,
                                                             body.model_dump(mode="json")),
                 path=schemas.TenderPath, problems=(404, 409))
ENQUIRIES.listing("list_enquiries", "List a tender's questions and published answers", schemas.EnquiryQuery,
                  path=schemas.TenderPath,
                  parent=find_tender, narrow=(answered,), sortable=("asked_at", "answered_at"), order=("asked_at",))
ENQUIRIES.act("answer", "answer_question", "Publish the answer to a question (before the submission deadline)",
              schemas.EnquiryPath, acting(tenders.answer_question, "answer"),
              body=schemas.AnswerRequest)
