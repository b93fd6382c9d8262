"""The documents' use cases on an in-memory unit of work: what they record, and what they keep out."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from services.trips.domain.documents import DocumentKind, DocumentStatus, NotWaivable
from services.trips.operations.documents import (
    purge_passport_data,
    record_document,
    record_passport,
    travel_order_context,
)
from services.trips.operations.trips import move_trip
from services.trips.tests.records import new_trip, office, put_papers_in_order
from services.trips.tests.support import STAFF


def test_recording_a_passport_publishes_its_state_and_audits_the_fields_never_their_values():
    uow = office()
    trip = new_trip(uow, travellers=(STAFF,))
    traveller = trip.travellers[0]
    record_passport(uow, trip.id, traveller.id, "751234567", date(2031, 2, 14), date(1975, 4, 2))
    event_type, subject, data = uow.events[-1]
    assert event_type == "chancery.trips.document.recorded.v1" and subject == traveller.id
    assert data["kind"] == "passport" and data["valid_until"] == "2031-02-14"
    assert not data["trip_ready_for_departure"] and "751234567" not in str(data)
    assert uow.audits[-1] == ("document.passport.recorded", "traveller", traveller.id,
                              {"trip_id": trip.id, "fields": ["date_of_birth", "expires_on", "number"]})


def test_only_a_visa_may_be_not_required():
    uow = office()
    trip = new_trip(uow, travellers=(STAFF,))
    with pytest.raises(NotWaivable) as refused:
        record_document(uow, trip.id, trip.travellers[0].id, DocumentKind.INSURANCE,
                        {"status": DocumentStatus.NOT_REQUIRED, "valid_until": None, "reference": None}, {}, None)
    assert refused.value.field == "status"


def test_passport_data_of_trips_ended_longer_ago_than_the_retention_is_purged_and_audited():
    uow = office()
    uow.runtime.settings = SimpleNamespace(pii_retention_days=30)
    trip = new_trip(uow, travellers=(STAFF,))
    traveller = trip.travellers[0]
    record_passport(uow, trip.id, traveller.id, "751234567", date(2031, 2, 14), date(1975, 4, 2))
    purge_passport_data(uow, datetime(2027, 6, 1, tzinfo=UTC))  # the trip ended on 2027-05-23
    assert traveller.passport_number == "751234567"
    purge_passport_data(uow, datetime(2027, 7, 1, tzinfo=UTC))
    assert traveller.passport_number is None and traveller.date_of_birth is None
    assert uow.audits[-1] == ("personal-data.purged", "traveller", traveller.id,
                              {"trip_id": trip.id, "fields": ["date_of_birth", "passport_number"]})


def test_the_travel_order_names_the_approvals_of_the_round_that_approved_the_trip_only():
    uow = office()
    trip = new_trip(uow)
    put_papers_in_order(uow, trip)
    for action, reason in (("submit", None), ("approve", None), ("send-back", "Cut a night"), ("submit", None),
                           ("approve", None), ("approve", None)):
        move_trip(uow, trip.id, action, reason, None)
    context = travel_order_context(trip, date(2027, 5, 1))
    assert [d["step"] for d in context["decisions"]] == ["department-head", "mayor-office"]
    assert len(trip.decisions) == 4 and context["days"] == 4 and context["number"] == trip.travel_order_number
