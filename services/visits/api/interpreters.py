"""Interpreters: the register, and each agenda item's needs booked without double booking, or requested."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    find,
    find_visit,
    invalid,
    open_visit,
    record_response,
)
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
from services.visits.api.schemas import VisitPath
from services.visits.domain.interpreters import (
    Candidate,
    InvalidPair,
    NeedStatus,
    NotCovered,
    check_covers,
    choose,
    pair_key,
)
from services.visits.domain.visit import VisitStatus
from services.visits.store.models import AgendaItem, InterpretationNeed, Interpreter, Visit
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

interpreters_api = APIBlueprint("interpreters", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                abp_responses=problem_responses(401, 403, 422),
                                abp_tags=[Tag(name="interpreters", description="Interpreters and their bookings")])
NEED_ACTIONS = {"book": (NeedStatus.REQUESTED,), "cancel": (NeedStatus.BOOKED, NeedStatus.REQUESTED)}


def normalized_pairs(pairs: list[str]) -> list[str]:
    try:
        return sorted({pair_key(pair) for pair in pairs})
    except InvalidPair as error:
        raise invalid("pairs", str(error)) from error


def index(interpreter: Interpreter) -> None:
    interpreter.search_index = f"|{'|'.join([*interpreter.pairs, *interpreter.modes])}|"


def interpreter_event(uow: UnitOfWork, interpreter: Interpreter, action: str, changes: dict) -> None:
    uow.session.flush()
    uow.emit(f"chancery.visits.interpreter.{action}.v1", interpreter.id,
             InterpreterOut.model_validate(interpreter).model_dump(mode="json"))
    uow.audit(f"interpreter.{action}", "interpreter", interpreter.id, changes)


@interpreters_api.post("/interpreters", summary="Add an interpreter to the register",
                       responses={201: InterpreterOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def register_interpreter(body: InterpreterCreate):
    pairs = normalized_pairs(body.pairs)
    with unit_of_work() as uow:
        interpreter = Interpreter(name=body.name, pairs=pairs, modes=sorted(set(body.modes)), active=True, version=1)
        index(interpreter)
        uow.session.add(interpreter)
        interpreter_event(uow, interpreter, "registered", body.model_dump(mode="json"))
        answer = InterpreterOut.model_validate(interpreter).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/interpreters/{interpreter.id}", interpreter.version)


@interpreters_api.get("/interpreters", summary="The register, e.g. who covers a pair",
                      responses={200: Page[InterpreterOut]})
@allow(*READERS)
def list_interpreters(query: InterpreterQuery):
    statement = select(Interpreter)
    if query.pair:
        try:
            statement = statement.where(Interpreter.search_index.contains(f"|{pair_key(query.pair)}|"))
        except InvalidPair as error:
            raise invalid("pair", str(error)) from error
    if query.mode:
        statement = statement.where(Interpreter.search_index.contains(f"|{query.mode.value}|"))
    if query.active is not None:
        statement = statement.where(Interpreter.active == query.active)
    statement = apply_sort(statement, query.sort, {"name": Interpreter.name}, [Interpreter.name, Interpreter.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query,
                                      lambda i: InterpreterOut.model_validate(i).model_dump(mode="json")))


@interpreters_api.get("/interpreters/<interpreter_id>", summary="Read an interpreter",
                      responses={200: InterpreterOut, **problem_responses(404)})
@allow(*READERS)
def get_interpreter(path: InterpreterPath):
    with read_only() as session:
        return record_response(InterpreterOut, find(session, Interpreter, path.interpreter_id, "interpreter"))


@interpreters_api.patch("/interpreters/<interpreter_id>",
                        summary="Change an interpreter's pairs, modes or whether they still work (send If-Match)",
                        responses={200: InterpreterOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_interpreter(path: InterpreterPath, body: InterpreterUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        interpreter = find(uow.session, Interpreter, path.interpreter_id, "interpreter")
        require_fresh(interpreter.version)
        if not changes:
            return record_response(InterpreterOut, interpreter)
        if "pairs" in changes:
            changes["pairs"] = normalized_pairs(changes["pairs"])
        if "modes" in changes:
            changes["modes"] = sorted(set(changes["modes"]))
        for name, value in changes.items():
            setattr(interpreter, name, value)
        index(interpreter)
        interpreter.version += 1
        interpreter_event(uow, interpreter, "updated", body.model_dump(mode="json", exclude_unset=True))
        return record_response(InterpreterOut, interpreter)


def candidate(interpreter: Interpreter) -> Candidate:
    return Candidate(interpreter.id, interpreter.name, frozenset(interpreter.pairs), frozenset(interpreter.modes),
                     interpreter.active)


def busy_interpreters(uow: UnitOfWork, item: AgendaItem) -> dict[str, str]:
    """Interpreters booked at the item's time (this item included): interpreter id -> the item's title."""
    rows = uow.session.execute(
        select(InterpretationNeed.interpreter_id, AgendaItem.title)
        .join(AgendaItem, AgendaItem.id == InterpretationNeed.agenda_item_id)
        .join(Visit, Visit.id == AgendaItem.visit_id)
        .where(InterpretationNeed.status == NeedStatus.BOOKED.value, AgendaItem.starts_at < item.ends_at,
               AgendaItem.ends_at > item.starts_at, Visit.status != VisitStatus.CANCELLED.value)).all()
    return dict(rows)


def book(uow: UnitOfWork, need: InterpretationNeed, item: AgendaItem, interpreter_id: str) -> None:
    interpreter = find(uow.session, Interpreter, interpreter_id, "interpreter")
    try:
        check_covers(candidate(interpreter), need.language_pair, need.mode)
    except NotCovered as error:
        raise invalid("interpreter_id", str(error)) from error
    busy = busy_interpreters(uow, item)
    if interpreter.id in busy:
        detail = f"{interpreter.name} is already booked for “{busy[interpreter.id]}” at that time"
        raise Problem(409, "The interpreter is booked", detail, slug="double-booking", interpreter_id=interpreter.id)
    need.status, need.interpreter_id, need.reason = NeedStatus.BOOKED.value, interpreter.id, None


def book_or_request(uow: UnitOfWork, need: InterpretationNeed, item: AgendaItem) -> None:
    interpreters = [candidate(i) for i in uow.session.scalars(select(Interpreter).where(Interpreter.active))]
    chosen, why_not = choose(interpreters, need.language_pair, need.mode, set(busy_interpreters(uow, item)))
    if chosen is None:
        need.status, need.interpreter_id, need.reason = NeedStatus.REQUESTED.value, None, why_not
    else:
        need.status, need.interpreter_id, need.reason = NeedStatus.BOOKED.value, chosen.id, None


def need_event(uow: UnitOfWork, visit: Visit, need: InterpretationNeed, changes: dict) -> None:
    uow.session.flush()
    action = need.status
    uow.emit(f"chancery.visits.interpretation-need.{action}.v1", need.id, {
        "visit_id": visit.id, "partner_id": visit.partner_id, "country": visit.country,
        "need": {"id": need.id, "agenda_item_id": need.agenda_item_id, "language_pair": need.language_pair,
                 "mode": need.mode, "status": need.status, "interpreter_id": need.interpreter_id,
                 "reason": need.reason, "version": need.version}})
    uow.audit(f"interpretation-need.{action}", "interpretation-need", need.id, changes)


def need_response(need: InterpretationNeed, status: int = 200):
    return record_response(NeedOut, need, status)


@interpreters_api.post("/visits/<visit_id>/interpretation-needs",
                       summary="Say an agenda item needs a language pair: booked if someone covers it and is free, "
                               "otherwise a request is raised",
                       responses={201: NeedOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_need(path: VisitPath, body: NeedCreate):
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        item = find(uow.session, AgendaItem, body.agenda_item_id, "agenda item", visit_id=visit.id)
        try:
            pair = pair_key(body.language_pair)
        except InvalidPair as error:
            raise invalid("language_pair", str(error)) from error
        need = InterpretationNeed(visit_id=visit.id, agenda_item_id=item.id, language_pair=pair, mode=body.mode,
                                  version=1)
        if body.interpreter_id:
            book(uow, need, item, body.interpreter_id)
        else:
            book_or_request(uow, need, item)
        uow.session.add(need)
        need_event(uow, visit, need, body.model_dump(mode="json"))
        answer = NeedOut.model_validate(need).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/visits/{visit.id}/interpretation-needs/{need.id}", need.version)


def filtered(statement: Select, query: NeedQuery) -> Select:
    if query.status:
        statement = statement.where(InterpretationNeed.status == query.status)
    if query.language_pair:
        try:
            statement = statement.where(InterpretationNeed.language_pair == pair_key(query.language_pair))
        except InvalidPair as error:
            raise invalid("language_pair", str(error)) from error
    sortable = {"created_at": InterpretationNeed.created_at, "status": InterpretationNeed.status}
    return apply_sort(statement, query.sort, sortable, [InterpretationNeed.created_at, InterpretationNeed.id])


def serialize_need(need: InterpretationNeed) -> dict:
    return NeedOut.model_validate(need).model_dump(mode="json")


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


def changing_need(uow: UnitOfWork, path: NeedPath, action: str) -> tuple[Visit, InterpretationNeed]:
    visit = open_visit(uow, path.visit_id)
    need = find(uow.session, InterpretationNeed, path.need_id, "interpretation need", visit_id=visit.id)
    require_fresh(need.version)
    if NeedStatus(need.status) not in NEED_ACTIONS[action]:
        allowed = [name for name, sources in NEED_ACTIONS.items() if NeedStatus(need.status) in sources]
        raise Problem(409, "Transition not allowed", f"cannot {action} a need that is {need.status}",
                      slug="illegal-transition", allowed_actions=allowed)
    return visit, need


@interpreters_api.post("/visits/<visit_id>/interpretation-needs/<need_id>/book",
                       summary="Fulfil a request with an interpreter (send If-Match)",
                       responses={200: NeedOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def book_need(path: NeedPath, body: BookRequest):
    with unit_of_work() as uow:
        visit, need = changing_need(uow, path, "book")
        item = uow.session.get(AgendaItem, need.agenda_item_id)
        book(uow, need, item, body.interpreter_id)
        need.version += 1
        need_event(uow, visit, need, {"interpreter_id": body.interpreter_id})
        return need_response(need)


@interpreters_api.post("/visits/<visit_id>/interpretation-needs/<need_id>/cancel",
                       summary="Cancel a booking or a request (send If-Match)",
                       responses={200: NeedOut, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def cancel_need(path: NeedPath):
    with unit_of_work() as uow:
        visit, need = changing_need(uow, path, "cancel")
        need.status, need.version = NeedStatus.CANCELLED.value, need.version + 1
        need_event(uow, visit, need, {"status": need.status})
        return need_response(need)
