"""Departments going to the same city at overlapping dates see each other and hear of it once."""

from datetime import date

from sqlalchemy import event, select

from services.trips.domain.coordination import PlannedTrip, matches
from services.trips.tests.support import STAFF, act, create

DETECTED = "chancery.trips.coordination.detected.v1"


def planned(trip_id, department, city, starts, ends, country="BG"):
    return PlannedTrip(trip_id, department, frozenset({(country, city)}), date.fromisoformat(starts),
                       date.fromisoformat(ends))


def test_trips_of_other_departments_to_the_same_city_at_overlapping_dates_match_with_the_overlap():
    mine = planned("a", "Culture", "Sofia", "2027-05-20", "2027-05-23")
    others = [planned("b", "Transport", " sofia ", "2027-05-22", "2027-05-26"),
              planned("c", "Culture", "Sofia", "2027-05-20", "2027-05-23"),
              planned("d", "Transport", "Sofia", "2027-05-24", "2027-05-26"),
              planned("e", "Transport", "Plovdiv", "2027-05-20", "2027-05-23"),
              planned("f", "Transport", "Sofia", "2027-05-20", "2027-05-23", country="US")]
    [match] = matches(mine, others)
    assert (match.other_id, match.city) == ("b", "Sofia")
    assert (match.overlap_starts_on, match.overlap_ends_on) == (date(2027, 5, 22), date(2027, 5, 23))


def test_a_single_day_in_common_is_an_overlap():
    mine = planned("a", "Culture", "Sofia", "2027-05-20", "2027-05-23")
    assert matches(mine, [planned("b", "Transport", "Sofia", "2027-05-23", "2027-05-25")])


def detected_events(trips) -> list[dict]:
    service = trips.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        return list(session.scalars(select(table.c.data).where(table.c.type == DETECTED)))


def coordination(trips, trip) -> list[str]:
    response = trips.call("GET", f"/api/v1/trips/{trip['id']}/coordination", roles="department-head",
                          department=STAFF["department"])
    assert response.status_code == 200, response.json
    return [match["trip_id"] for match in response.json["matches"]]


def test_both_requests_show_each_other_and_one_event_says_so(trips):
    culture = create(trips, department="Culture Department")
    transport = create(trips, department="Transport Department", starts_on="2027-05-22", ends_on="2027-05-25")
    assert coordination(trips, culture) == [transport["id"]]
    assert coordination(trips, transport) == [culture["id"]]
    [event] = detected_events(trips)
    assert [t["id"] for t in event["trips"]] == [transport["id"], culture["id"]]
    assert (event["country"], event["city"]) == ("BG", "Sofia")
    assert (event["overlap_starts_on"], event["overlap_ends_on"]) == ("2027-05-22", "2027-05-23")


def test_changing_a_matched_trip_does_not_announce_the_pair_again(trips):
    culture = create(trips, department="Culture Department")
    create(trips, department="Transport Department")
    trips.call("PATCH", f"/api/v1/trips/{culture['id']}", {"purpose": "Also the book fair"}, roles="travel")
    assert len(detected_events(trips)) == 1


def test_moving_a_trip_into_another_departments_dates_announces_it(trips):
    culture = create(trips, department="Culture Department", starts_on="2027-06-01", ends_on="2027-06-03")
    create(trips, department="Transport Department")
    assert detected_events(trips) == []
    trips.call("PATCH", f"/api/v1/trips/{culture['id']}", {"starts_on": "2027-05-21", "ends_on": "2027-05-22"},
               roles="travel")
    assert len(detected_events(trips)) == 1


def test_a_cancelled_trip_is_no_longer_shown_as_a_companion(trips):
    culture = create(trips, department="Culture Department")
    transport = create(trips, department="Transport Department")
    act(trips, transport["id"], "cancel", "Budget cut")
    assert coordination(trips, culture) == []


def test_companions_come_from_departments_named_before_and_after_the_trips_own_and_only_to_its_cities(trips):
    culture = create(trips, department="Culture Department")
    create(trips, department="Culture Department")
    archive = create(trips, department="Archive Department")
    transport = create(trips, department="Transport Department",
                       destinations=[{"country": "RO", "city": "Bucharest"}, {"country": "BG", "city": "Sofia"}])
    create(trips, department="Water Department", destinations=[{"country": "BG", "city": "Plovdiv"}])
    create(trips, department="Youth Department", destinations=[{"country": "RO", "city": "Sofia"}])
    assert sorted(coordination(trips, culture)) == sorted([archive["id"], transport["id"]])


def test_companions_are_read_from_the_index_on_either_side_of_the_department_never_walking_its_own_trips(trips):
    """Every create and change asks: with `!=` the check walked all the department's live trips, so each create cost
    more than the last (decision 0225)."""
    culture = create(trips, department="Culture Department")
    engine = trips.app.extensions["chancery"].database.reader_engine
    asked = []

    def keep(connection, cursor, statement, parameters, context, executemany):
        if "UNION ALL" in statement:
            asked.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        coordination(trips, culture)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    [(statement, parameters)] = asked
    with engine.connect() as connection:
        plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    assert [step for step in plan if step.startswith("SEARCH trips")] == [
        f"SEARCH trips USING INDEX ix_trips_status_department_ends_on (status=? AND department{side}?)"
        for side in "<>"]
