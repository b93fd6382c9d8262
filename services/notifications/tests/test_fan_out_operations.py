"""The fan-out on an in-memory unit of work: who hears an event, on which channel, as of the unit of work's
clock."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from services.notifications.app import SPEC
from services.notifications.operations.fan_out import fan_out
from services.notifications.operations.subscriptions import subscribe
from services.notifications.operations.watches import watch
from services.notifications.store.models import Delivery, Notification
from shared.testing import RecordingUnitOfWork

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
VISIT = "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"


@pytest.fixture
def uow():
    return RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"protocol"}), clock=lambda: NOW)


def event(event_id="e-1", event_type="chancery.visits.visit.updated.v1", subject=VISIT, **data):
    return {"id": event_id, "type": event_type, "subject": subject,
            "data": {"delegation_name": "Delegation of the City of Lyon", **data}}


def rows(uow, model):
    return uow.session.execute(select(model)).scalars().all()


def test_a_subscriber_gets_the_event_in_their_inbox_delivered_at_the_unit_of_works_time(uow):
    subscribe(uow, "chancery.visits.#", None, {})
    fan_out(uow, event())
    [notification] = rows(uow, Notification)
    [delivery] = rows(uow, Delivery)
    assert (notification.recipient, notification.event_id, notification.subject) == ("olga", "e-1", VISIT)
    assert (delivery.channel, delivery.status, delivery.finished_at.replace(tzinfo=UTC)) == ("in-app", "delivered",
                                                                                              NOW)


def test_a_person_who_both_subscribes_and_watches_hears_once(uow):
    subscribe(uow, "chancery.visits.#", None, {})
    watch(uow, "visit", VISIT, {})
    fan_out(uow, event())
    assert [row.recipient for row in rows(uow, Notification)] == ["olga"]


def test_a_confidential_event_does_not_reach_protocol_staff(uow):
    subscribe(uow, "chancery.visits.#", None, {})
    fan_out(uow, event(confidential=True))
    assert rows(uow, Notification) == [] and rows(uow, Delivery) == []


def test_event_data_that_is_not_an_object_is_refused():
    with pytest.raises(TypeError, match="not a JSON object"):
        fan_out(RecordingUnitOfWork(SPEC), {"id": "e-1", "type": "chancery.visits.visit.updated.v1", "data": [1]})
