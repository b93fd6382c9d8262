"""Officials' engagements in visits as visits' events tell them (decision 0131): the newest version only, and the
approval they refuse or let through with an audited override."""

from datetime import UTC, datetime

import pytest

from services.trips.domain.officials import OfficialBusy
from services.trips.handlers import on_meeting
from services.trips.operations.engagements import engagements_during, note_engagement, note_visit_cancelled
from services.trips.operations.trips import move_trip
from services.trips.store.models import VisitEngagement
from services.trips.tests.records import new_trip, office, put_papers_in_order
from services.trips.tests.support import MAYOR, STAFF
from shared.kit.withholding import Viewer, may_know

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


SECRET = {"confidential": True, "embargoed": False, "embargoed_until": None,
          "need_to_know": {"people": ["olga"], "roles": []}}


def meeting_event(version: int, **data) -> dict:
    """Visits' event about the meeting `seen` describes, as the handler receives it."""
    meeting = {key: value for key, value in seen(version).items() if key not in ("officials", "official_ids")}
    return {"id": f"event-{version}", "type": "chancery.visits.meeting.planned.v1",
            "data": {**meeting, "official": "Mayor of Sofia", "official_ids": ["sub-mayor"], **data}}


def viewing(uow, subject: str, *roles: str) -> None:
    uow.session.info["viewer"] = Viewer(subject, frozenset(roles), datetime(2027, 1, 10, tzinfo=UTC))


def test_a_confidential_meeting_refuses_an_approval_naming_only_its_id_to_an_approver_who_may_not_know_of_it():
    uow = office()
    on_meeting(uow, meeting_event(1, **SECRET))
    trip = submitted(uow, {**MAYOR, "official_id": "sub-mayor"})
    viewing(uow, "mira", "mayor-office")
    with pytest.raises(OfficialBusy) as refused:
        move_trip(uow, trip.id, "approve", None, None)
    [found] = refused.value.extensions["engagements"]
    assert (found["id"], "title" in found, "visit_id" in found) == (MEETING_ID, False, False)
    assert "Ambassador" not in str(refused.value) and MEETING_ID in str(refused.value)
    viewing(uow, "olga", "protocol")
    assert [found["title"] for found in engagements_during(uow.session, trip)] == [
        "The Mayor receives the Ambassador of Japan"]


def test_a_withheld_meetings_release_fills_in_its_title_and_a_late_withheld_event_does_not_undo_it():
    uow = office()
    on_meeting(uow, meeting_event(2, **SECRET))
    kept = uow.session.get(VisitEngagement, MEETING_ID)
    outsider = Viewer("mira", frozenset({"mayor-office"}), datetime(2027, 1, 10, tzinfo=UTC))
    assert not may_know(kept, outsider)
    on_meeting(uow, meeting_event(2))  # visits' released event: the same version, no marking
    on_meeting(uow, meeting_event(2, **SECRET, title="A late withheld event"))
    kept = uow.session.get(VisitEngagement, MEETING_ID)
    assert may_know(kept, outsider) and kept.title == "The Mayor receives the Ambassador of Japan"
