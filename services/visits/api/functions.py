"""Official functions (press conferences, symposiums, seminars, round tables, coordinating meetings):
invitees with their RSVP, and press accreditation."""

from __future__ import annotations

from sqlalchemy import Select, select

from services.visits.api import function_schemas as schemas
from services.visits.api.common import READERS, WRITERS, starting_in
from services.visits.domain.meetings import Rsvp
from services.visits.operations import functions as operations
from services.visits.operations.functions import taking_part
from services.visits.store.models import FunctionInvitee, OfficialFunction, PressAccreditation
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import if_match
from shared.http.resources import json_response
from shared.http.views import Resource, acting, blueprint, changes, fields
from shared.http.work import read_only

functions_api = blueprint("functions", __name__, "Official functions, guests and press")
starting = starting_in(OfficialFunction.starts_at)


def with_official(statement: Select, query: schemas.FunctionQuery) -> Select:
    if query.official:
        statement = statement.where(taking_part(query.official))
    return starting(statement, query)


FUNCTIONS = Resource(functions_api, "/functions", "function_id", OfficialFunction, schemas.FunctionOut, READERS,
                     WRITERS)
FUNCTIONS.create("schedule_function", "Schedule an official function (409 when an official or the venue is taken)",
                 schemas.FunctionCreate, fields(operations.schedule_function), problems=(404, 409))
FUNCTIONS.change("update_function",
                 "Move or change a function (send If-Match); 409 when an official or the venue is taken",
                 schemas.FunctionPath, schemas.FunctionUpdate, changes(operations.update_function), problems=(404, 409,
                                                                                                              412))
FUNCTIONS.act("cancel", "cancel_function", "Cancel a function, with the reason (send If-Match)", schemas.FunctionPath,
              acting(operations.cancel_function, "reason"), body=schemas.CancelFunction)
FUNCTIONS.listing("list_functions", "Official functions in time order", schemas.FunctionQuery, narrow=(with_official,),
                  filters=("kind", "status", "partner_id", "visit_id"), sortable=("starts_at",), order=("starts_at",))
FUNCTIONS.read("get_function", "Read an official function", schemas.FunctionPath)

INVITEES = Resource(functions_api, "/functions/<function_id>/invitees", "invitee_id", FunctionInvitee,
                    schemas.InviteeOut,
                    READERS, WRITERS)
INVITEES.create("invite", "Invite someone (RSVP pending); If-Match, if sent, names the function's version the "
                          "caller saw (412 when it moved or changed since)", schemas.InviteeCreate,
                lambda uow, ids, body: operations.invite(uow, *ids, body.model_dump(), body.model_dump(mode="json"),
                                                         if_match()),
                path=schemas.FunctionPath, problems=(404, 409, 412))
INVITEES.act("rsvp", "record_rsvp", "Record the invitee's answer: accepted, declined or tentative (until the day)",
             schemas.InviteePath, acting(operations.record_rsvp, "rsvp"),
             body=schemas.RsvpIn, method="put")

ACCREDITATIONS = Resource(functions_api, "/functions/<function_id>/accreditations", "accreditation_id",
                          PressAccreditation, schemas.AccreditationOut, READERS, WRITERS)
ACCREDITATIONS.create("request_accreditation", "Request press accreditation", schemas.AccreditationCreate,
                      fields(operations.request_accreditation), path=schemas.FunctionPath, problems=(404, 409))
ACCREDITATIONS.act("decide", "decide", "Approve or reject (with a reason) a press accreditation",
                   schemas.AccreditationPath,
                   acting(operations.decide, "approve", "reason"), body=schemas.AccreditationDecision)


@functions_api.get("/functions/<function_id>/participants",
                   summary="Invitees with their RSVP counts, and the press accreditations",
                   responses={200: schemas.ParticipantsOut, **problem_responses(404)})
@allow(*READERS)
def participants(path: schemas.FunctionPath):
    with read_only() as session:
        find(session, OfficialFunction, path.function_id, "function")
        invitees = session.scalars(select(FunctionInvitee).where(FunctionInvitee.function_id == path.function_id)
                                   .order_by(FunctionInvitee.name)).all()
        press = session.scalars(select(PressAccreditation).where(PressAccreditation.function_id == path.function_id)
                                .order_by(PressAccreditation.journalist)).all()
        counts = {answer.value: sum(1 for i in invitees if i.rsvp == answer) for answer in Rsvp}
        return json_response(schemas.ParticipantsOut(invitees=[schemas.InviteeOut.model_validate(i) for i in invitees],
                                             accreditations=[schemas.AccreditationOut.model_validate(a) for a in press],
                                             rsvp_counts=counts))
