"""Meetings and official functions on an in-memory unit of work: clashes, lifecycle, minutes, guests, press."""

from datetime import UTC, datetime

import pytest

from services.visits.domain.meetings import MeetingClosed, Rsvp
from services.visits.operations.engagements import ScheduleClash
from services.visits.operations.functions import cancel_function, decide, invite, record_rsvp, request_accreditation
from services.visits.operations.meetings import cancel_meeting, hold_meeting, revise_minutes, update_meeting
from services.visits.tests.records import a_function, a_meeting, recording_uow
from shared.kit.refusals import Conflict, Invalid, StaleVersion


@pytest.fixture
def uow():
    return recording_uow()


def test_a_meetings_event_says_who_met_whom_and_when_but_not_the_briefing(uow):
    meeting = a_meeting(uow)
    event_type, subject, data = uow.events[-1]
    assert (event_type, subject) == ("chancery.visits.meeting.planned.v1", meeting.id)
    assert data["official"] == "Mayor of Sofia" and "briefing_notes" not in data


def test_an_official_cannot_meet_and_hold_a_function_at_once(uow):
    a_meeting(uow)
    with pytest.raises(ScheduleClash):
        a_function(uow, starts_at=datetime(2027, 3, 15, 11, 30), ends_at=datetime(2027, 3, 15, 12))


def test_a_held_meeting_does_not_move_or_cancel_and_takes_minutes_revision_by_revision(uow):
    meeting = a_meeting(uow)
    with pytest.raises(MeetingClosed):
        revise_minutes(uow, meeting.id, "Too early", None, None)
    hold_meeting(uow, meeting.id, "A forum in 2028", {}, frozenset({1}))
    with pytest.raises(Conflict) as refused:
        update_meeting(uow, meeting.id, {"venue": "Hall 2"}, {}, None)
    assert refused.value.slug == "meeting-closed"
    with pytest.raises(MeetingClosed) as refused:
        cancel_meeting(uow, meeting.id, None)
    assert refused.value.extensions == {"allowed_actions": []}
    revise_minutes(uow, meeting.id, "First", None, frozenset({0}))
    with pytest.raises(StaleVersion):
        revise_minutes(uow, meeting.id, "Over the first", None, frozenset({0}))
    assert uow.audits[-1] == ("meeting-minutes.revised", "meeting", meeting.id, {"revision": 1, "note": None})


def test_answers_close_on_the_day_of_the_function_and_a_cancelled_one_takes_none(uow):
    function = a_function(uow)
    invitee = invite(uow, function.id, {"name": "Ivan Petrov", "organisation": None, "country": "BG"}, {}, None)
    with pytest.raises(Invalid):
        record_rsvp(uow, function.id, invitee.id, Rsvp.PENDING, {}, None)
    record_rsvp(uow, function.id, invitee.id, Rsvp.ACCEPTED, {}, None)
    assert invitee.responded_at == datetime(2027, 2, 1, 9, tzinfo=UTC)
    cancel_function(uow, function.id, "The venue flooded", {}, None)
    with pytest.raises(Conflict) as refused:
        record_rsvp(uow, function.id, invitee.id, Rsvp.DECLINED, {}, None)
    assert refused.value.slug == "function-cancelled" and refused.value.detail == "The venue flooded"


def test_a_rejected_accreditation_needs_a_reason_and_is_decided_once(uow):
    function = a_function(uow)
    accreditation = request_accreditation(uow, function.id, {"journalist": "Ana", "outlet": "BNT",
                                                             "country": "BG"}, {})
    with pytest.raises(Invalid) as refused:
        decide(uow, function.id, accreditation.id, False, " ", {}, None)
    assert refused.value.field == "reason"
    decide(uow, function.id, accreditation.id, False, "No space", {}, None)
    assert uow.event_types()[-1] == "chancery.visits.press-accreditation.rejected.v1"
    with pytest.raises(Conflict):
        decide(uow, function.id, accreditation.id, True, None, {}, None)
