"""The mayor's invitation inbox: receive, review, assign with a deadline, and answer."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.common import READERS, WRITERS, pdf_response, today
from services.visits.api.invitation_schemas import (
    AcceptRequest,
    AssignRequest,
    DeclineRequest,
    DelegateRequest,
    InvitationCreate,
    InvitationOut,
    InvitationPath,
    InvitationQuery,
    InvitationUpdate,
)
from services.visits.domain.invitation import OPEN_STATES, InvitationStatus, Location, Outcome, is_overdue
from services.visits.operations import invitations as operations
from services.visits.store.models import Invitation
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, where_set
from shared.http.work import read_only, unit_of_work

invitations_api = APIBlueprint("invitations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 422),
                               abp_tags=[Tag(name="invitations", description="The mayor's invitation inbox")])
DECIDERS = ("mayor-office",)  # accepting, declining and delegating are the mayor's decisions
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


def serialize(invitation: Invitation) -> dict:
    body = {column: getattr(invitation, column) for column in InvitationOut.model_fields if column not in COMPUTED}
    body["overdue"] = is_overdue(InvitationStatus(invitation.status), invitation.deadline, today())
    body["became"] = became(invitation)
    return InvitationOut.model_validate(body).model_dump(mode="json")


def invitation_response(invitation: Invitation):
    return record_response(serialize(invitation), invitation.version)


@invitations_api.post("/invitations", summary="Put an invitation addressed to the mayor in the inbox",
                      responses={201: InvitationOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_invitation(body: InvitationCreate):
    with unit_of_work() as uow:
        invitation = operations.receive(uow, body.model_dump(), "api")
        return created(uow, serialize(invitation), f"/api/v1/invitations/{invitation.id}", invitation.version)


def filtered(statement: Select, query: InvitationQuery) -> Select:
    statement = where_set(statement, Invitation, query, ("status", "country", "location", "assignee"))
    open_states, day = [state.value for state in OPEN_STATES], today()
    if query.overdue is True:
        statement = statement.where(Invitation.status.in_(open_states), Invitation.deadline < day)
    if query.overdue is False:
        statement = statement.where(Invitation.status.notin_(open_states) | Invitation.deadline.is_(None)
                                    | (Invitation.deadline >= day))
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
    with unit_of_work() as uow:
        invitation = operations.update_invitation(uow, path.invitation_id, body.model_dump(exclude_unset=True),
                                                  body.model_dump(mode="json", exclude_unset=True), if_match())
        return invitation_response(invitation)


TRANSITION_RESPONSES = {200: InvitationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)}


@invitations_api.post("/invitations/<invitation_id>/review", summary="Take an invitation under review",
                      responses=TRANSITION_RESPONSES)
@allow(*WRITERS, *DECIDERS)
def review_invitation(path: InvitationPath):
    with unit_of_work() as uow:
        return invitation_response(operations.review(uow, path.invitation_id, if_match()))


@invitations_api.post("/invitations/<invitation_id>/assign",
                      summary="Assign to a department or official with a deadline", responses=TRANSITION_RESPONSES)
@allow(*WRITERS, *DECIDERS)
def assign_invitation(path: InvitationPath, body: AssignRequest):
    with unit_of_work() as uow:
        invitation = operations.assign(uow, path.invitation_id, body.assignee, body.assignee_kind.value,
                                       body.deadline, body.model_dump(mode="json"), if_match())
        return invitation_response(invitation)


@invitations_api.post("/invitations/<invitation_id>/delegate", summary="Delegate to another official",
                      responses=TRANSITION_RESPONSES)
@allow(*DECIDERS)
def delegate_invitation(path: InvitationPath, body: DelegateRequest):
    with unit_of_work() as uow:
        invitation = operations.delegate(uow, path.invitation_id, body.official, body.note,
                                         body.model_dump(mode="json"), if_match())
        return invitation_response(invitation)


@invitations_api.post("/invitations/<invitation_id>/accept",
                      summary="Accept: in the city it becomes a draft visit or an official function; abroad, trips "
                              "drafts a trip", responses=TRANSITION_RESPONSES)
@allow(*DECIDERS)
def accept_invitation(path: InvitationPath, body: AcceptRequest):
    with unit_of_work() as uow:
        invitation = operations.accept(uow, path.invitation_id, body.model_dump(), body.model_dump(mode="json"),
                                       if_match())
        return invitation_response(invitation)


@invitations_api.post("/invitations/<invitation_id>/decline", summary="Decline, with a reply letter",
                      responses=TRANSITION_RESPONSES)
@allow(*DECIDERS)
def decline_invitation(path: InvitationPath, body: DeclineRequest):
    with unit_of_work() as uow:
        invitation = operations.decline(uow, path.invitation_id, body.reason, body.language.value,
                                        body.model_dump(mode="json"), if_match())
        return invitation_response(invitation)


@invitations_api.get("/invitations/<invitation_id>/reply-letter",
                     summary="The reply letter of a declined invitation, as PDF in the language chosen",
                     responses={200: None, **problem_responses(404, 409)})
@allow(*READERS)
def reply_letter(path: InvitationPath):
    with read_only() as session:
        invitation = find(session, Invitation, path.invitation_id, "invitation")
    if invitation.status != InvitationStatus.DECLINED:
        raise Problem("no-reply-letter", f"the invitation is {invitation.status}; only a declined one has "
                      "a reply letter")
    return pdf_response("decline_letter", invitation.reply_language,
                        {"invitation": invitation, "reason": invitation.answer_note,
                         "written_on": invitation.updated_at.date()},
                        title=f"Reply: {invitation.title}", filename=f"reply-{invitation.id}.pdf")
