"""Official functions (press conferences, symposiums, seminars, round tables, coordinating meetings):
invitees with their RSVP, and press accreditation."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import READERS, WRITERS
from services.visits.api.function_schemas import (
    AccreditationCreate,
    AccreditationDecision,
    AccreditationOut,
    AccreditationPath,
    CancelFunction,
    FunctionCreate,
    FunctionOut,
    FunctionPath,
    FunctionQuery,
    FunctionUpdate,
    InviteeCreate,
    InviteeOut,
    InviteePath,
    ParticipantsOut,
    RsvpIn,
)
from services.visits.domain.meetings import Rsvp
from services.visits.operations import functions as operations
from services.visits.operations.functions import taking_part
from services.visits.store.models import FunctionInvitee, OfficialFunction, PressAccreditation
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, where_set
from shared.http.work import read_only, unit_of_work

functions_api = APIBlueprint("functions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="functions", description="Official functions, guests and press")])


def function_data(function: OfficialFunction) -> dict:
    return FunctionOut.model_validate(function).model_dump(mode="json")


def function_response(function: OfficialFunction):
    return record_response(function_data(function), function.version)


def invitee_data(invitee: FunctionInvitee) -> dict:
    return InviteeOut.model_validate(invitee).model_dump(mode="json")


def accreditation_data(accreditation: PressAccreditation) -> dict:
    return AccreditationOut.model_validate(accreditation).model_dump(mode="json")


@functions_api.post("/functions", summary="Schedule an official function (409 when an official or the venue is "
                    "taken)", responses={201: FunctionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def schedule_function(body: FunctionCreate):
    with unit_of_work() as uow:
        function = operations.schedule_function(uow, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, function_data(function), f"/api/v1/functions/{function.id}", function.version)


@functions_api.patch("/functions/<function_id>",
                     summary="Move or change a function (send If-Match); 409 when an official or the venue is taken",
                     responses={200: FunctionOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_function(path: FunctionPath, body: FunctionUpdate):
    with unit_of_work() as uow:
        function = operations.update_function(uow, path.function_id, body.model_dump(exclude_unset=True),
                                              body.model_dump(mode="json", exclude_unset=True), if_match())
        return function_response(function)


@functions_api.post("/functions/<function_id>/cancel", summary="Cancel a function, with the reason (send If-Match)",
                    responses={200: FunctionOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def cancel_function(path: FunctionPath, body: CancelFunction):
    with unit_of_work() as uow:
        function = operations.cancel_function(uow, path.function_id, body.reason, body.model_dump(mode="json"),
                                              if_match())
        return function_response(function)


@functions_api.get("/functions", summary="Official functions in time order", responses={200: Page[FunctionOut]})
@allow(*READERS)
def list_functions(query: FunctionQuery):
    statement = select(OfficialFunction)
    statement = where_set(statement, OfficialFunction, query, ("kind", "status", "partner_id", "visit_id"))
    if query.official:
        statement = statement.where(taking_part(query.official))
    if query.on_or_after:
        statement = statement.where(OfficialFunction.starts_at >= datetime.combine(query.on_or_after,
                                                                                   time(tzinfo=UTC)))
    if query.before:
        statement = statement.where(OfficialFunction.starts_at < datetime.combine(query.before, time(tzinfo=UTC)))
    statement = apply_sort(statement, query.sort, {"starts_at": OfficialFunction.starts_at},
                           [OfficialFunction.starts_at, OfficialFunction.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, function_data))


@functions_api.get("/functions/<function_id>", summary="Read an official function",
                   responses={200: FunctionOut, **problem_responses(404)})
@allow(*READERS)
def get_function(path: FunctionPath):
    with read_only() as session:
        return function_response(find(session, OfficialFunction, path.function_id, "function"))


@functions_api.post("/functions/<function_id>/invitees", summary="Invite someone (RSVP pending)",
                    responses={201: InviteeOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def invite(path: FunctionPath, body: InviteeCreate):
    with unit_of_work() as uow:
        invitee = operations.invite(uow, path.function_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, invitee_data(invitee), f"/api/v1/functions/{path.function_id}/invitees/{invitee.id}",
                       invitee.version)


@functions_api.put("/functions/<function_id>/invitees/<invitee_id>/rsvp",
                   summary="Record the invitee's answer: accepted, declined or tentative (until the day)",
                   responses={200: InviteeOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def record_rsvp(path: InviteePath, body: RsvpIn):
    with unit_of_work() as uow:
        invitee = operations.record_rsvp(uow, path.function_id, path.invitee_id, body.rsvp,
                                         body.model_dump(mode="json"), if_match())
        return record_response(invitee_data(invitee), invitee.version)


@functions_api.post("/functions/<function_id>/accreditations", summary="Request press accreditation",
                    responses={201: AccreditationOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def request_accreditation(path: FunctionPath, body: AccreditationCreate):
    with unit_of_work() as uow:
        accreditation = operations.request_accreditation(uow, path.function_id, body.model_dump(),
                                                         body.model_dump(mode="json"))
        return created(uow, accreditation_data(accreditation),
                       f"/api/v1/functions/{path.function_id}/accreditations/{accreditation.id}",
                       accreditation.version)


@functions_api.post("/functions/<function_id>/accreditations/<accreditation_id>/decide",
                    summary="Approve or reject (with a reason) a press accreditation",
                    responses={200: AccreditationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def decide(path: AccreditationPath, body: AccreditationDecision):
    with unit_of_work() as uow:
        accreditation = operations.decide(uow, path.function_id, path.accreditation_id, body.approve, body.reason,
                                          body.model_dump(mode="json"), if_match())
        return record_response(accreditation_data(accreditation), accreditation.version)


@functions_api.get("/functions/<function_id>/participants",
                   summary="Invitees with their RSVP counts, and the press accreditations",
                   responses={200: ParticipantsOut, **problem_responses(404)})
@allow(*READERS)
def participants(path: FunctionPath):
    with read_only() as session:
        find(session, OfficialFunction, path.function_id, "function")
        invitees = session.scalars(select(FunctionInvitee).where(FunctionInvitee.function_id == path.function_id)
                                   .order_by(FunctionInvitee.name)).all()
        press = session.scalars(select(PressAccreditation).where(PressAccreditation.function_id == path.function_id)
                                .order_by(PressAccreditation.journalist)).all()
        counts = {answer.value: sum(1 for i in invitees if i.rsvp == answer) for answer in Rsvp}
        return json_response(ParticipantsOut(invitees=[InviteeOut.model_validate(i) for i in invitees],
                                             accreditations=[AccreditationOut.model_validate(a) for a in press],
                                             rsvp_counts=counts))
