"""The programme abroad through the API: legs in their own time zones, stays, meetings with briefings."""

from datetime import datetime

import pytest
from sqlalchemy import select

from services.trips.domain.programme import InvalidTime, absolute, leg_instants
from services.trips.tests.support import STAFF, act, assert_problem, create, put_papers

LEG = {"origin": "Moscow (SVO)", "destination": "Sofia (SOF)", "mode": "air", "carrier_reference": "SU 2070",
       "departs_at": "2027-05-20T07:40", "departs_time_zone": "Europe/Moscow",
       "arrives_at": "2027-05-20T09:15", "arrives_time_zone": "Europe/Sofia"}
STAY = {"name": "Grand Hotel Sofia", "address": "1 Gurko St", "country": "BG", "city": "Sofia",
        "check_in": "2027-05-20", "check_out": "2027-05-23"}
MEETING = {"title": "Talks with the Mayor of Sofia", "counterparts": "Mayor of Sofia",
           "organisation": "Sofia Municipality", "location": "Sofia City Hall",
           "starts_at": "2027-05-21T10:00", "ends_at": "2027-05-21T11:30",
           "time_zone": "Europe/Sofia", "briefing": "Raise the youth orchestra exchange."}


@pytest.fixture
def trip(trips):
    return create(trips, partner_id="b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c")


def post(trips, trip, kind, body, roles="travel"):
    return trips.call("POST", f"/api/v1/trips/{trip['id']}/{kind}", body, roles=roles)


def outbox(trips) -> list[dict]:
    service = trips.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        return [dict(row) for row in session.execute(select(table).order_by(table.c.position)).mappings()]


def test_a_leg_keeps_each_end_in_its_own_time_zone_and_knows_its_duration(trips, trip):
    response = post(trips, trip, "legs", LEG)
    assert response.status_code == 201, response.json
    leg = response.json
    assert leg["departs_at"] == "2027-05-20T07:40:00+03:00"
    assert leg["arrives_at"] == "2027-05-20T09:15:00+03:00"
    assert leg["duration_minutes"] == 95
    assert response.headers["Location"] == f"/api/v1/trips/{trip['id']}/legs/{leg['id']}"
    event = outbox(trips)[-1]
    assert event["type"] == "chancery.trips.leg.added.v1"
    assert event["data"]["partner_id"] == trip["partner_id"] and event["data"]["country"] == "BG"


def test_a_leg_arriving_earlier_on_the_local_clock_but_later_in_absolute_time_is_accepted(trips, trip):
    westward = {**LEG, "origin": "Sofia", "destination": "London", "departs_at": "2027-05-23T10:00",
                "departs_time_zone": "Europe/Sofia", "arrives_at": "2027-05-23T09:30",
                "arrives_time_zone": "Europe/London"}
    response = post(trips, trip, "legs", westward)
    assert response.status_code == 201, response.json
    assert response.json["duration_minutes"] == 90


def test_a_leg_arriving_before_it_departs_in_absolute_time_is_refused_and_nothing_is_written(trips, trip):
    eastward = {**LEG, "departs_at": "2027-05-20T10:00", "departs_time_zone": "Europe/London",
                "arrives_at": "2027-05-20T11:30", "arrives_time_zone": "Europe/Moscow"}
    assert_problem(post(trips, trip, "legs", eastward), 422, field="arrives_at")
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}/legs", roles="travel").json["total"] == 0
    assert len(outbox(trips)) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"departs_time_zone": "Mars/Olympus"}, "departs_time_zone"),
    ({"arrives_time_zone": "../../etc/passwd"}, "arrives_time_zone"),
    ({"departs_at": "2027-05-20T07:40:00+03:00"}, "departs_at"),
    ({"mode": "teleport"}, "mode"),
])
def test_a_leg_with_a_bad_time_zone_offset_or_mode_is_refused_naming_the_field(trips, trip, change, field):
    assert_problem(post(trips, trip, "legs", {**LEG, **change}), 422, field=field)


def test_a_wall_clock_time_the_clocks_skip_is_refused():
    with pytest.raises(InvalidTime) as error:
        absolute(datetime(2027, 3, 28, 3, 30), "Europe/Sofia", "departs_at")
    assert error.value.field == "departs_at"


def test_leg_instants_compare_in_utc():
    departs, arrives = leg_instants(datetime(2027, 5, 20, 23, 0), "America/New_York",
                                    datetime(2027, 5, 21, 13, 0), "Europe/Sofia")
    assert (arrives - departs).total_seconds() == 7 * 3600


def test_legs_list_earliest_departure_first_whatever_their_zones(trips, trip):
    post(trips, trip, "legs", {**LEG, "departs_at": "2027-05-23T12:00", "departs_time_zone": "Europe/Sofia",
                               "arrives_at": "2027-05-23T15:30", "arrives_time_zone": "Europe/Moscow"})
    post(trips, trip, "legs", LEG)
    legs = trips.call("GET", f"/api/v1/trips/{trip['id']}/legs", roles="mayor-office").json["items"]
    assert [leg["departs_at"][:10] for leg in legs] == ["2027-05-20", "2027-05-23"]


def test_removing_a_leg_needs_the_current_version_and_emits_its_event(trips, trip):
    leg = post(trips, trip, "legs", LEG).json
    path = f"/api/v1/trips/{trip['id']}/legs/{leg['id']}"
    assert_problem(trips.call("DELETE", path, roles="travel", headers={"If-Match": '"2"'}), 412)
    assert trips.call("DELETE", path, roles="travel", headers={"If-Match": '"1"'}).status_code == 200
    assert outbox(trips)[-1]["type"] == "chancery.trips.leg.removed.v1"
    assert_problem(trips.call("DELETE", path, roles="travel"), 404)


def audit_of(trips, record_id) -> list[tuple[str, dict]]:
    records = trips.call("GET", f"/api/v1/audit-records?record_id={record_id}", roles="auditor").json["items"]
    return [(record["action"], record["changes"]) for record in records]


def test_changing_a_leg_keeps_each_end_in_its_own_time_zone_and_records_the_change(trips, trip):
    leg = post(trips, trip, "legs", LEG).json
    path = f"/api/v1/trips/{trip['id']}/legs/{leg['id']}"
    change = {"destination": "Plovdiv (PDV)", "arrives_at": "2027-05-20T10:05", "arrives_time_zone": "Europe/Sofia",
              "arrives_country": "BG"}
    assert_problem(trips.call("PATCH", path, change, roles="travel", headers={"If-Match": '"2"'}), 412)
    changed = trips.call("PATCH", path, change, roles="travel", headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.json
    assert changed.headers["ETag"] == '"2"'
    assert changed.json["departs_at"] == "2027-05-20T07:40:00+03:00"
    assert changed.json["arrives_at"] == "2027-05-20T10:05:00+03:00"
    assert (changed.json["duration_minutes"], changed.json["arrives_country"]) == (145, "BG")
    event = outbox(trips)[-1]
    assert event["type"] == "chancery.trips.leg.updated.v1" and event["data"]["destination"] == "Plovdiv (PDV)"
    assert audit_of(trips, leg["id"])[0] == ("leg.updated", {"trip_id": trip["id"], **change,
                                                            "arrives_at": "2027-05-20T10:05:00"})


def test_a_leg_changed_to_arrive_before_it_departs_is_refused_and_nothing_changes(trips, trip):
    leg = post(trips, trip, "legs", LEG).json
    path = f"/api/v1/trips/{trip['id']}/legs/{leg['id']}"
    refused = trips.call("PATCH", path, {"arrives_at": "2027-05-20T06:00"}, roles="travel")
    assert_problem(refused, 422, field="arrives_at")
    listed = trips.call("GET", f"/api/v1/trips/{trip['id']}/legs", roles="travel").json["items"]
    assert listed == [leg]
    assert outbox(trips)[-1]["type"] == "chancery.trips.leg.added.v1"


def test_changing_and_removing_a_stay_records_each_change(trips, trip):
    stay = post(trips, trip, "stays", STAY).json
    path = f"/api/v1/trips/{trip['id']}/stays/{stay['id']}"
    assert_problem(trips.call("PATCH", path, {"check_in": "2027-05-23"}, roles="travel"), 422, field="check_out")
    changed = trips.call("PATCH", path, {"check_out": "2027-05-22", "booking_reference": "GHS-88413"},
                         roles="travel", headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.json
    assert (changed.json["nights"], changed.json["version"]) == (2, 2)
    assert outbox(trips)[-1]["type"] == "chancery.trips.stay.updated.v1"
    assert_problem(trips.call("DELETE", path, roles="travel", headers={"If-Match": '"1"'}), 412)
    assert trips.call("DELETE", path, roles="travel", headers={"If-Match": '"2"'}).status_code == 200
    assert outbox(trips)[-1]["type"] == "chancery.trips.stay.removed.v1"
    assert [action for action, _ in audit_of(trips, stay["id"])] == ["stay.removed", "stay.updated", "stay.added"]


def test_an_item_of_another_trip_is_not_found_through_this_one(trips, trip):
    other = create(trips)
    leg = post(trips, other, "legs", LEG).json
    assert_problem(trips.call("DELETE", f"/api/v1/trips/{trip['id']}/legs/{leg['id']}", roles="travel"), 404)


def test_a_stay_counts_its_nights_and_must_check_out_after_checking_in(trips, trip):
    stay = post(trips, trip, "stays", STAY)
    assert stay.status_code == 201, stay.json
    assert stay.json["nights"] == 3
    assert_problem(post(trips, trip, "stays", {**STAY, "check_out": "2027-05-20"}), 422, field="check_out")
    assert outbox(trips)[-1]["type"] == "chancery.trips.stay.added.v1"


def test_a_meeting_keeps_its_briefing_out_of_events_and_its_briefing_can_be_revised(trips, trip):
    meeting = post(trips, trip, "meetings", MEETING).json
    assert meeting["starts_at"] == "2027-05-21T10:00:00+03:00"
    added = outbox(trips)[-1]
    assert added["type"] == "chancery.trips.meeting.added.v1"
    assert added["data"]["has_briefing"] is True and "briefing" not in added["data"]
    path = f"/api/v1/trips/{trip['id']}/meetings/{meeting['id']}"
    revised = trips.call("PATCH", path, {"briefing": "Also: the 2028 youth forum."}, roles="travel",
                         headers={"If-Match": '"1"'})
    assert revised.status_code == 200, revised.json
    assert revised.headers["ETag"] == '"2"'
    assert trips.call("GET", path, roles="mayor-office").json["briefing"] == "Also: the 2028 youth forum."
    assert outbox(trips)[-1]["type"] == "chancery.trips.meeting.updated.v1"


def test_removing_a_meeting_needs_the_current_version_and_is_audited_and_announced(trips, trip):
    meeting = post(trips, trip, "meetings", MEETING).json
    path = f"/api/v1/trips/{trip['id']}/meetings/{meeting['id']}"
    assert_problem(trips.call("DELETE", path, roles="travel", headers={"If-Match": '"2"'}), 412)
    assert_problem(trips.call("DELETE", path, roles="mayor-office"), 403)
    assert trips.call("DELETE", path, roles="travel", headers={"If-Match": '"1"'}).status_code == 200
    assert outbox(trips)[-1]["type"] == "chancery.trips.meeting.removed.v1"
    assert [action for action, _ in audit_of(trips, meeting["id"])] == ["meeting.removed", "meeting.added"]
    assert_problem(trips.call("GET", path, roles="travel"), 404)
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}/meetings", roles="travel").json["items"] == []


def test_a_meeting_ending_before_it_starts_is_refused(trips, trip):
    assert_problem(post(trips, trip, "meetings", {**MEETING, "ends_at": "2027-05-21T09:00"}), 422, field="ends_at")
    meeting = post(trips, trip, "meetings", MEETING).json
    response = trips.call("PATCH", f"/api/v1/trips/{trip['id']}/meetings/{meeting['id']}",
                          {"starts_at": "2027-05-21T12:00"}, roles="travel")
    assert_problem(response, 422, field="ends_at")


def test_the_programme_of_a_closed_trip_is_frozen_with_a_409_naming_what_is_allowed(trips):
    trip = create(trips, travellers=[STAFF])
    put_papers(trips, trip)
    for action, role in (("submit", "travel"), ("approve", "department-head"), ("close", "travel")):
        assert act(trips, trip["id"], action, roles=role).status_code == 200
    problem = assert_problem(post(trips, trip, "legs", LEG), 409)
    assert problem["allowed_actions"] == ["reopen"]
    assert_problem(trips.call("PATCH", f"/api/v1/trips/{trip['id']}/stays/any", {"city": "Varna"}, roles="travel"),
                   409)


def test_the_programme_of_a_trip_that_does_not_exist_is_404(trips):
    assert_problem(trips.call("GET", "/api/v1/trips/nope/meetings", roles="travel"), 404)


def test_only_travel_staff_change_the_programme(trips, trip):
    assert_problem(post(trips, trip, "meetings", MEETING, roles="mayor-office"), 403)
