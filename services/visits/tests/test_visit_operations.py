"""The visit use cases on an in-memory unit of work: what they record, and what they refuse."""

from datetime import date

import pytest

from services.visits.app import SPEC
from services.visits.operations.visits import create_visit, move_visit, update_visit
from shared.kit.lifecycle import IllegalTransition, MissingReason
from shared.kit.refusals import Invalid, NotFound, StaleVersion
from shared.testing import RecordingUnitOfWork

FIELDS = {"delegation_name": "Delegation of Lyon", "country": "FR", "city": "Lyon", "starts_on": date(2027, 3, 10),
          "ends_on": date(2027, 3, 12), "purpose": "Twinning anniversary", "host_official": "Deputy Mayor"}


@pytest.fixture
def uow():
    return RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"protocol"}))


def test_registering_a_visit_records_one_created_event_with_the_schema_fields_and_an_audit_record(uow):
    visit = create_visit(uow, FIELDS, {"purpose": "Twinning anniversary"})
    assert uow.event_types() == ["chancery.visits.visit.created.v1"]
    _, subject, data = uow.events[0]
    assert subject == visit.id and data["starts_on"] == "2027-03-10" and data["status"] == "draft"
    SPEC.catalog.validate("chancery.visits.visit.created.v1", data)
    assert uow.audits == [("visit.created", "visit", visit.id, {"purpose": "Twinning anniversary"})]


def test_a_visit_ending_before_it_starts_is_refused_naming_ends_on(uow):
    with pytest.raises(Invalid) as refused:
        create_visit(uow, {**FIELDS, "ends_on": date(2027, 3, 9)}, {})
    assert refused.value.field == "ends_on" and uow.events == []


def test_changing_a_visit_over_an_older_version_is_refused_and_records_nothing(uow):
    visit = create_visit(uow, FIELDS, {})
    with pytest.raises(StaleVersion):
        update_visit(uow, visit.id, {"city": "Paris"}, {"city": "Paris"}, frozenset({7}))
    assert visit.city == "Lyon" and len(uow.events) == 1


def test_confirming_then_cancelling_without_a_reason_is_refused_and_with_one_is_recorded(uow):
    visit = create_visit(uow, FIELDS, {})
    move_visit(uow, visit.id, "confirm", None, frozenset({1}))
    with pytest.raises(MissingReason):
        move_visit(uow, visit.id, "cancel", "  ", None)
    move_visit(uow, visit.id, "cancel", "The delegation postponed", None)
    assert uow.event_types()[1:] == ["chancery.visits.visit.confirmed.v1", "chancery.visits.visit.cancelled.v1"]
    assert visit.status == "cancelled" and visit.status_reason == "The delegation postponed" and visit.version == 3


def test_an_action_the_state_does_not_allow_names_the_allowed_ones(uow):
    visit = create_visit(uow, FIELDS, {})
    with pytest.raises(IllegalTransition) as refused:
        move_visit(uow, visit.id, "complete", None, None)
    assert refused.value.allowed == ["propose", "confirm", "cancel"]


def test_a_visit_that_is_not_there_is_not_found(uow):
    with pytest.raises(NotFound):
        move_visit(uow, "no-such-visit", "confirm", None, None)
