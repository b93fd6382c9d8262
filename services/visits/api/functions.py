"""Official functions (press conferences, symposiums, seminars, round tables, coordinating meetings):
invitees with their RSVP, and press accreditation."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import BODY_PROBLEMS, READERS, WRITERS, find, find_visit, invalid, record_response
from services.visits.operations.engagements import function_slot, refuse_clashes
from services.visits.api.meeting_schemas import (
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
from services.visits.api.meetings import utc_span
from services.visits.domain.meetings import (
    AccreditationDecided,
    AccreditationStatus,
    FunctionStatus,
    Rsvp,
    decide_accreditation,
    rsvp_open,
)
from services.visits.domain.programme import local, normalized
from services.visits.store.models import AgendaItem, FunctionInvitee, OfficialFunction, PressAccreditation
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

functions_api = APIBlueprint("functions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="functions", description="Official functions, guests and press")])


def emit(uow: UnitOfWork, record_type: str, action: str, record_id: str, data: dict, changes: dict) -> None:
    uow.session.flush()
    uow.emit(f"chancery.visits.{record_type}.{action}.v1", record_id, data)
    uow.audit(f"{record_type}.{action}", record_type, record_id, changes)


def function_data(function: OfficialFunction) -> dict:
    return FunctionOut.model_validate(function).model_dump(mode="json")


def officials_index(officials: list[str]) -> str:
    """`|mayor of sofia|deputy mayor|`: what SQL filters an official's functions by (names compared as in 0011)."""
    return f"|{'|'.join(normalized(name) for name in officials)}|"


def taking_part(official: str):
    return OfficialFunction.officials_index.contains(f"|{normalized(official)}|", autoescape=True)


def schedule(uow: UnitOfWork, body: FunctionCreate) -> OfficialFunction:
    """A new function, refused (409) when one of its officials or its venue is already taken at that time."""
    starts_at, ends_at = utc_span(body.starts_at, body.ends_at, body.time_zone)
    fields = body.model_dump(exclude={"starts_at", "ends_at"})
    if body.visit_id:
        fields["partner_id"] = body.partner_id or find_visit(uow.session, body.visit_id).partner_id
    if body.agenda_item_id:
        item = find(uow.session, AgendaItem, body.agenda_item_id, "agenda item")
        if item.visit_id != body.visit_id:
            raise invalid("agenda_item_id", "the agenda item is not in the function's visit")
    function = OfficialFunction(**fields, starts_at=starts_at, ends_at=ends_at, version=1, created_by=uow.actor,
                                officials_index=officials_index(body.officials))
    refuse_clashes(uow, function_slot(function), body.time_zone)
    uow.session.add(function)
    uow.session.flush()
    emit(uow, "function", "scheduled", function.id, function_data(function), body.model_dump(mode="json"))
    return function


@functions_api.post("/functions", summary="Schedule an official function (409 when an official or the venue is "
                    "taken)", responses={201: FunctionOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def schedule_function(body: FunctionCreate):
    with unit_of_work() as uow:
        function = schedule(uow, body)
        return created(uow, function_data(function), f"/api/v1/functions/{function.id}", function.version)


def open_function(uow: UnitOfWork, function_id: str) -> OfficialFunction:
    """The function, if it is still to take place as scheduled; 409 once it is cancelled."""
    function = find(uow.session, OfficialFunction, function_id, "function")
    if function.status == FunctionStatus.CANCELLED:
        raise Problem(409, "The function is cancelled", function.status_reason, slug="function-cancelled")
    return function


def function_response(function: OfficialFunction):
    return record_response(FunctionOut, function)


@functions_api.patch("/functions/<function_id>",
                     summary="Move or change a function (send If-Match); 409 when an official or the venue is taken",
                     responses={200: FunctionOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_function(path: FunctionPath, body: FunctionUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        function = open_function(uow, path.function_id)
        require_fresh(function.version)
        if not changes:
            return function_response(function)
        zone = changes.pop("time_zone", function.time_zone)
        local_times = {name: changes.pop(name, None) or local(getattr(function, name), function.time_zone)
                       .replace(tzinfo=None) for name in ("starts_at", "ends_at")}
        function.starts_at, function.ends_at = utc_span(local_times["starts_at"], local_times["ends_at"], zone)
        function.time_zone = zone
        for name, value in changes.items():
            setattr(function, name, value)
        function.officials_index = officials_index(function.officials)
        refuse_clashes(uow, function_slot(function), zone)
        function.version += 1
        emit(uow, "function", "updated", function.id, function_data(function), body.model_dump(mode="json",
                                                                                               exclude_unset=True))
        return function_response(function)


@functions_api.post("/functions/<function_id>/cancel", summary="Cancel a function, with the reason (send If-Match)",
                    responses={200: FunctionOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def cancel_function(path: FunctionPath, body: CancelFunction):
    with unit_of_work() as uow:
        function = open_function(uow, path.function_id)
        require_fresh(function.version)
        function.status, function.status_reason = FunctionStatus.CANCELLED.value, body.reason
        function.version += 1
        emit(uow, "function", "cancelled", function.id, function_data(function), body.model_dump(mode="json"))
        return function_response(function)


@functions_api.get("/functions", summary="Official functions in time order", responses={200: Page[FunctionOut]})
@allow(*READERS)
def list_functions(query: FunctionQuery):
    statement = select(OfficialFunction)
    for name in ("kind", "status", "partner_id", "visit_id"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(OfficialFunction, name) == value)
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
        return record_response(FunctionOut, find(session, OfficialFunction, path.function_id, "function"))


def invitee_data(function: OfficialFunction, invitee: FunctionInvitee) -> dict:
    body = InviteeOut.model_validate(invitee).model_dump(mode="json")
    return {"function_id": function.id, "function_title": function.title, "partner_id": function.partner_id,
            "invitee": body}


@functions_api.post("/functions/<function_id>/invitees", summary="Invite someone (RSVP pending)",
                    responses={201: InviteeOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def invite(path: FunctionPath, body: InviteeCreate):
    with unit_of_work() as uow:
        function = open_function(uow, path.function_id)
        invitee = FunctionInvitee(function_id=function.id, **body.model_dump(), rsvp=Rsvp.PENDING.value, version=1)
        uow.session.add(invitee)
        uow.session.flush()
        emit(uow, "function-invitee", "invited", invitee.id, invitee_data(function, invitee),
             body.model_dump(mode="json"))
        answer = InviteeOut.model_validate(invitee).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/functions/{function.id}/invitees/{invitee.id}", invitee.version)


@functions_api.put("/functions/<function_id>/invitees/<invitee_id>/rsvp",
                   summary="Record the invitee's answer: accepted, declined or tentative (until the day)",
                   responses={200: InviteeOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def record_rsvp(path: InviteePath, body: RsvpIn):
    if body.rsvp == Rsvp.PENDING:
        raise invalid("rsvp", "an answer is accepted, declined or tentative")
    with unit_of_work() as uow:
        function = open_function(uow, path.function_id)
        invitee = find(uow.session, FunctionInvitee, path.invitee_id, "invitee", function_id=function.id)
        require_fresh(invitee.version)
        if not rsvp_open(function.starts_at, function.time_zone, utcnow()):
            raise Problem(409, "Answers are closed", "answers are recorded until the day of the function",
                          slug="rsvp-closed")
        invitee.rsvp, invitee.responded_at, invitee.version = body.rsvp.value, utcnow(), invitee.version + 1
        emit(uow, "function-invitee", "responded", invitee.id, invitee_data(function, invitee),
             body.model_dump(mode="json"))
        return record_response(InviteeOut, invitee)


def accreditation_data(function: OfficialFunction, accreditation: PressAccreditation) -> dict:
    body = AccreditationOut.model_validate(accreditation).model_dump(mode="json")
    return {"function_id": function.id, "function_title": function.title, "partner_id": function.partner_id,
            "accreditation": body}


@functions_api.post("/functions/<function_id>/accreditations", summary="Request press accreditation",
                    responses={201: AccreditationOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def request_accreditation(path: FunctionPath, body: AccreditationCreate):
    with unit_of_work() as uow:
        function = open_function(uow, path.function_id)
        if not function.press_open:
            raise Problem(409, "Closed to the press", "this function does not accredit the press",
                          slug="closed-to-press")
        accreditation = PressAccreditation(function_id=function.id, **body.model_dump(),
                                           status=AccreditationStatus.REQUESTED.value, version=1)
        uow.session.add(accreditation)
        uow.session.flush()
        emit(uow, "press-accreditation", "requested", accreditation.id, accreditation_data(function, accreditation),
             body.model_dump(mode="json"))
        answer = AccreditationOut.model_validate(accreditation).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/functions/{function.id}/accreditations/{accreditation.id}",
                       accreditation.version)


@functions_api.post("/functions/<function_id>/accreditations/<accreditation_id>/decide",
                    summary="Approve or reject (with a reason) a press accreditation",
                    responses={200: AccreditationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def decide(path: AccreditationPath, body: AccreditationDecision):
    with unit_of_work() as uow:
        function = find(uow.session, OfficialFunction, path.function_id, "function")
        accreditation = find(uow.session, PressAccreditation, path.accreditation_id, "accreditation",
                             function_id=function.id)
        require_fresh(accreditation.version)
        try:
            status = decide_accreditation(AccreditationStatus(accreditation.status), body.approve, body.reason)
        except AccreditationDecided as error:
            raise Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                          allowed_actions=[]) from error
        except ValueError as error:
            raise invalid("reason", str(error)) from error
        accreditation.status, accreditation.reason = status.value, body.reason
        accreditation.decided_by, accreditation.version = uow.actor, accreditation.version + 1
        emit(uow, "press-accreditation", status.value, accreditation.id, accreditation_data(function, accreditation),
             body.model_dump(mode="json"))
        return record_response(AccreditationOut, accreditation)


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
