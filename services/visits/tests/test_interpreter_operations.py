"""Interpreters and interpretation needs on an in-memory unit of work: booked, requested, never twice at once."""

import pytest

from services.visits.operations.interpreters import add_need, book_need, cancel_need, register_interpreter
from services.visits.tests.records import a_visit, an_agenda_item, recording_uow
from shared.kit.lifecycle import IllegalTransition
from shared.kit.refusals import Conflict, Invalid


@pytest.fixture
def uow():
    return recording_uow()


def need(item, **fields):
    return {"agenda_item_id": item.id, "language_pair": "bg-fr", "mode": "consecutive", "interpreter_id": None,
            **fields}


def test_a_need_nobody_covers_is_requested_with_the_reason_then_booked(uow):
    visit = a_visit(uow)
    item = an_agenda_item(uow, visit, [])
    raised = add_need(uow, visit.id, need(item), {})
    assert raised.status == "requested" and raised.reason
    interpreter = register_interpreter(uow, "Mariya Ivanova", ["fr-bg"], ["consecutive"], {})
    book_need(uow, visit.id, raised.id, interpreter.id, frozenset({1}))
    assert uow.event_types()[-1] == "chancery.visits.interpretation-need.booked.v1"
    assert uow.events[-1][2]["need"]["interpreter_id"] == interpreter.id


def test_an_interpreter_booked_elsewhere_at_that_time_is_refused_naming_them(uow):
    visit = a_visit(uow)
    interpreter = register_interpreter(uow, "Mariya Ivanova", ["fr-bg"], ["consecutive"], {})
    first = an_agenda_item(uow, visit, [])
    other = an_agenda_item(uow, visit, [], host_participants=[], venue="Hall 2")
    add_need(uow, visit.id, need(first, interpreter_id=interpreter.id), {})
    with pytest.raises(Conflict) as refused:
        add_need(uow, visit.id, need(other, interpreter_id=interpreter.id), {})
    assert refused.value.slug == "double-booking" and refused.value.extensions == {"interpreter_id": interpreter.id}


def test_a_pair_of_one_language_is_refused_naming_the_field(uow):
    with pytest.raises(Invalid) as refused:
        register_interpreter(uow, "Mariya Ivanova", ["bg-bg"], ["consecutive"], {})
    assert refused.value.field == "pairs" and uow.events == []


def test_a_cancelled_need_allows_nothing_more(uow):
    visit = a_visit(uow)
    raised = add_need(uow, visit.id, need(an_agenda_item(uow, visit, [])), {})
    cancel_need(uow, visit.id, raised.id, None)
    with pytest.raises(IllegalTransition) as refused:
        cancel_need(uow, visit.id, raised.id, None)
    assert refused.value.allowed == []
