"""The programme's use cases on an in-memory unit of work: legs, stays and meetings of an open trip."""

from datetime import datetime

import pytest

from services.trips.domain.programme import InvalidTime, ProgrammeFrozen
from services.trips.operations.programme import add_item, change_item, remove_item
from services.trips.operations.trips import move_trip
from services.trips.tests.records import LEG, MEETING, PARTNER, STAY, new_trip, office


def test_adding_a_leg_records_its_event_with_the_trips_partner_and_country_and_an_audit_naming_the_trip():
    uow = office()
    trip = new_trip(uow)
    leg = add_item(uow, trip.id, "leg", LEG, {"origin": "Moscow (SVO)"})
    event_type, subject, data = uow.events[-1]
    assert event_type == "chancery.trips.leg.added.v1" and subject == leg.id
    assert data["partner_id"] == PARTNER and data["country"] == "BG" and data["duration_minutes"] == 95
    assert data["departs_at"] == "2027-05-20T07:40:00+03:00"
    assert uow.audits[-1] == ("leg.added", "leg", leg.id, {"trip_id": trip.id, "origin": "Moscow (SVO)"})


def test_a_leg_arriving_before_it_departs_is_refused_naming_arrives_at_before_the_trip_is_looked_at():
    uow = office()
    with pytest.raises(InvalidTime) as refused:
        add_item(uow, "no-such-trip", "leg", {**LEG, "arrives_local": datetime(2027, 5, 20, 5)}, {})
    assert refused.value.field == "arrives_at" and uow.events == []


def test_a_meeting_event_says_whether_there_is_a_briefing_never_what_it_says():
    uow = office()
    trip = new_trip(uow)
    add_item(uow, trip.id, "meeting", MEETING, {})
    data = uow.events[-1][2]
    assert data["has_briefing"] is True and "briefing" not in data


def test_the_programme_of_a_cancelled_trip_is_frozen_until_it_is_reopened():
    uow = office()
    trip = new_trip(uow)
    stay = add_item(uow, trip.id, "stay", STAY, {})
    move_trip(uow, trip.id, "cancel", "Postponed", None)
    with pytest.raises(ProgrammeFrozen) as refused:
        change_item(uow, trip.id, "stay", stay.id, {"name": "Other"}, {}, None)
    assert refused.value.extensions["allowed_actions"] == ["reopen"]
    move_trip(uow, trip.id, "reopen", "Rescheduled", None)
    remove_item(uow, trip.id, "stay", stay.id, frozenset({1}))
    assert uow.event_types()[-2:] == ["chancery.trips.trip.reopened.v1", "chancery.trips.stay.removed.v1"]
