"""Who hears an event, on which channel and when: preferences, quiet hours in the recipient's time zone,
critical events, need-to-know and confidential events, with a frozen clock."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from services.notifications.domain.audience import concerns, is_confidential, may_receive
from services.notifications.domain.delivery_plan import (
    DIGEST,
    EMAIL,
    IMMEDIATE,
    IN_APP,
    OFF,
    QuietHours,
    Recipient,
    is_critical,
    next_local,
    plan,
)

SOFIA = "Europe/Sofia"  # UTC+2 in winter
# 21:30 UTC on a winter day is 23:30 in Sofia.
LATE_EVENING = datetime(2027, 1, 15, 21, 30, tzinfo=UTC)
NIGHT = QuietHours(time(22, 0), time(7, 0))


def olga(**changes) -> Recipient:
    fields = {"name": "olga", "roles": frozenset({"protocol"}), "time_zone": SOFIA, "email": "olga@city.example",
              "channels": {IN_APP: IMMEDIATE, EMAIL: IMMEDIATE}, "quiet_hours": NIGHT}
    return Recipient(**{**fields, **changes})


def by_channel(planned):
    return {item.channel: item for item in planned}


def test_outside_quiet_hours_both_channels_are_due_at_once():
    noon = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
    planned = by_channel(plan(olga(), critical=False, now=noon))
    assert planned[IN_APP].due_at == planned[EMAIL].due_at == noon


def test_during_quiet_hours_the_email_waits_until_they_end_in_the_recipients_time_zone():
    planned = by_channel(plan(olga(), critical=False, now=LATE_EVENING))
    assert planned[IN_APP].due_at == LATE_EVENING
    assert planned[EMAIL].due_at == datetime(2027, 1, 16, 7, 0, tzinfo=ZoneInfo(SOFIA))
    assert planned[EMAIL].due_at == datetime(2027, 1, 16, 5, 0, tzinfo=UTC)


def test_the_same_moment_is_not_quiet_for_someone_in_another_time_zone():
    # 21:30 UTC is 16:30 in New York.
    planned = by_channel(plan(olga(time_zone="America/New_York"), critical=False, now=LATE_EVENING))
    assert planned[EMAIL].due_at == LATE_EVENING


def test_quiet_hours_within_one_day_end_the_same_day():
    siesta = QuietHours(time(13, 0), time(15, 0))
    now = datetime(2027, 1, 15, 11, 30, tzinfo=UTC)  # 13:30 in Sofia
    assert by_channel(plan(olga(quiet_hours=siesta), False, now))[EMAIL].due_at == datetime(
        2027, 1, 15, 13, 0, tzinfo=UTC)


def test_a_critical_event_ignores_quiet_hours_and_channels_turned_off():
    recipient = olga(channels={IN_APP: OFF, EMAIL: DIGEST})
    planned = by_channel(plan(recipient, critical=True, now=LATE_EVENING))
    assert set(planned) == {IN_APP, EMAIL}
    assert all(item.due_at == LATE_EVENING and not item.digest for item in planned.values())


def test_a_channel_turned_off_hears_nothing_and_email_needs_an_address():
    assert set(by_channel(plan(olga(channels={IN_APP: IMMEDIATE, EMAIL: OFF}), False, LATE_EVENING))) == {IN_APP}
    assert set(by_channel(plan(olga(channels={IN_APP: OFF, EMAIL: IMMEDIATE}), False, LATE_EVENING))) == {EMAIL}
    assert set(by_channel(plan(olga(email=None), True, LATE_EVENING))) == {IN_APP}


def test_a_digest_channel_waits_for_the_next_digest_time_in_the_recipients_zone():
    recipient = olga(channels={IN_APP: IMMEDIATE, EMAIL: DIGEST}, digest_at=time(8, 30))
    email = by_channel(plan(recipient, False, LATE_EVENING))[EMAIL]
    assert email.digest
    assert email.due_at == datetime(2027, 1, 16, 6, 30, tzinfo=UTC)


def test_the_next_local_time_crosses_a_daylight_saving_change():
    # Sofia moves to UTC+3 on 28 March 2027: 08:00 local is 05:00 UTC from then on.
    saturday_evening = datetime(2027, 3, 27, 20, 0, tzinfo=UTC)
    assert next_local(saturday_evening, time(8, 0), ZoneInfo(SOFIA)) == datetime(2027, 3, 28, 5, 0, tzinfo=UTC)


@given(start=st.times(), end=st.times(), minutes=st.integers(0, 7 * 24 * 60))
def test_a_held_email_is_never_due_in_the_past_nor_inside_quiet_hours(start, end, minutes):
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if start == end:
        return
    now = datetime(2027, 1, 11, tzinfo=UTC) + timedelta(minutes=minutes)
    email = by_channel(plan(olga(quiet_hours=QuietHours(start, end)), False, now))[EMAIL]
    assert email.due_at >= now
    assert not QuietHours(start, end).contains(email.due_at.astimezone(ZoneInfo(SOFIA)).time())


def test_cancellations_and_events_marked_critical_are_critical():
    assert is_critical("chancery.visits.visit.cancelled.v1", {})
    assert is_critical("chancery.visits.visit.updated.v1", {"priority": "critical"})
    assert not is_critical("chancery.visits.visit.updated.v1", {})


def test_a_confidential_event_reaches_only_cleared_roles_even_within_the_department():
    visit_event = "chancery.visits.visit.updated.v1"
    assert is_confidential({"confidential": True}) and is_confidential({"embargoed": True})
    assert may_receive(visit_event, frozenset({"protocol"}))
    assert not may_receive(visit_event, frozenset({"protocol"}), confidential=True)
    assert may_receive(visit_event, frozenset({"mayor-office"}), confidential=True)
    assert may_receive(visit_event, frozenset({"admin"}), confidential=True)


def test_an_event_concerns_a_watched_record_as_its_subject_or_through_its_data():
    visit_id = "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"
    assert concerns({"subject": visit_id, "data": {}}, "visit", visit_id)
    assert concerns({"subject": "member-1", "data": {"visit_id": visit_id}}, "visit", visit_id)
    assert not concerns({"subject": "other", "data": {"trip_id": visit_id}}, "visit", visit_id)
