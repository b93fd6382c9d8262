"""Interpreters: the register, and each agenda item's needs booked without double booking, or requested."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select

from services.visits.domain.interpreters import (
    NEED_LIFECYCLE,
    Candidate,
    InvalidPair,
    NeedStatus,
    NotCovered,
    check_covers,
    choose,
    pair_key,
)
from services.visits.domain.visit import VisitStatus
from services.visits.events import contents
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import open_visit
from services.visits.store.models import AgendaItem, InterpretationNeed, Interpreter, Visit
from shared.db import find
from shared.kit.refusals import Conflict, Invalid
from shared.uow import UnitOfWork


def checked_pair(pair: str, field: str) -> str:
    """The pair as the register keeps it (`bg-zh`), or Invalid naming `field`."""
    try:
        return pair_key(pair)
    except InvalidPair as error:
        raise Invalid(field, str(error)) from error


def normalized_pairs(pairs: list[str]) -> list[str]:
    return sorted({checked_pair(pair, "pairs") for pair in pairs})


def index(interpreter: Interpreter) -> None:
    interpreter.search_index = f"|{'|'.join([*interpreter.pairs, *interpreter.modes])}|"


def register_interpreter(uow: UnitOfWork, name: str, pairs: list[str], modes: list[str], changes: dict[str, Any]
                         ) -> Interpreter:
    interpreter = Interpreter(name=name, pairs=normalized_pairs(pairs), modes=sorted(set(modes)), active=True,
                              version=1)
    index(interpreter)
    uow.session.add(interpreter)
    uow.record_change("interpreter", "registered", interpreter, contents.interpreter, changes)
    return interpreter


def update_interpreter(uow: UnitOfWork, interpreter_id: str, fields: dict[str, Any], changes: dict[str, Any],
                       expected_version: frozenset[int] | None) -> Interpreter:
    """Change an interpreter's pairs, modes or whether they still work."""
    interpreter = find_current(uow.session, Interpreter, interpreter_id, "interpreter", expected_version)
    if not fields:
        return interpreter
    fields = dict(fields)
    if "pairs" in fields:
        fields["pairs"] = normalized_pairs(fields["pairs"])
    if "modes" in fields:
        fields["modes"] = sorted(set(fields["modes"]))
    set_fields(interpreter, fields)
    index(interpreter)
    interpreter.version += 1
    uow.record_change("interpreter", "updated", interpreter, contents.interpreter, changes)
    return interpreter


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
    return {interpreter_id: title for interpreter_id, title in rows if interpreter_id}


def book(uow: UnitOfWork, need: InterpretationNeed, item: AgendaItem, interpreter_id: str) -> None:
    interpreter = find(uow.session, Interpreter, interpreter_id, "interpreter")
    try:
        check_covers(candidate(interpreter), need.language_pair, need.mode)
    except NotCovered as error:
        raise Invalid("interpreter_id", str(error)) from error
    busy = busy_interpreters(uow, item)
    if interpreter.id in busy:
        raise Conflict(f"{interpreter.name} is already booked for “{busy[interpreter.id]}” at that time",
                       slug="double-booking", interpreter_id=interpreter.id)
    need.status, need.interpreter_id, need.reason = NeedStatus.BOOKED.value, interpreter.id, None


def book_or_request(uow: UnitOfWork, need: InterpretationNeed, item: AgendaItem) -> None:
    interpreters = [candidate(i) for i in uow.session.scalars(select(Interpreter).where(Interpreter.active))]
    chosen, why_not = choose(interpreters, need.language_pair, need.mode, set(busy_interpreters(uow, item)))
    if chosen is None:
        need.status, need.interpreter_id, need.reason = NeedStatus.REQUESTED.value, None, why_not
    else:
        need.status, need.interpreter_id, need.reason = NeedStatus.BOOKED.value, chosen.id, None


def record_need_change(uow: UnitOfWork, visit: Visit, need: InterpretationNeed, changes: dict[str, Any]) -> None:
    """The event is named by the need's status: booked, requested or cancelled."""
    uow.record_change("interpretation-need", need.status, need, partial(contents.interpretation_need, visit=visit),
                      changes, part_of=visit)


def add_need(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> InterpretationNeed:
    """An agenda item's need of a language pair: booked if someone covers it and is free (or the interpreter
    named is), otherwise requested."""
    visit = open_visit(uow.session, visit_id)
    item = find(uow.session, AgendaItem, fields["agenda_item_id"], "agenda item", visit_id=visit.id)
    need = InterpretationNeed(visit_id=visit.id, agenda_item_id=item.id, mode=fields["mode"], version=1,
                              language_pair=checked_pair(fields["language_pair"], "language_pair"))
    if fields["interpreter_id"]:
        book(uow, need, item, fields["interpreter_id"])
    else:
        book_or_request(uow, need, item)
    uow.session.add(need)
    record_need_change(uow, visit, need, changes)
    return need


def changing_need(uow: UnitOfWork, visit_id: str, need_id: str, action: str,
                  expected_version: frozenset[int] | None) -> tuple[Visit, InterpretationNeed]:
    visit = open_visit(uow.session, visit_id)
    need = find_current(uow.session, InterpretationNeed, need_id, "interpretation need", expected_version,
                        visit_id=visit.id)
    NEED_LIFECYCLE.next_status(need.status, action)
    return visit, need


def book_need(uow: UnitOfWork, visit_id: str, need_id: str, interpreter_id: str,
              expected_version: frozenset[int] | None) -> InterpretationNeed:
    """Fulfil a request with an interpreter."""
    visit, need = changing_need(uow, visit_id, need_id, "book", expected_version)
    book(uow, need, find(uow.session, AgendaItem, need.agenda_item_id, "agenda item"), interpreter_id)
    need.version += 1
    record_need_change(uow, visit, need, {"interpreter_id": interpreter_id})
    return need


def cancel_need(uow: UnitOfWork, visit_id: str, need_id: str, expected_version: frozenset[int] | None
                ) -> InterpretationNeed:
    visit, need = changing_need(uow, visit_id, need_id, "cancel", expected_version)
    need.status, need.version = NeedStatus.CANCELLED.value, need.version + 1
    record_need_change(uow, visit, need, {"status": need.status})
    return need
