"""Officials' engagements in visits as visits' events tell them (decision 0131): the newest version only, and the
approval they refuse or let through with an audited override."""

import pytest

from services.trips.domain.officials import OfficialBusy
from services.trips.operations.engagements import note_engagement, note_visit_cancelled
from services.trips.operations.trips import move_trip
from services.trips.store.models import VisitEngagement
from services.trips.tests.records import new_trip, office, put_papers_in_order
from services.trips.tests.support import MAYOR, STAFF

MEETING_ID, VISIT_ID = "c1e3a5b7-9d0f-4b2d-8e4a-6c8e0a2c4e60", "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"


def seen(version: int, status: str = "planned", **fields) -> dict:
    """A meeting of the mayor on the trip's second day (late evening in Sofia: the next day in UTC+14)."""
    return {"id": MEETING_ID, "title": "The Mayor receives the Ambassador of Japan", "visit_id": VISIT_ID,
            "starts_at": "2027-05-21T20:00:00Z", "ends_at": "2027-05-21T20:45:00Z", "time_zone": "Europe/Sofia",
            "officials": ["Mayor of Sofia"], "official_ids": ["sub-mayor"], "status": status, "version": version,
            **fields}


def submitted(uow, mayor=MAYOR):
    trip = new_trip(uow, travellers=(STAFF, mayor))
    put_papers_in_order(uow, trip)
    move_trip(uow, trip.id, "submit", None, None)
    move_trip(uow, trip.id, "approve", None, None)  # the department head's step
    return trip


def test_an_engagement_event_older_than_the_one_kept_changes_nothing():
    uow = office()
    note_engagement(uow, "meeting", seen(2), removed=False)
    note_engagement(uow, "meeting", seen(1, "cancelled", title="Older"), removed=False)
    note_engagement(uow, "meeting", seen(2, "cancelled"), removed=False)
    kept = uow.session.get(VisitEngagement, MEETING_ID)
    assert (kept.active, kept.title, kept.version) == (True, "The Mayor receives the Ambassador of Japan", 2)
    note_engagement(uow, "agenda-item", seen(2), removed=True)
    assert not uow.session.get(VisitEngagement, MEETING_ID).active


def test_approving_a_trip_over_a_travellers_engagement_is_refused_naming_it_by_id_or_by_name():
    for mayor in ({**MAYOR, "official_id": "sub-mayor"}, {**MAYOR, "full_name": "mayor of  sofia"}):
        uow = office()
        note_engagement(uow, "meeting", seen(1), removed=False)
        trip = submitted(uow, mayor)
        with pytest.raises(OfficialBusy) as refused:
            move_trip(uow, trip.id, "approve", None, None)
        assert [found["id"] for found in refused.value.extensions["engagements"]] == [MEETING_ID]


def test_an_approval_overriding_an_engagement_keeps_the_reason_and_the_engagement_in_the_audit_trail():
    uow = office()
    note_engagement(uow, "meeting", seen(1), removed=False)
    trip = submitted(uow, {**MAYOR, "official_id": "sub-mayor"})
    move_trip(uow, trip.id, "approve", None, None, override_reason="The deputy receives the Ambassador")
    assert trip.status == "approved"
    [(record, record_id, changes)] = [audit[1:] for audit in uow.audits if audit[0] == "official-busy.overridden"]
    assert (record, record_id, changes["reason"]) == ("trip", trip.id, "The deputy receives the Ambassador")
    assert changes["engagements"][0]["id"] == MEETING_ID


def test_a_cancelled_visits_agenda_item_holds_nobody():
    uow = office()
    note_engagement(uow, "agenda-item", seen(1, None), removed=False)
    note_visit_cancelled(uow, VISIT_ID)
    trip = submitted(uow, {**MAYOR, "official_id": "sub-mayor"})
    move_trip(uow, trip.id, "approve", None, None)
    assert trip.status == "approved"
