"""Precedence and seating in plain Python."""

from hypothesis import given
from hypothesis import strategies as st

from services.visits.domain.protocol import DEFAULT_RANK_TABLE, Person, precedence, seat_order, seating

LEVELS = {rank["key"]: rank["level"] for rank in DEFAULT_RANK_TABLE}
RANKS = [None, *LEVELS]


def people(side, ranks):
    return [Person(f"{side}{index}", rank, side, principal=index == 0) for index, rank in enumerate(ranks)]


def test_seats_are_taken_in_order_of_honour_right_then_left_of_the_host_principal():
    assert seat_order(6) == [1, 2, 6, 3, 5, 4]
    assert seat_order(1) == [1]


def test_unranked_people_come_after_everyone_ranked_and_equal_ranks_go_by_name():
    ordered = precedence([Person("Zoe", None, "guest"), Person("bob", "mayor", "guest"),
                          Person("Al", "mayor", "guest")], LEVELS)
    assert [p.name for p in ordered] == ["Al", "bob", "Zoe"]


@given(count=st.integers(1, 12), data=st.data())
def test_with_as_many_hosts_as_guests_the_sides_alternate_all_round_the_table(count, data):
    hosts = people("h", data.draw(st.lists(st.sampled_from(RANKS), min_size=count, max_size=count)))
    guests = people("g", data.draw(st.lists(st.sampled_from(RANKS), min_size=count, max_size=count)))
    seats = seating(hosts, guests, LEVELS)
    sides = [person.side for _, person in seats]
    assert all(sides[i] != sides[(i + 1) % len(sides)] for i in range(len(sides)))
    assert seats[0][1].name == "h0" and seats[1][1].name == "g0"


@given(hosts=st.lists(st.sampled_from(RANKS), min_size=1, max_size=10),
       guests=st.lists(st.sampled_from(RANKS), max_size=10))
def test_everyone_gets_exactly_one_seat_and_the_principals_keep_theirs(hosts, guests):
    seats = seating(people("h", hosts), people("g", guests), LEVELS)
    assert [seat for seat, _ in seats] == list(range(1, len(hosts) + len(guests) + 1))
    assert sorted(p.name for _, p in seats) == sorted([f"h{i}" for i in range(len(hosts))] +
                                                      [f"g{i}" for i in range(len(guests))])
    assert seats[0][1].name == "h0"
    if guests:
        assert seats[1][1].name == "g0"


@given(ranks=st.lists(st.sampled_from(RANKS), min_size=2, max_size=10))
def test_on_each_side_a_higher_rank_never_sits_further_from_the_principal_than_a_lower_one(ranks):
    guests = people("g", ranks)
    seats = seating(people("h", ["mayor"]), guests, LEVELS)
    order = seat_order(len(seats))
    honour = {person.name: order.index(seat) for seat, person in seats}
    ordered = precedence(guests, LEVELS)
    assert [honour[p.name] for p in ordered] == sorted(honour[p.name] for p in ordered)
