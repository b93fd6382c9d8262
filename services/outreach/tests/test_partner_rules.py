"""How partner names are searched and when two relationships with one partner collide."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.outreach.domain.partners import (
    InvalidPeriod,
    OverlappingRelationship,
    Period,
    RelationshipType,
    check_no_overlap,
    search_key,
    search_text,
)

TWIN = RelationshipType.TWIN_CITY


@pytest.mark.parametrize(("written", "searched"), [
    ("Sofia", "sofia"), ("SOFIA", "Sofia"), ("Sofía", "sofia"), ("София", "софия"), ("СОФИЯ", "София"),
    ("Plovdiv  ", "plovdiv"), ("Łódź", "Łodz"), ("Zürich", "ZURICH"), ("Йошкар-Ола", "иошкар-ола"),
])
def test_names_differing_only_in_case_or_accents_share_a_search_key(written, searched):
    assert search_key(written) == search_key(searched)


def test_a_search_key_keeps_scripts_apart():
    assert search_key("Sofia") != search_key("София")


def test_the_search_text_holds_every_name_once_on_its_own_line():
    assert search_text(["Sofia", "София", "SOFIA", "Sofía"]) == "sofia\nсофия"


@given(st.text(max_size=40))
def test_a_search_key_is_stable(text):
    assert search_key(search_key(text)) == search_key(text)


def test_a_relationship_cannot_end_before_it_was_established():
    with pytest.raises(InvalidPeriod):
        Period(date(2020, 1, 2), date(2020, 1, 1))


def test_a_second_twinning_overlapping_the_first_is_refused():
    with pytest.raises(OverlappingRelationship):
        check_no_overlap(TWIN, Period(date(2000, 1, 1)), [(TWIN, Period(date(1967, 5, 24)))])


def test_a_twinning_after_an_ended_one_and_a_partnership_beside_it_are_allowed():
    ended = (TWIN, Period(date(1967, 5, 24), date(1991, 12, 31)))
    check_no_overlap(TWIN, Period(date(1992, 1, 1)), [ended])
    check_no_overlap(RelationshipType.PARTNER_CITY, Period(date(1980, 1, 1)), [ended])


@given(st.dates(), st.dates(), st.dates(), st.dates())
def test_overlap_is_symmetric(a, b, c, d):
    first, second = Period(min(a, b), max(a, b)), Period(min(c, d), max(c, d))
    assert first.overlaps(second) == second.overlaps(first)
    assert first.overlaps(second) == any(first.holds_on(day) and second.holds_on(day)
                                         for day in (first.starts_on, first.ends_on, second.starts_on,
                                                     second.ends_on))
