"""The trip request use cases on an in-memory unit of work: what they record, and what they refuse."""

from datetime import UTC, date, datetime

import pytest

from services.trips.app import SPEC
from services.trips.domain.documents import DocumentsMissing
from services.trips.domain.trip import NotEditable, NotTheApprover
from services.trips.operations.trips import move_trip, record_refused_decision, update_trip
from services.trips.tests.records import TRIP, approved_trip, new_trip, office
from services.trips.tests.support import STAFF
from shared.kit.refusals import Invalid, NotFound, StaleVersion
from shared.testing import RecordingUnitOfWork


def test_asking_for_a_trip_records_its_created_event_and_an_audit_record_of_what_was_sent():
    uow = office()
    trip = new_trip(uow)
    assert uow.event_types() == ["chancery.trips.trip.created.v1"]
    assert uow.audits == [("trip.created", "trip", trip.id, {"title": TRIP["title"]})]


def test_a_trip_ending_before_it_starts_is_refused_naming_ends_on():
    uow = office()
    trip = new_trip(uow)
    with pytest.raises(Invalid) as refused:
        update_trip(uow, trip.id, {"ends_on": date(2027, 5, 1)}, {}, None)
    assert refused.value.field == "ends_on" and len(uow.events) == 1


def test_changing_an_older_version_or_a_submitted_request_is_refused():
    uow = office()
    trip = new_trip(uow)
    with pytest.raises(StaleVersion):
        update_trip(uow, trip.id, {"title": "Other"}, {}, frozenset({5}))
    move_trip(uow, trip.id, "submit", None, frozenset({1}))
    with pytest.raises(NotEditable) as refused:
        update_trip(uow, trip.id, {"title": "Other"}, {}, None)
    assert refused.value.extensions["allowed_actions"] == ["approve", "send-back", "recall", "cancel"]


def test_submitting_registers_the_travel_order_in_the_year_of_the_units_clock():
    uow = office(clock=lambda: datetime(2031, 1, 2, tzinfo=UTC))
    trip = new_trip(uow)
    move_trip(uow, trip.id, "submit", None, None)
    assert trip.travel_order_number == "TO-2031-00001" and trip.awaiting == "department-head"
    assert uow.event_types()[-1] == "chancery.trips.trip.submitted.v1"


def test_approving_the_last_step_without_the_travellers_papers_is_refused_naming_what_is_missing():
    uow = office()
    trip = new_trip(uow, travellers=(STAFF,))
    move_trip(uow, trip.id, "submit", None, None)
    with pytest.raises(DocumentsMissing) as refused:
        move_trip(uow, trip.id, "approve", None, None)
    assert {item["kind"] for item in refused.value.extensions["missing_documents"]} == {
        "passport", "visa", "insurance", "travel_order"}


def test_approving_through_the_chain_records_a_step_then_the_approval():
    uow = office()
    approved_trip(uow)
    decided = [t for t in uow.event_types() if t.endswith(("step-approved.v1", ".approved.v1"))]
    assert decided == ["chancery.trips.trip.step-approved.v1", "chancery.trips.trip.approved.v1"]


def test_another_departments_head_is_not_the_approver_and_does_not_find_a_trip_outside_its_department():
    uow = office()
    trip = new_trip(uow, travellers=(STAFF,))
    move_trip(uow, trip.id, "submit", None, None)
    uow.session.commit()
    head = RecordingUnitOfWork(SPEC, roles=frozenset({"department-head"}), department="Culture")
    head.session = uow.session
    with pytest.raises(NotTheApprover):
        move_trip(head, trip.id, "approve", None, None)
    with pytest.raises(NotFound):
        move_trip(head, trip.id, "approve", None, None, scope="Culture")
    record_refused_decision(head, trip.id, "approve", None)
    assert head.audits == [("trip.decision-refused", "trip", trip.id, {
        "action": "approve", "awaiting": None, "awaiting_department": None, "actor_department": "Culture"})]
