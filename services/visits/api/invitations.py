"""The mayor's invitation inbox: receive, review, assign with a deadline, and answer."""

from __future__ import annotations

from sqlalchemy import Select

from services.visits.api import invitation_schemas as schemas
from services.visits.api.common import READERS, WRITERS, pdf_response, today
from services.visits.domain.invitation import OPEN_STATES, InvitationStatus, Location, Outcome, is_overdue
from services.visits.operations import invitations as operations
from services.visits.store.models import Invitation
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match
from shared.http.views import Resource, acting, blueprint, changes, versioned, within
from shared.http.work import read_only

invitations_api = blueprint("invitations", __name__, "The mayor's invitation inbox")
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
    body = {column: getattr(invitation,
                            column) for column in schemas.InvitationOut.model_fields if column not in COMPUTED}
    body["overdue"] = is_overdue(InvitationStatus(invitation.status), invitation.deadline, today())
    body["became"] = became(invitation)
    return schemas.InvitationOut.model_validate(body).model_dump(mode="json")


def open_or_overdue(statement: Select, query: schemas.InvitationQuery) -> Select:
    open_states, day = [state.value for state in OPEN_STATES], today()
    if query.overdue is True:
        statement = statement.where(Invitation.status.in_(open_states), Invitation.deadline < day)
    if query.overdue is False:
        statement = statement.where(Invitation.status.notin_(open_states) | Invitation.deadline.is_(None)
                                    | (Invitation.deadline >= day))
    return statement


INVITATIONS = Resource(invitations_api, "/invitations", "invitation_id", Invitation, schemas.InvitationOut, READERS,
                       WRITERS,
                       serialize=serialize)
INVITATIONS.create("create_invitation", "Put an invitation addressed to the mayor in the inbox",
                   schemas.InvitationCreate,
                   lambda uow, ids, body: operations.receive(uow, body.model_dump(), "api"))
INVITATIONS.listing("list_invitations", "The inbox, e.g. overdue or assigned to someone", schemas.InvitationQuery,
                    filters=("status", "country", "location", "assignee"),
                    narrow=(open_or_overdue, within(Invitation.starts_on, "starts_from", "starts_until")),
                    sortable=("starts_on", "deadline", "received_on", "status", "country", "created_at"),
                    order=("-received_on",))
INVITATIONS.read("get_invitation", "Read an invitation", schemas.InvitationPath)
INVITATIONS.change("update_invitation", "Correct an open invitation's details (If-Match)", schemas.InvitationPath,
                   schemas.InvitationUpdate, changes(operations.update_invitation), problems=(404, 409, 412))
INVITATIONS.act("review", "review_invitation", "Take an invitation under review", schemas.InvitationPath,
                versioned(operations.review), problems=(404, 409, 412, *BODY_PROBLEMS), roles=(*WRITERS, *DECIDERS))
INVITATIONS.act("assign", "assign_invitation", "Assign to a department or official with a deadline",
                schemas.InvitationPath,
                lambda uow, ids, body: operations.assign(uow, *ids, body.assignee, body.assignee_kind.value,
                                                         body.deadline, body.model_dump(mode="json"), if_match()),
                body=schemas.AssignRequest, roles=(*WRITERS, *DECIDERS))
INVITATIONS.act("delegate", "delegate_invitation", "Delegate to another official", schemas.InvitationPath,
                acting(operations.delegate, "official", "note"), body=schemas.DelegateRequest, roles=DECIDERS)
INVITATIONS.act("accept", "accept_invitation", "Accept: in the city it becomes a draft visit or an official function; "
                                               "abroad, trips drafts a trip", schemas.InvitationPath,
                lambda uow, ids, body: operations.accept(uow, *ids, body.model_dump(), body.model_dump(mode="json"),
                                                         if_match()), body=schemas.AcceptRequest, roles=DECIDERS)
INVITATIONS.act("decline", "decline_invitation", "Decline, with a reply letter", schemas.InvitationPath,
                lambda uow, ids, body: operations.decline(uow, *ids, body.reason, body.language.value,
                                                          body.model_dump(mode="json"), if_match()),
                body=schemas.DeclineRequest, roles=DECIDERS)


@invitations_api.get("/invitations/<invitation_id>/reply-letter",
                     summary="The reply letter of a declined invitation, as PDF in the language chosen",
                     responses={200: None, **problem_responses(404, 409)})
@allow(*READERS)
def reply_letter(path: schemas.InvitationPath):
    with read_only() as session:
        invitation = find(session, Invitation, path.invitation_id, "invitation")
    if invitation.status != InvitationStatus.DECLINED:
        raise Problem("no-reply-letter", f"the invitation is {invitation.status}; only a declined one has "
                      "a reply letter")
    return pdf_response("decline_letter", invitation.reply_language,
                        {"invitation": invitation, "reason": invitation.answer_note,
                         "written_on": invitation.updated_at.date()},
                        title=f"Reply: {invitation.title}", filename=f"reply-{invitation.id}.pdf")
