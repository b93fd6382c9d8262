"""Interpreters: the register, and each agenda item's needs booked without double booking, or requested."""

from __future__ import annotations

from sqlalchemy import Select

from services.visits.api import interpreter_schemas as schemas
from services.visits.api.common import READERS, WRITERS
from services.visits.api.visit_schemas import VisitPath
from services.visits.operations import interpreters as operations
from services.visits.operations.interpreters import checked_pair
from services.visits.operations.visits import find_visit
from services.visits.store.models import InterpretationNeed, Interpreter
from shared.http.records import if_match
from shared.http.views import Resource, blueprint, changes, fields, versioned

interpreters_api = blueprint("interpreters", __name__, "Interpreters and their bookings")


def covering(statement: Select, query: schemas.InterpreterQuery) -> Select:
    if query.pair:
        statement = statement.where(Interpreter.search_index.contains(f"|{checked_pair(query.pair, 'pair')}|"))
    if query.mode:
        statement = statement.where(Interpreter.search_index.contains(f"|{query.mode.value}|"))
    return statement


INTERPRETERS = Resource(interpreters_api, "/interpreters", "interpreter_id", Interpreter, schemas.InterpreterOut,
                        READERS,
                        WRITERS)
INTERPRETERS.create("register_interpreter", "Add an interpreter to the register", schemas.InterpreterCreate,
                    lambda uow, ids, body: operations.register_interpreter(uow, body.name, body.pairs, body.modes,
                                                                           body.model_dump(mode="json")))
INTERPRETERS.listing("list_interpreters", "The register, e.g. who covers a pair", schemas.InterpreterQuery,
                     filters=("active",), narrow=(covering,), sortable=("name",), order=("name",))
INTERPRETERS.read("get_interpreter", "Read an interpreter", schemas.InterpreterPath)
INTERPRETERS.change("update_interpreter",
                    "Change an interpreter's pairs, modes or whether they still work (send If-Match)",
                    schemas.InterpreterPath, schemas.InterpreterUpdate, changes(operations.update_interpreter))


def in_pair(statement: Select, query: schemas.NeedQuery) -> Select:
    if query.language_pair:
        statement = statement.where(InterpretationNeed.language_pair == checked_pair(query.language_pair,
                                                                                     "language_pair"))
    return statement


NEEDS = Resource(interpreters_api, "/visits/<visit_id>/interpretation-needs", "need_id", InterpretationNeed,
                 schemas.NeedOut,
                 READERS, WRITERS)
NEEDS.create("add_need", "Say an agenda item needs a language pair: booked if someone covers it and is free, "
                         "otherwise a request is raised", schemas.NeedCreate, fields(operations.add_need),
             path=VisitPath, problems=(404, 409))
for _name, _summary, _path in (
        ("list_all_needs", "Interpretation needs of every visit, e.g. open requests", None),
        ("list_visit_needs", "The visit's interpretation needs", VisitPath)):
    NEEDS.listing(_name, _summary, schemas.NeedQuery, path=_path, parent=find_visit,
                  at=None if _path else "/interpretation-needs", filters=("status",), narrow=(in_pair,),
                  sortable=("created_at", "status"), order=("created_at",))
NEEDS.act("book", "book_need", "Fulfil a request with an interpreter (send If-Match)", schemas.NeedPath,
          lambda uow, ids, body: operations.book_need(uow, *ids, body.interpreter_id,
                                                      if_match()), body=schemas.BookRequest)
NEEDS.act("cancel", "cancel_need", "Cancel a booking or a request (send If-Match)", schemas.NeedPath,
          versioned(operations.cancel_need))
