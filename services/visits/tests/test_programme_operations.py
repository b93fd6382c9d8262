"""The programme's use cases on an in-memory unit of work: venue times, guests, clashes."""

from datetime import datetime

import pytest

from services.visits.operations.engagements import ScheduleClash
from services.visits.operations.programme import remove_item, update_item
from services.visits.tests.records import a_member, a_visit, an_agenda_item, recording_uow
from shared.kit.refusals import Invalid


@pytest.fixture
def uow():
    return recording_uow()


def test_an_item_is_kept_in_utc_and_its_event_names_the_visit(uow):
    visit = a_visit(uow)
    item = an_agenda_item(uow, visit, [])
    assert item.starts_at.isoformat() == "2027-03-10T08:00:00+00:00"
    _, _, data = uow.events[-1]
    assert data["visit_id"] == visit.id and data["item"]["starts_at"] == "2027-03-10T08:00:00Z"


def test_a_guest_from_another_delegation_is_refused_naming_their_position(uow):
    stranger = a_member(uow, a_visit(uow))
    with pytest.raises(Invalid) as refused:
        an_agenda_item(uow, a_visit(uow), [stranger.id])
    assert refused.value.field == "guest_participants.0"


def test_an_official_in_two_places_at_once_is_refused_naming_the_other_item(uow):
    visit = a_visit(uow)
    first = an_agenda_item(uow, visit, [])
    with pytest.raises(ScheduleClash) as refused:
        an_agenda_item(uow, visit, [], venue="Elsewhere", starts_at=datetime(2027, 3, 10, 11))
    assert [clash["item_id"] for clash in refused.value.extensions["clashes"]] == [first.id]


def test_moving_an_item_outside_the_visit_is_refused_and_removing_it_is_recorded(uow):
    visit = a_visit(uow)
    item = an_agenda_item(uow, visit, [])
    with pytest.raises(Invalid):
        update_item(uow, visit.id, item.id, {"starts_at": datetime(2027, 4, 1, 10)}, {}, None)
    remove_item(uow, visit.id, item.id, None)
    assert uow.event_types()[-1] == "chancery.visits.agenda-item.removed.v1"
    assert uow.audits[-1] == ("agenda-item.removed", "agenda-item", item.id, {"title": "Talks on urban transport"})
