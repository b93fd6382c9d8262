"""The mayor's invitation inbox: receive, review, assign with a deadline, and answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.common import BODY_PROBLEMS, READERS, WRITERS, find, invalid, pdf_response
from services.visits.api.functions import schedule
from services.visits.api.invitation_schemas import (
    AcceptRequest,
    AssignRequest,
    DeclineRequest,
    DelegateRequest,
    FunctionFromInvitation,
    InvitationCreate,
    InvitationOut,
    InvitationPath,
    InvitationQuery,
    InvitationUpdate,
)
from services.visits.api.meeting_schemas import FunctionCreate
from services.visits.domain.invitation import (
    EVENT_ACTION,
    OPEN_STATES,
    IllegalInvitationTransition,
    InvitationInvalid,
    InvitationStatus,
    Location,
    Outcome,
    attending_official,
    check_deadline,
    check_event_dates,
    check_function_day,
    is_overdue,
    next_status,
    outcome_of,
)
from services.visits.domain.programme import local
from services.visits.domain.visit import VisitStatus
from services.visits.operations.visits import record_visit_change
from services.visits.store.models import Invitation, OfficialFunction, Visit
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

invitations_api = APIBlueprint("invitations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="invitations", description="The mayor's invitation inbox")])
DECIDERS = ("mayor-office",)  # accepting, declining and delegating are the mayor's decisions
EVENT_FIELDS = ("id", "title", "inviting_party", "country", "city", "starts_on", "ends_on", "location",
                "partner_id", "status", "assignee", "deadline", "visit_id", "function_id", "source", "version")
COMPUTED = ("overdue", "became")


def became(invitation: Invitation) -> dict | None:
    if invitation.visit_id:
        return {"kind": Outcome.VISIT, "id": invitation.visit_id, "href": f"/api/v1/visits/{invitation.visit_id}"}
    if invitation.function_id:
        return {"kind": Outcome.FUNCTION, "id": invitation.function_id,
                "href": f"/api/v1/functions/{invitation.function_id}"}
    if invitation.status == InvitationStatus.ACCEPTED and invitation.location == Location.ABROAD:
        return {"kind": Outcome.TRIP, "id": None, "href": None}
    return None


def serialize(invitation: Invitation, today: date | None = None) -> dict:
    body = {column: getattr(invitation, column) for column in InvitationOut.model_fields if column not in COMPUTED}
    body["overdue"] = is_overdue(InvitationStatus(invitation.status), invitation.deadline, today or utcnow().date())
    body["became"] = became(invitation)
    return InvitationOut.model_validate(body).model_dump(mode="json")


def event_data(invitation: Invitation, today: date) -> dict:
    body = serialize(invitation, today)
    return {**{name: body[name] for name in EVENT_FIELDS}, "assigned_official": invitation.attending_official
            or (invitation.assignee if invitation.assignee_kind == "official" else None),
            "overdue": body["overdue"]}


def emit(work: UnitOfWork, invitation: Invitation, action: str, changes: dict[str, Any]) -> None:
    work.session.flush()
    work.emit(f"chancery.visits.invitation.{action}.v1", invitation.id, event_data(invitation, utcnow().date()))
    work.audit(f"invitation.{action}", "invitation", invitation.id, changes)


def receive(work: UnitOfWork, fields: dict[str, Any], source: str, document_id: str | None = None) -> Invitation:
    """Put a new invitation in the inbox (from the API or the city's document system)."""
    invitation = Invitation(**fields, source=source, source_document_id=document_id,
                            status=InvitationStatus.RECEIVED.value, version=1, created_by=work.actor)
    work.session.add(invitation)
    recorded = {name: value.isoformat() if isinstance(value, date) else value for name, value in fields.items()}
    emit(work, invitation, "received", {**recorded, "source": source, "source_document_id": document_id})
    return invitation


def checked_dates(starts_on: date, ends_on: date) -> None:
    try:
        check_event_dates(starts_on, ends_on)
    except InvitationInvalid as error:
        raise invalid(error.field, str(error)) from error


def invitation_response(invitation: Invitation, status: int = 200):
    return json_response(serialize(invitation), status, {"ETag": etag(invitation.version)})


@invitations_api.post("/invitations", summary="Put an invitation addressed to the mayor in the inbox",
                      responses={201: InvitationOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_invitation(body: InvitationCreate):
    checked_dates(body.starts_on, body.ends_on)
    with unit_of_work() as uow:
        invitation = receive(uow, body.model_dump(), "api")
        return created(uow, serialize(invitation), f"/api/v1/invitations/{invitation.id}", invitation.version)


def filtered(statement: Select, query: InvitationQuery) -> Select:
    for name in ("status", "country", "location", "assignee"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Invitation, name) == value)
    open_states = [state.value for state in OPEN_STATES]
    today = utcnow().date()
    if query.overdue is True:
        statement = statement.where(Invitation.status.in_(open_states), Invitation.deadline < today)
    if query.overdue is False:
        statement = statement.where(Invitation.status.notin_(open_states) | Invitation.deadline.is_(None)
                                    | (Invitation.deadline >= today))
    if query.starts_from:
        statement = statement.where(Invitation.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Invitation.starts_on <= query.starts_until)
    sortable = {name: getattr(Invitation, name) for name in ("starts_on", "deadline", "received_on", "status",
                                                             "country", "created_at")}
    return apply_sort(statement, query.sort, sortable, [Invitation.received_on.desc(), Invitation.id])


@invitations_api.get("/invitations", summary="The inbox, e.g. overdue or assigned to someone",
                     responses={200: Page[InvitationOut]})
@allow(*READERS)
def list_invitations(query: InvitationQuery):
    with read_only() as session:
        return json_response(paginate(session, filtered(select(Invitation), query), query, serialize))


@invitations_api.get("/invitations/<invitation_id>", summary="Read an invitation",
                     responses={200: InvitationOut, **problem_responses(404)})
@allow(*READERS)
def get_invitation(path: InvitationPath):
    with read_only() as session:
        return invitation_response(find(session, Invitation, path.invitation_id, "invitation"))


@invitations_api.patch("/invitations/<invitation_id>", summary="Correct an open invitation's details (If-Match)",
                       responses={200: InvitationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_invitation(path: InvitationPath, body: InvitationUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        invitation = find(uow.session, Invitation, path.invitation_id, "invitation")
        require_fresh(invitation.version)
        if InvitationStatus(invitation.status) not in OPEN_STATES:
            raise Problem(409, "The invitation is answered", f"it was {invitation.status}", slug="invitation-closed")
        if not changes:
            return invitation_response(invitation)
        for name, value in changes.items():
            setattr(invitation, name, value)
        checked_dates(invitation.starts_on, invitation.ends_on)
        invitation.version += 1
        emit(uow, invitation, "updated", body.model_dump(mode="json", exclude_unset=True))
        return invitation_response(invitation)


def transition(uow: UnitOfWork, invitation_id: str, action: str) -> Invitation:
    invitation = find(uow.session, Invitation, invitation_id, "invitation")
    require_fresh(invitation.version)
    try:
        invitation.status = next_status(InvitationStatus(invitation.status), action).value
    except IllegalInvitationTransition as error:
        raise Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                      allowed_actions=error.allowed) from error
    invitation.version += 1
    return invitation


def answered(uow: UnitOfWork, invitation: Invitation, action: str, changes: dict) -> Response:
    emit(uow, invitation, EVENT_ACTION[action], changes)
    return invitation_response(invitation)


TRANSITION_RESPONSES = {200: InvitationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)}


@invitations_api.post("/invitations/<invitation_id>/review", summary="Take an invitation under review",
                      responses=TRANSITION_RESPONSES)
@allow(*WRITERS, *DECIDERS)
def review_invitation(path: InvitationPath):
    with unit_of_work() as uow:
        return answered(uow, transition(uow, path.invitation_id, "review"), "review", {})


@invitations_api.post("/invitations/<invitation_id>/assign",
                      summary="Assign to a department or official with a deadline", responses=TRANSITION_RESPONSES)
@allow(*WRITERS, *DECIDERS)
def assign_invitation(path: InvitationPath, body: AssignRequest):
    try:
        check_deadline(body.deadline, utcnow().date())
    except InvitationInvalid as error:
        raise invalid(error.field, str(error)) from error
    with unit_of_work() as uow:
        invitation = transition(uow, path.invitation_id, "assign")
        if invitation.deadline != body.deadline:
            invitation.overdue_reported_at = None  # a new deadline may pass again, and is reported again
        invitation.assignee, invitation.assignee_kind, invitation.deadline = (
            body.assignee, body.assignee_kind.value, body.deadline)
        return answered(uow, invitation, "assign", body.model_dump(mode="json"))


@invitations_api.post("/invitations/<invitation_id>/delegate", summary="Delegate to another official",
                      responses=TRANSITION_RESPONSES)
@allow(*DECIDERS)
def delegate_invitation(path: InvitationPath, body: DelegateRequest):
    with unit_of_work() as uow:
        invitation = transition(uow, path.invitation_id, "delegate")
        invitation.assignee, invitation.assignee_kind = body.official, "official"
        invitation.answer_note = body.note
        return answered(uow, invitation, "delegate", body.model_dump(mode="json"))


def visit_from(invitation: Invitation, official: str, actor: str) -> Visit:
    return Visit(delegation_name=invitation.inviting_party[:300], country=invitation.country, city=invitation.city,
                 partner_id=invitation.partner_id, starts_on=invitation.starts_on, ends_on=invitation.ends_on,
                 purpose=invitation.title, host_official=official, status=VisitStatus.DRAFT.value, version=1,
                 flags=[], created_by=actor)


def function_from(uow: UnitOfWork, invitation: Invitation, official: str,
                  details: FunctionFromInvitation) -> OfficialFunction:
    """The official function an invitation in the city becomes; the attending official takes part in it."""
    request = FunctionCreate(kind=details.kind, title=invitation.title, partner_id=invitation.partner_id,
                             starts_at=details.starts_at, ends_at=details.ends_at, time_zone=details.time_zone,
                             venue=details.venue, officials=[official], press_open=details.press_open)
    try:
        function = schedule(uow, request)
        check_function_day(invitation.starts_on, invitation.ends_on, local(function.starts_at, function.time_zone)
                           .date())
    except InvitationInvalid as error:
        raise invalid(error.field, str(error)) from error
    except Problem as problem:
        for error in problem.errors or []:  # the function's fields are under `function` in the answer
            error["field"] = f"function.{error['field']}"
        raise
    return function


@invitations_api.post("/invitations/<invitation_id>/accept",
                      summary="Accept: in the city it becomes a draft visit or an official function; abroad, trips "
                              "drafts a trip", responses=TRANSITION_RESPONSES)
@allow(*DECIDERS)
def accept_invitation(path: InvitationPath, body: AcceptRequest):
    with unit_of_work() as uow:
        invitation = transition(uow, path.invitation_id, "accept")
        try:
            official = attending_official(body.official, invitation.assignee, invitation.assignee_kind)
            outcome = outcome_of(Location(invitation.location), body.becomes, body.function is not None)
        except InvitationInvalid as error:
            raise invalid(error.field, str(error)) from error
        invitation.attending_official, invitation.answer_note = official, body.note
        if outcome == Outcome.VISIT:
            visit = visit_from(invitation, official, uow.actor)
            uow.session.add(visit)
            record_visit_change(uow, visit, "created", {"invitation_id": invitation.id})
            invitation.visit_id = visit.id
        if outcome == Outcome.FUNCTION:
            invitation.function_id = function_from(uow, invitation, official, body.function).id
        return answered(uow, invitation, "accept", body.model_dump(mode="json"))


@invitations_api.post("/invitations/<invitation_id>/decline", summary="Decline, with a reply letter",
                      responses=TRANSITION_RESPONSES)
@allow(*DECIDERS)
def decline_invitation(path: InvitationPath, body: DeclineRequest):
    with unit_of_work() as uow:
        invitation = transition(uow, path.invitation_id, "decline")
        invitation.answer_note, invitation.reply_language = body.reason, body.language.value
        return answered(uow, invitation, "decline", body.model_dump(mode="json"))


@invitations_api.get("/invitations/<invitation_id>/reply-letter",
                     summary="The reply letter of a declined invitation, as PDF in the language chosen",
                     responses={200: None, **problem_responses(404, 409)})
@allow(*READERS)
def reply_letter(path: InvitationPath):
    with read_only() as session:
        invitation = find(session, Invitation, path.invitation_id, "invitation")
    if invitation.status != InvitationStatus.DECLINED:
        raise Problem(409, "No reply letter", f"the invitation is {invitation.status}; only a declined one has "
                      "a reply letter", slug="no-reply-letter")
    return pdf_response("decline_letter", invitation.reply_language,
                        {"invitation": invitation, "reason": invitation.answer_note,
                         "written_on": invitation.updated_at.date()},
                        title=f"Reply: {invitation.title}", filename=f"reply-{invitation.id}.pdf")
