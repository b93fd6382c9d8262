"""Cooperation agreements: drafted with their plan of activities, signed, amended, terminated; each change an
event that outreach's consolidated plan follows (docs/decisions/0035)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracts.api.agreement_schemas import (
    ActivityIn,
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
from services.contracts.api.schemas import TransitionRequest
from services.contracts.domain.agreement import (
    AGREEMENT_LIFECYCLE,
    EDITABLE,
    AgreementProblem,
    AgreementStatus,
    check_activities,
    check_signable,
    check_validity,
    days_to_expiry,
    is_expiring,
)
from services.contracts.store.models import Agreement, AgreementActivity, AgreementAmendment, AgreementDocument
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

agreements_api = APIBlueprint("agreements", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                              abp_responses=problem_responses(401, 403, 422),
                              abp_tags=[Tag(name="agreements",
                                            description="Cooperation agreements and their plans of activities")])
# The data agreed with outreach (contracts-between.md), and the agreement's state besides.
EVENT_FIELDS = ("id", "title", "partner_id", "partner_name", "country", "signed_on", "valid_from", "valid_until",
                "activities", "areas", "status", "status_reason", "version")
NOT_EDITABLE = "a {status} agreement changes only by amendment"


def serialize(agreement: Agreement) -> dict:
    return describe(agreement, now().date(), contracts_settings().agreement_notice_days)


def describe(agreement: Agreement, today: date, notice: int) -> dict:
    """The agreement as the API shows it on `today` (also used by the worker, outside any request)."""
    status = AgreementStatus(agreement.status)
    return AgreementOut(
        **{name: getattr(agreement, name) for name in AgreementOut.model_fields if hasattr(agreement, name)
           and name != "activities"},
        activities=[{"id": a.id, "title": a.title, "due_on": a.due_on, "responsible_body": a.responsible_body}
                    for a in agreement.activities],
        expires_in_days=days_to_expiry(agreement.valid_until, today) if status == AgreementStatus.SIGNED else None,
        expiring=is_expiring(status, agreement.valid_until, today, notice),
        allowed_actions=AGREEMENT_LIFECYCLE.allowed_actions(status),
    ).model_dump(mode="json")


def event_data(body: dict) -> dict:
    return {name: body[name] for name in EVENT_FIELDS}


def emit(uow: UnitOfWork, agreement: Agreement, action: str, changes: dict) -> dict:
    uow.session.flush()
    uow.session.refresh(agreement, ["activities"])
    body = serialize(agreement)
    uow.emit(f"chancery.contracts.agreement.{action}.v1", agreement.id, event_data(body))
    uow.audit(f"agreement.{action}", "agreement", agreement.id, changes)
    return body


def problem(error: AgreementProblem):
    return invalid(error.field, error)


def replace_activities(session: Session, agreement: Agreement, wanted: list[ActivityIn]) -> dict:
    """Make the plan exactly `wanted`, keeping the ids of activities sent with their id; what changed."""
    current = {activity.id: activity for activity in agreement.activities}
    kept = {item.id for item in wanted if item.id}
    for position, item in enumerate(wanted):
        if item.id and item.id not in current:
            raise invalid(f"activities.{position}.id", "no such activity in this agreement")
    removed = [current[key] for key in current if key not in kept]
    for activity in removed:
        session.delete(activity)
    session.flush()
    added = 0
    for position, item in enumerate(wanted, start=1):
        activity = current.get(item.id) if item.id else None
        if activity is None:
            activity = AgreementActivity(agreement_id=agreement.id)
            session.add(activity)
            added += 1
        activity.position, activity.title = position, item.title
        activity.due_on, activity.responsible_body = item.due_on, item.responsible_body
    session.flush()
    session.refresh(agreement, ["activities"])
    return {"activities": {"added": added, "removed": [a.id for a in removed], "count": len(wanted)}}


def check_plan(agreement: Agreement) -> None:
    try:
        check_validity(agreement.valid_from, agreement.valid_until)
        check_activities([a.due_on for a in agreement.activities], agreement.valid_from, agreement.valid_until)
    except AgreementProblem as error:
        raise problem(error) from error


@agreements_api.post("/agreements", summary="Draft a cooperation agreement with its plan of activities",
                     responses={201: AgreementOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def draft_agreement(body: AgreementCreate):
    with unit_of_work() as uow:
        agreement = Agreement(**body.model_dump(exclude={"activities"}), status=AgreementStatus.DRAFT.value,
                              version=1, created_by=uow.actor)
        uow.session.add(agreement)
        uow.session.flush()
        replace_activities(uow.session, agreement, body.activities)
        check_plan(agreement)
        out = emit(uow, agreement, "drafted", body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/agreements/{agreement.id}", agreement.version)


@agreements_api.get("/agreements", summary="List agreements; `expiring_within_days` shows expiry ahead",
                    responses={200: Page[AgreementOut]})
@allow(*PROCUREMENT)
def list_agreements(query: AgreementQuery):
    statement = select(Agreement)
    for name in ("status", "country", "partner_id"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Agreement, name) == getattr(query, name))
    if query.expiring_within_days is not None:
        today = now().date()
        statement = statement.where(Agreement.status == AgreementStatus.SIGNED.value,
                                    Agreement.valid_until >= today,
                                    Agreement.valid_until <= today + timedelta(days=query.expiring_within_days))
    sortable = {name: getattr(Agreement, name) for name in ("valid_until", "valid_from", "signed_on", "country",
                                                            "partner_name", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Agreement.valid_until, Agreement.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@agreements_api.get("/agreements/<agreement_id>", summary="Read an agreement with its plan of activities",
                    responses={200: AgreementOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_agreement(path: AgreementPath):
    with read_only() as session:
        agreement = find(session, Agreement, path.agreement_id, "agreement")
        return record_response(serialize(agreement), agreement.version)


@agreements_api.patch("/agreements/<agreement_id>", summary="Change a draft agreement (send If-Match)",
                      responses={200: AgreementOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_agreement(path: AgreementPath, body: AgreementUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        agreement = find(uow.session, Agreement, path.agreement_id, "agreement", for_update=True)
        require_fresh(agreement.version)
        status = AgreementStatus(agreement.status)
        if status not in EDITABLE:
            raise conflict(NOT_EDITABLE.format(status=status.value), AGREEMENT_LIFECYCLE.allowed_actions(status))
        if not changes:
            return record_response(serialize(agreement), agreement.version)
        for name, value in changes.items():
            if name != "activities":
                setattr(agreement, name, value)
        if body.activities is not None:
            replace_activities(uow.session, agreement, body.activities)
        check_plan(agreement)
        agreement.version += 1
        return record_response(emit(uow, agreement, "updated", body.model_dump(mode="json", exclude_unset=True)),
                               agreement.version)


@agreements_api.post("/agreements/<agreement_id>/sign", summary="Sign the agreement with its plan of activities",
                     responses={200: AgreementOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def sign_agreement(path: AgreementPath, body: SignRequest):
    with unit_of_work() as uow:
        agreement = find(uow.session, Agreement, path.agreement_id, "agreement", for_update=True)
        require_fresh(agreement.version)
        try:
            check_signable(len(agreement.activities), body.signed_on, agreement.valid_until)
        except AgreementProblem as error:
            raise problem(error) from error
        previous = advance(AGREEMENT_LIFECYCLE, AgreementStatus, agreement, "sign", None)
        agreement.signed_on, agreement.signatories = body.signed_on, body.signatories
        return record_response(emit(uow, agreement, "signed", {"status": [previous, agreement.status],
                                                                **body.model_dump(mode="json")}), agreement.version)


@agreements_api.post("/agreements/<agreement_id>/amendments",
                     summary="Amend a signed agreement (validity, areas, plan of activities), with the rationale",
                     responses={201: AgreementAmendmentOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def amend_agreement(path: AgreementPath, body: AgreementAmendmentCreate):
    with unit_of_work() as uow:
        agreement = find(uow.session, Agreement, path.agreement_id, "agreement", for_update=True)
        require_fresh(agreement.version)
        advance(AGREEMENT_LIFECYCLE, AgreementStatus, agreement, "amend", body.rationale)
        agreement.status_reason = None
        changes: dict = {}
        if body.valid_until is not None:
            changes["valid_until"] = [agreement.valid_until.isoformat(), body.valid_until.isoformat()]
            agreement.valid_until = body.valid_until
        if body.areas is not None:
            changes["areas"] = [agreement.areas, body.areas]
            agreement.areas = body.areas
        if body.activities is not None:
            changes.update(replace_activities(uow.session, agreement, body.activities))
        check_plan(agreement)
        amendment = AgreementAmendment(agreement_id=agreement.id, rationale=body.rationale, changes=changes,
                                       amended_at=now(), created_by=uow.actor)
        uow.session.add(amendment)
        emit(uow, agreement, "amended", {"rationale": body.rationale, "changes": changes})
        out = AgreementAmendmentOut.model_validate(amendment).model_dump(mode="json")
        return created(uow, out, f"/api/v1/agreements/{agreement.id}/amendments/{amendment.id}", 1)


@agreements_api.get("/agreements/<agreement_id>/amendments", summary="List an agreement's amendments",
                    responses={200: Page[AgreementAmendmentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_agreement_amendments(path: AgreementPath, query: PageQuery):
    statement = select(AgreementAmendment).where(AgreementAmendment.agreement_id == path.agreement_id)
    statement = apply_sort(statement, query.sort, {"amended_at": AgreementAmendment.amended_at},
                           [AgreementAmendment.amended_at, AgreementAmendment.id])
    with read_only() as session:
        find(session, Agreement, path.agreement_id, "agreement")
        return json_response(paginate(session, statement, query,
                                      lambda a: AgreementAmendmentOut.model_validate(a).model_dump(mode="json")))


def _transition_view(action: str):
    def transition(path: AgreementPath, body: TransitionRequest):
        with unit_of_work() as uow:
            agreement = find(uow.session, Agreement, path.agreement_id, "agreement", for_update=True)
            require_fresh(agreement.version)
            previous = advance(AGREEMENT_LIFECYCLE, AgreementStatus, agreement, action, body.reason)
            out = emit(uow, agreement, AGREEMENT_LIFECYCLE.event_action[action],
                       {"status": [previous, agreement.status], "reason": body.reason})
            return record_response(out, agreement.version)
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
        agreement = find(uow.session, Agreement, path.agreement_id, "agreement")
        document = AgreementDocument(agreement_id=agreement.id, title=body.title, url=str(body.url),
                                     language=body.language, added_at=now(), created_by=uow.actor)
        uow.session.add(document)
        uow.session.flush()
        out = AgreementDocumentOut.model_validate(document).model_dump(mode="json")
        uow.emit("chancery.contracts.agreement-document.added.v1", document.id,
                 {**out, "partner_id": agreement.partner_id, "country": agreement.country})
        uow.audit("agreement-document.added", "agreement-document", document.id, body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/agreements/{agreement.id}/documents/{document.id}", 1)


@agreements_api.get("/agreements/<agreement_id>/documents", summary="List an agreement's documents",
                    responses={200: Page[AgreementDocumentOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_agreement_documents(path: AgreementPath, query: PageQuery):
    statement = select(AgreementDocument).where(AgreementDocument.agreement_id == path.agreement_id)
    statement = apply_sort(statement, query.sort, {"added_at": AgreementDocument.added_at},
                           [AgreementDocument.added_at, AgreementDocument.id])
    with read_only() as session:
        find(session, Agreement, path.agreement_id, "agreement")
        return json_response(paginate(session, statement, query,
                                      lambda d: AgreementDocumentOut.model_validate(d).model_dump(mode="json")))
