"""The programme's rules in plain Python: time zones and clashes."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.programme import InvalidTime, Slot, clashes, to_utc

BASE = datetime(2027, 3, 10, 8, tzinfo=UTC)


def slot(ident, start_hour, hours, venue=None, officials=(), guests=()):
    starts = BASE + timedelta(hours=start_hour)
    return Slot(ident, "v", ident, starts, starts + timedelta(hours=hours), venue, frozenset(officials),
                frozenset(guests))


def test_a_local_time_in_a_zone_without_daylight_saving_converts_by_its_fixed_offset():
    assert to_utc(datetime(2027, 7, 1, 12), "Asia/Tokyo", "starts_at") == datetime(2027, 7, 1, 3, tzinfo=UTC)


def test_a_time_that_does_not_exist_at_the_venue_names_the_field():
    with pytest.raises(InvalidTime) as refused:
        to_utc(datetime(2027, 3, 14, 2, 30), "America/New_York", "ends_at")
    assert refused.value.field == "ends_at"


def test_an_item_touching_another_does_not_clash_but_one_overlapping_by_a_minute_does():
    talks = slot("talks", 0, 1, officials=["Mayor"])
    assert clashes(slot("next", 1, 1, officials=["Mayor"]), [talks]) == []
    overlapping = slot("next", 1, 1, officials=["Mayor"])
    overlapping = Slot(**{**overlapping.__dict__, "starts_at": overlapping.starts_at - timedelta(minutes=1)})
    assert [c.item.id for c in clashes(overlapping, [talks])] == ["talks"]


def test_every_reason_is_listed_once_per_clashing_item():
    talks = slot("talks", 0, 2, venue="Hall 1", officials=["Mayor", "Deputy"], guests=["g1"])
    found = clashes(slot("new", 1, 1, venue="HALL 1", officials=["mayor", "Deputy"], guests=["g1"]), [talks])
    assert sorted((c.reason, c.who) for c in found) == [
        ("guest", "g1"), ("official", "Deputy"), ("official", "mayor"), ("venue", "HALL 1")]


def test_an_item_never_clashes_with_itself():
    talks = slot("talks", 0, 2, venue="Hall 1", officials=["Mayor"])
    assert clashes(talks, [talks]) == []


people = st.frozensets(st.sampled_from(["Mayor", "Deputy", "Secretary"]), max_size=2)
slots = st.builds(lambda start, hours, venue, officials: slot("x", start, hours, venue, officials),
                  st.integers(0, 10), st.integers(1, 4), st.sampled_from([None, "Hall 1", "Hall 2"]), people)


@given(first=slots, second=slots)
def test_a_clash_is_symmetric_and_needs_both_an_overlap_and_something_shared(first, second):
    a = Slot(**{**first.__dict__, "id": "a"})
    b = Slot(**{**second.__dict__, "id": "b"})
    assert bool(clashes(a, [b])) == bool(clashes(b, [a]))
    shares = bool(a.officials & b.officials) or (a.venue is not None and a.venue == b.venue)
    assert bool(clashes(a, [b])) == (a.overlaps(b) and shares)
