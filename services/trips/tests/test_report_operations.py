"""The report use cases on an in-memory unit of work."""

from datetime import UTC, datetime

import pytest

from services.trips.domain.report import AlreadyWritten, NotEditable, TripNotReportable
from services.trips.operations.reports import move_report, update_report
from services.trips.tests.records import a_report, approved_trip, new_trip, office
from shared.kit.refusals import Invalid

NOON = datetime(2027, 6, 1, 12, tzinfo=UTC)


def test_a_report_is_written_once_and_only_after_the_trip_was_approved():
    uow = office()
    with pytest.raises(TripNotReportable) as refused:
        a_report(uow, new_trip(uow))
    assert refused.value.slug == "illegal-transition" and "after the trip" in refused.value.detail
    trip = approved_trip(uow)
    report = a_report(uow, trip)
    assert uow.events[-1][0] == "chancery.trips.report.drafted.v1" and uow.audits[-1][3] == {"trip_id": trip.id}
    assert uow.events[-1][2]["follow_ups"][0]["id"] == report.follow_ups[0].id
    with pytest.raises(AlreadyWritten):
        a_report(uow, trip)


def test_submitting_stamps_the_units_clock_and_a_submitted_report_changes_only_after_a_revision():
    uow = office(clock=lambda: NOON)
    trip = approved_trip(uow)
    a_report(uow, trip)
    report = move_report(uow, trip.id, "submit", None, frozenset({1}))
    assert report.submitted_at == NOON and uow.event_types()[-1] == "chancery.trips.report.submitted.v1"
    with pytest.raises(NotEditable) as refused:
        update_report(uow, trip.id, {"outcomes": "More"}, {}, None)
    assert refused.value.extensions["allowed_actions"] == ["revise"]


def test_a_follow_up_id_the_report_does_not_have_is_refused_naming_its_position():
    uow = office()
    trip = approved_trip(uow)
    a_report(uow, trip)
    with pytest.raises(Invalid) as refused:
        update_report(uow, trip.id, {"follow_ups": [{"id": "nope", "title": "x", "due_on": NOON.date(),
                                                      "responsible_body": "y"}]}, {}, None)
    assert refused.value.field == "follow_ups.0.id"
