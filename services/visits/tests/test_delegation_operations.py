"""The delegation's use cases on an in-memory unit of work: one head, closed visits, removing a person."""

import pytest

from services.visits.domain.delegation import DelegationClosed, SecondHead
from services.visits.operations.delegation import remove_member, update_member
from services.visits.operations.visits import move_visit
from services.visits.tests.records import a_member, a_visit, an_agenda_item, recording_uow
from shared.kit.refusals import StaleVersion


@pytest.fixture
def uow():
    return recording_uow()


def test_adding_a_person_records_an_event_without_their_dietary_or_access_needs(uow):
    member = a_member(uow, a_visit(uow))
    event_type, subject, data = uow.events[-1]
    assert (event_type, subject) == ("chancery.visits.delegation-member.added.v1", member.id)
    assert data["member"]["name_latin"] == "Gregoire Dubois" and "dietary_needs" not in data["member"]
    assert uow.audits[-1][:3] == ("delegation-member.added", "delegation-member", member.id)


def test_a_second_head_is_refused_naming_the_first(uow):
    visit = a_visit(uow)
    head = a_member(uow, visit)
    with pytest.raises(SecondHead) as refused:
        a_member(uow, visit, name_latin="Anne Martin")
    assert refused.value.extensions["head_id"] == head.id and refused.value.slug == "second-head"


def test_the_delegation_of_a_cancelled_visit_does_not_change(uow):
    visit = a_visit(uow)
    move_visit(uow, visit.id, "cancel", "Postponed", None)
    with pytest.raises(DelegationClosed) as refused:
        a_member(uow, visit)
    assert refused.value.extensions == {"visit_status": "cancelled"}


def test_changing_an_older_version_of_a_person_is_refused(uow):
    visit = a_visit(uow)
    member = a_member(uow, visit)
    with pytest.raises(StaleVersion):
        update_member(uow, visit.id, member.id, {"title": "Mayor"}, {"title": "Mayor"}, frozenset({2}))


def test_removing_a_person_takes_them_off_the_programme_with_an_event_for_each_item(uow):
    visit = a_visit(uow)
    member = a_member(uow, visit)
    item = an_agenda_item(uow, visit, [member.id])
    remove_member(uow, visit.id, member.id, frozenset({1}))
    assert uow.event_types()[-2:] == ["chancery.visits.agenda-item.updated.v1",
                                      "chancery.visits.delegation-member.removed.v1"]
    assert uow.events[-1][2]["removed_from"] == {"agenda_item_ids": [item.id], "seating_plan_ids": []}
    assert item.guest_participants == []
