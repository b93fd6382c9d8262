"""Tenders along OCDS: preparing, publishing, documents, the enquiry period with published answers."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.common import (
    BODY_PROBLEMS,
    PROCUREMENT,
    advance,
    conflict,
    contracts_settings,
    find,
    invalid,
    named,
    now,
    record_response,
)
from services.contracts.api.plan import emit as emit_plan_line
from services.contracts.api.schemas import TransitionRequest
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
from services.contracts.domain.award import Criterion, EvaluationProblem
from services.contracts.domain.plan import PLAN_LINE_LIFECYCLE, PlanLineStatus
from services.contracts.domain.tender import (
    EDITABLE,
    TENDER_LIFECYCLE,
    TenderProblem,
    TenderStatus,
    check_answer_accepted,
    check_award_criteria,
    check_periods,
    check_publishable,
    check_question_accepted,
    check_tender_values,
)
from services.contracts.store.models import Enquiry, Lot, PlanLine, Supplier, Tender, TenderDocument, new_id
from shared.http.auth import allow
from shared.http.problems import problem_responses
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
from shared.uow import UnitOfWork

tenders_api = APIBlueprint("tenders", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                           abp_responses=problem_responses(401, 403, 422),
                           abp_tags=[Tag(name="tenders", description="Tenders along the OCDS stages")])
TENDER_EVENT_FIELDS = ("id", "ocid", "plan_line_id", "title", "procurement_method", "main_procurement_category",
                       "award_criteria", "criteria", "value", "minimum_step", "enquiry_ends_at", "submission_deadline",
                       "lots", "status", "status_reason", "version")


def value(amount, currency) -> dict | None:
    return None if amount is None else {"amount": amount, "currency": currency}


def serialize(tender: Tender) -> dict:
    return TenderOut(
        **{name: getattr(tender, name) for name in TenderOut.model_fields if hasattr(tender, name)
           and name != "lots"},
        value=value(tender.value_amount, tender.currency),
        minimum_step=value(tender.minimum_step_amount, tender.currency),
        lots=[{"id": lot.id, "title": lot.title, "value": value(lot.value_amount, tender.currency)}
              for lot in tender.lots],
        allowed_actions=TENDER_LIFECYCLE.allowed_actions(TenderStatus(tender.status)),
    ).model_dump(mode="json")


def emit(uow: UnitOfWork, tender: Tender, action: str, changes: dict) -> None:
    uow.session.flush()
    uow.session.refresh(tender, ["lots"])
    body = serialize(tender)
    uow.emit(f"chancery.contracts.tender.{action}.v1", tender.id,
             {name: body[name] for name in TENDER_EVENT_FIELDS})
    uow.audit(f"tender.{action}", "tender", tender.id, changes)


def tender_problem(error: TenderProblem):
    return invalid(error.field, error)


def pair(model_value) -> tuple | None:
    return None if model_value is None else (model_value.amount, model_value.currency)


@tenders_api.post("/tenders", summary="Prepare a tender for an approved plan line (status planning)",
                  responses={201: TenderOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def create_tender(body: TenderCreate):
    with unit_of_work() as uow:
        line = find(uow.session, PlanLine, body.plan_line_id, "plan line", for_update=True)
        if line.status != PlanLineStatus.APPROVED:
            raise conflict(f"a tender is announced for an approved plan line; this one is {line.status}",
                           PLAN_LINE_LIFECYCLE.allowed_actions(PlanLineStatus(line.status)))
        try:
            check_periods(body.enquiry_ends_at, body.submission_deadline)
            check_award_criteria(body.award_criteria, [Criterion(c.name, c.weight) for c in body.criteria or []]
                                 if body.criteria is not None else None)
            check_tender_values(method=line.procurement_method, budget=(line.budget_amount, line.currency),
                                value=pair(body.value), lots=[pair(lot.value) for lot in body.lots],
                                minimum_step=pair(body.minimum_step))
        except (TenderProblem, EvaluationProblem) as error:
            raise tender_problem(error) from error
        tender_id = new_id()
        tender = Tender(
            id=tender_id, ocid=f"{contracts_settings().ocid_prefix}-{tender_id}", plan_line_id=line.id,
            title=body.title, description=body.description, procurement_method=line.procurement_method,
            main_procurement_category=body.main_procurement_category.value,
            award_criteria=body.award_criteria.value, value_amount=body.value.amount,
            criteria=[{"name": c.name, "weight": str(c.weight)} for c in body.criteria] if body.criteria else None,
            currency=body.value.currency,
            minimum_step_amount=body.minimum_step.amount if body.minimum_step else None,
            enquiry_ends_at=body.enquiry_ends_at, submission_deadline=body.submission_deadline,
            status=TenderStatus.PLANNING.value, version=1, created_by=uow.actor)
        uow.session.add(tender)
        uow.session.flush()
        lots = [(lot.title, lot.value.amount) for lot in body.lots] or [(body.title, body.value.amount)]
        uow.session.add_all(Lot(tender_id=tender.id, position=position, title=title, value_amount=amount)
                            for position, (title, amount) in enumerate(lots, start=1))
        line.status, line.version = PlanLineStatus.TENDERED.value, line.version + 1
        emit_plan_line(uow, line, "tendered", {"status": ["approved", "tendered"], "tender_id": tender.id})
        emit(uow, tender, "created", body.model_dump(mode="json"))
        return created(uow, serialize(tender), f"/api/v1/tenders/{tender.id}", tender.version)


@tenders_api.get("/tenders", summary="List tenders", responses={200: Page[TenderOut]})
@allow(*PROCUREMENT)
def list_tenders(query: TenderQuery):
    statement = select(Tender)
    for name in ("status", "procurement_method", "plan_line_id"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Tender, name) == getattr(query, name))
    if query.deadline_from:
        statement = statement.where(Tender.submission_deadline >= query.deadline_from)
    if query.deadline_until:
        statement = statement.where(Tender.submission_deadline <= query.deadline_until)
    sortable = {name: getattr(Tender, name) for name in ("submission_deadline", "value_amount", "status", "title",
                                                          "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Tender.submission_deadline.desc(), Tender.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@tenders_api.get("/tenders/<tender_id>", summary="Read a tender", responses={200: TenderOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_tender(path: TenderPath):
    with read_only() as session:
        tender = find(session, Tender, path.tender_id, "tender")
        return record_response(serialize(tender), tender.version)


@tenders_api.patch("/tenders/<tender_id>", summary="Change a tender in planning (send If-Match)",
                   responses={200: TenderOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_tender(path: TenderPath, body: TenderUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        tender = find(uow.session, Tender, path.tender_id, "tender", for_update=True)
        require_fresh(tender.version)
        if TenderStatus(tender.status) not in EDITABLE:
            raise conflict(f"a tender that is {tender.status} can no longer be changed",
                           TENDER_LIFECYCLE.allowed_actions(TenderStatus(tender.status)))
        if not changes:
            return record_response(serialize(tender), tender.version)
        for name, new_value in changes.items():
            setattr(tender, name, new_value)
        try:
            check_periods(tender.enquiry_ends_at, tender.submission_deadline)
        except TenderProblem as error:
            raise tender_problem(error) from error
        tender.version += 1
        emit(uow, tender, "updated", body.model_dump(mode="json", exclude_unset=True))
        return record_response(serialize(tender), tender.version)


def _transition_view(action: str):
    def transition(path: TenderPath, body: TransitionRequest):
        with unit_of_work() as uow:
            tender = find(uow.session, Tender, path.tender_id, "tender", for_update=True)
            require_fresh(tender.version)
            previous = advance(TENDER_LIFECYCLE, TenderStatus, tender, action, body.reason)  # 409 comes first
            if action == "publish":
                try:
                    check_publishable(tender.enquiry_ends_at, tender.submission_deadline, now())
                except TenderProblem as error:
                    raise tender_problem(error) from error  # the unit of work rolls the status back
                tender.published_at = now()
            emit(uow, tender, TENDER_LIFECYCLE.event_action[action],
                 {"status": [previous, tender.status], "reason": body.reason})
            return record_response(serialize(tender), tender.version)
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
        tender = find(uow.session, Tender, path.tender_id, "tender")
        if tender.status not in (TenderStatus.PLANNING, TenderStatus.ACTIVE):
            raise conflict(f"documents are added to a tender in planning or active, not {tender.status}",
                           TENDER_LIFECYCLE.allowed_actions(TenderStatus(tender.status)))
        document = TenderDocument(tender_id=tender.id, document_type=body.document_type.value, title=body.title,
                                  url=str(body.url), language=body.language, published_at=now(),
                                  created_by=uow.actor)
        uow.session.add(document)
        uow.session.flush()
        body_out = serialize_document(document)
        uow.emit("chancery.contracts.tender-document.published.v1", document.id, body_out)
        uow.audit("tender-document.published", "tender-document", document.id, body.model_dump(mode="json"))
        return created(uow, body_out, f"/api/v1/tenders/{tender.id}/documents", 1)


@tenders_api.get("/tenders/<tender_id>/documents", summary="List a tender's documents",
                 responses={200: Page[DocumentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_documents(path: TenderPath, query: PageQuery):
    statement = select(TenderDocument).where(TenderDocument.tender_id == path.tender_id)
    sortable = {name: getattr(TenderDocument, name) for name in ("published_at", "title", "document_type")}
    statement = apply_sort(statement, query.sort, sortable, [TenderDocument.published_at, TenderDocument.id])
    with read_only() as session:
        find(session, Tender, path.tender_id, "tender")
        return json_response(paginate(session, statement, query, serialize_document))


# --- the enquiry period: questions, and answers published to every bidder ---

def serialize_enquiry(enquiry: Enquiry) -> dict:
    return EnquiryOut.model_validate(enquiry).model_dump(mode="json")


def emit_enquiry(uow: UnitOfWork, enquiry: Enquiry, action: str, changes: dict) -> dict:
    uow.session.flush()
    body = serialize_enquiry(enquiry)
    uow.emit(f"chancery.contracts.enquiry.{action}.v1", enquiry.id, body)
    uow.audit(f"enquiry.{action}", "enquiry", enquiry.id, changes)
    return body


@tenders_api.post("/tenders/<tender_id>/enquiries", summary="Record a question asked during the enquiry period",
                  responses={201: EnquiryOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def ask_question(path: TenderPath, body: EnquiryCreate):
    with unit_of_work() as uow:
        tender = find(uow.session, Tender, path.tender_id, "tender")
        if body.supplier_id:
            find(uow.session, Supplier, body.supplier_id, "supplier")
        try:
            check_question_accepted(TenderStatus(tender.status), tender.enquiry_ends_at, now())
        except TenderProblem as error:
            raise conflict(str(error), TENDER_LIFECYCLE.allowed_actions(TenderStatus(tender.status))) from error
        enquiry = Enquiry(tender_id=tender.id, supplier_id=body.supplier_id, question=body.question,
                          asked_at=now(), version=1, created_by=uow.actor)
        uow.session.add(enquiry)
        out = emit_enquiry(uow, enquiry, "asked", body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/tenders/{tender.id}/enquiries/{enquiry.id}", 1)


@tenders_api.get("/tenders/<tender_id>/enquiries", summary="List a tender's questions and published answers",
                 responses={200: Page[EnquiryOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_enquiries(path: TenderPath, query: EnquiryQuery):
    statement = select(Enquiry).where(Enquiry.tender_id == path.tender_id)
    if query.answered is not None:
        statement = statement.where(Enquiry.answer.is_not(None) if query.answered else Enquiry.answer.is_(None))
    sortable = {name: getattr(Enquiry, name) for name in ("asked_at", "answered_at")}
    statement = apply_sort(statement, query.sort, sortable, [Enquiry.asked_at, Enquiry.id])
    with read_only() as session:
        find(session, Tender, path.tender_id, "tender")
        return json_response(paginate(session, statement, query, serialize_enquiry))


@tenders_api.post("/tenders/<tender_id>/enquiries/<enquiry_id>/answer",
                  summary="Publish the answer to a question (before the submission deadline)",
                  responses={200: EnquiryOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def answer_question(path: EnquiryPath, body: AnswerRequest):
    with unit_of_work() as uow:
        tender = find(uow.session, Tender, path.tender_id, "tender")
        enquiry = find(uow.session, Enquiry, path.enquiry_id, "enquiry", for_update=True)
        if enquiry.tender_id != tender.id:
            raise invalid("enquiry_id", "the enquiry belongs to another tender")
        require_fresh(enquiry.version)
        if enquiry.answer is not None:
            raise conflict("the answer is already published", [])
        try:
            check_answer_accepted(tender.submission_deadline, now())
        except TenderProblem as error:
            raise conflict(str(error), []) from error
        enquiry.answer, enquiry.answered_at, enquiry.version = body.answer, now(), enquiry.version + 1
        out = emit_enquiry(uow, enquiry, "answered", body.model_dump(mode="json"))
        return record_response(out, enquiry.version)
