"""The gifts register and the checklist on an in-memory unit of work: the declaration rule from the settings,
tasks done once, overdue reported once."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.visits.operations.checklist import add_task, complete_task, report_overdue_tasks, update_task
from services.visits.operations.gifts import register_gift, update_gift
from services.visits.tests.records import GIFT, a_visit, recording_uow
from shared.kit.refusals import Conflict, Invalid

TASK = {"title": "Order the flags", "owner": "ivan", "due_on": date(2027, 3, 3)}


@pytest.fixture
def uow():
    return recording_uow()


def test_a_received_gift_over_the_threshold_of_the_settings_must_be_declared(uow):
    gift = register_gift(uow, a_visit(uow).id, GIFT, {})
    assert uow.event_types()[-2:] == ["chancery.visits.gift.registered.v1",
                                      "chancery.visits.gift.declaration-required.v1"]
    assert gift.declaration_threshold == "150.00 EUR" and gift.declaration_due_on == date(2027, 4, 9)
    assert uow.events[-1][2]["gift"]["value_amount"] == "400.00"
    assert uow.events[-1][2]["gift"]["declaration"] == "pending"


def test_a_gift_under_the_threshold_needs_no_declaration_and_cannot_be_declared(uow):
    visit = a_visit(uow)
    gift = register_gift(uow, visit.id, {**GIFT, "value_amount": Decimal("20.00")}, {})
    assert uow.event_types()[-1] == "chancery.visits.gift.registered.v1"
    with pytest.raises(Invalid) as refused:
        update_gift(uow, visit.id, gift.id, {"declared_on": date(2027, 3, 11)}, {}, None)
    assert refused.value.field == "declared_on"


def test_a_task_is_done_once_by_the_actor(uow):
    visit = a_visit(uow)
    task = add_task(uow, visit.id, TASK, {})
    complete_task(uow, visit.id, task.id, frozenset({1}))
    assert task.done_by == "olga" and uow.audits[-1] == ("checklist-task.completed", "checklist-task", task.id,
                                                         {"done_by": "olga"})
    with pytest.raises(Conflict) as refused:
        complete_task(uow, visit.id, task.id, None)
    assert refused.value.slug == "illegal-transition" and refused.value.extensions == {"allowed_actions": []}


def test_an_overdue_task_is_reported_once_and_again_after_a_new_due_date(uow):
    visit = a_visit(uow)
    task = add_task(uow, visit.id, TASK, {})
    later = datetime(2027, 3, 5, tzinfo=UTC)
    report_overdue_tasks(uow, later)
    report_overdue_tasks(uow, later)
    update_task(uow, visit.id, task.id, {"due_on": date(2027, 3, 4)}, {}, None)
    report_overdue_tasks(uow, later)
    overdue = [data["task"] for event_type, _, data in uow.events if event_type.endswith(".overdue.v1")]
    assert [(t["due_on"], t["overdue"]) for t in overdue] == [("2027-03-03", True), ("2027-03-04", True)]
