"""Protocol's use cases on an in-memory unit of work: the rank table, seating plans, flags."""

import pytest

from services.visits.domain.protocol import DEFAULT_RANK_TABLE
from services.visits.operations.protocol import generate_seating_plan, replace_rank_table, set_flags
from services.visits.tests.records import a_member, a_visit, recording_uow
from shared.kit.refusals import Invalid, StaleVersion

HOST = {"name": "Mayor of Sofia", "rank": "mayor", "principal": False}


@pytest.fixture
def uow():
    return recording_uow()


def test_replacing_the_built_in_rank_table_expects_version_0_and_records_the_keys(uow):
    with pytest.raises(StaleVersion):
        replace_rank_table(uow, DEFAULT_RANK_TABLE[:2], frozenset({1}))
    table = replace_rank_table(uow, DEFAULT_RANK_TABLE[:2], frozenset({0}))
    assert table.version == 1
    assert uow.events == [("chancery.visits.rank-table.replaced.v1", "current",
                           {"ranks": ["head_of_state", "head_of_government"], "version": 1})]


def test_a_seating_plan_seats_the_host_principal_first_and_counts_seats_in_its_event(uow):
    visit = a_visit(uow)
    head = a_member(uow, visit)
    plan = generate_seating_plan(uow, visit.id, {"title": "Lunch", "agenda_item_id": None, "guest_ids": None,
                                                 "hosts": [HOST]}, {})
    assert [(seat["seat"], seat["principal"]) for seat in plan.seats] == [(1, True), (2, True)]
    assert plan.seats[1]["member_id"] == head.id and uow.events[-1][2]["plan"]["seats"] == 2


def test_two_host_principals_are_refused(uow):
    visit = a_visit(uow)
    with pytest.raises(Invalid) as refused:
        generate_seating_plan(uow, visit.id, {"title": "Lunch", "agenda_item_id": None, "guest_ids": [],
                                              "hosts": [{**HOST, "principal": True}] * 2}, {})
    assert refused.value.field == "hosts"


def test_flags_without_the_delegations_own_are_refused_and_with_it_audited_on_the_visit(uow):
    visit = a_visit(uow)
    with pytest.raises(Invalid):
        set_flags(uow, visit.id, ["BG"], None)
    set_flags(uow, visit.id, ["FR", "BG", "FR"], frozenset({1}))
    assert visit.flags == ["FR", "BG"] and uow.audits[-1] == ("visit-flags.set", "visit", visit.id,
                                                              {"flags": ["FR", "BG"]})
