"""Interpreters: the register, and each agenda item's needs booked without double booking, or requested."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.common import READERS, WRITERS
from services.visits.api.interpreter_schemas import (
    BookRequest,
    InterpreterCreate,
    InterpreterOut,
    InterpreterPath,
    InterpreterQuery,
    InterpreterUpdate,
    NeedCreate,
    NeedOut,
    NeedPath,
    NeedQuery,
)
from services.visits.api.visit_schemas import VisitPath
from services.visits.operations import interpreters as operations
from services.visits.operations.interpreters import checked_pair
from services.visits.operations.visits import find_visit
from services.visits.store.models import InterpretationNeed, Interpreter
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

interpreters_api = APIBlueprint("interpreters", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                abp_responses=problem_responses(401, 403, 422),
                                abp_tags=[Tag(name="interpreters", description="Interpreters and their bookings")])


def serialize(interpreter: Interpreter) -> dict:
    return InterpreterOut.model_validate(interpreter).model_dump(mode="json")


def interpreter_response(interpreter: Interpreter):
    return record_response(serialize(interpreter), interpreter.version)


@interpreters_api.post("/interpreters", summary="Add an interpreter to the register",
                       responses={201: InterpreterOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def register_interpreter(body: InterpreterCreate):
    with unit_of_work() as uow:
        interpreter = operations.register_interpreter(uow, body.name, body.pairs, body.modes,
                                                      body.model_dump(mode="json"))
        return created(uow, serialize(interpreter), f"/api/v1/interpreters/{interpreter.id}", interpreter.version)


@interpreters_api.get("/interpreters", summary="The register, e.g. who covers a pair",
                      responses={200: Page[InterpreterOut]})
@allow(*READERS)
def list_interpreters(query: InterpreterQuery):
    statement = select(Interpreter)
    if query.pair:
        statement = statement.where(Interpreter.search_index.contains(f"|{checked_pair(query.pair, 'pair')}|"))
    if query.mode:
        statement = statement.where(Interpreter.search_index.contains(f"|{query.mode.value}|"))
    if query.active is not None:
        statement = statement.where(Interpreter.active == query.active)
    statement = apply_sort(statement, query.sort, {"name": Interpreter.name}, [Interpreter.name, Interpreter.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@interpreters_api.get("/interpreters/<interpreter_id>", summary="Read an interpreter",
                      responses={200: InterpreterOut, **problem_responses(404)})
@allow(*READERS)
def get_interpreter(path: InterpreterPath):
    with read_only() as session:
        return interpreter_response(find(session, Interpreter, path.interpreter_id, "interpreter"))


@interpreters_api.patch("/interpreters/<interpreter_id>",
                        summary="Change an interpreter's pairs, modes or whether they still work (send If-Match)",
                        responses={200: InterpreterOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_interpreter(path: InterpreterPath, body: InterpreterUpdate):
    with unit_of_work() as uow:
        interpreter = operations.update_interpreter(uow, path.interpreter_id, body.model_dump(exclude_unset=True),
                                                    body.model_dump(mode="json", exclude_unset=True), if_match())
        return interpreter_response(interpreter)


def serialize_need(need: InterpretationNeed) -> dict:
    return NeedOut.model_validate(need).model_dump(mode="json")


def need_response(need: InterpretationNeed):
    return record_response(serialize_need(need), need.version)


@interpreters_api.post("/visits/<visit_id>/interpretation-needs",
                       summary="Say an agenda item needs a language pair: booked if someone covers it and is free, "
                               "otherwise a request is raised",
                       responses={201: NeedOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_need(path: VisitPath, body: NeedCreate):
    with unit_of_work() as uow:
        need = operations.add_need(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize_need(need), f"/api/v1/visits/{path.visit_id}/interpretation-needs/{need.id}",
                       need.version)


def filtered(statement: Select, query: NeedQuery) -> Select:
    if query.status:
        statement = statement.where(InterpretationNeed.status == query.status)
    if query.language_pair:
        statement = statement.where(InterpretationNeed.language_pair == checked_pair(query.language_pair,
                                                                                     "language_pair"))
    sortable = {"created_at": InterpretationNeed.created_at, "status": InterpretationNeed.status}
    return apply_sort(statement, query.sort, sortable, [InterpretationNeed.created_at, InterpretationNeed.id])


@interpreters_api.get("/interpretation-needs", summary="Interpretation needs of every visit, e.g. open requests",
                      responses={200: Page[NeedOut]})
@allow(*READERS)
def list_all_needs(query: NeedQuery):
    with read_only() as session:
        return json_response(paginate(session, filtered(select(InterpretationNeed), query), query, serialize_need))


@interpreters_api.get("/visits/<visit_id>/interpretation-needs", summary="The visit's interpretation needs",
                      responses={200: Page[NeedOut], **problem_responses(404)})
@allow(*READERS)
def list_visit_needs(path: VisitPath, query: NeedQuery):
    with read_only() as session:
        find_visit(session, path.visit_id)
        statement = filtered(select(InterpretationNeed).where(InterpretationNeed.visit_id == path.visit_id), query)
        return json_response(paginate(session, statement, query, serialize_need))


@interpreters_api.post("/visits/<visit_id>/interpretation-needs/<need_id>/book",
                       summary="Fulfil a request with an interpreter (send If-Match)",
                       responses={200: NeedOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def book_need(path: NeedPath, body: BookRequest):
    with unit_of_work() as uow:
        return need_response(operations.book_need(uow, path.visit_id, path.need_id, body.interpreter_id,
                                                  if_match()))


@interpreters_api.post("/visits/<visit_id>/interpretation-needs/<need_id>/cancel",
                       summary="Cancel a booking or a request (send If-Match)",
                       responses={200: NeedOut, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def cancel_need(path: NeedPath):
    with unit_of_work() as uow:
        return need_response(operations.cancel_need(uow, path.visit_id, path.need_id, if_match()))
