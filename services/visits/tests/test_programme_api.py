"""A visit's programme: agenda items in the venue's time zone, refused when someone or a venue would be
in two places at once, with the clashing item named."""

import pytest

from services.visits.tests.support import act, assert_problem, audit_actions, create_visit, outbox, post

SOFIA = "Europe/Sofia"
TALKS = {"kind": "meeting", "title": "Talks on urban transport", "starts_at": "2027-03-10T10:00:00",
         "ends_at": "2027-03-10T11:30:00", "time_zone": SOFIA, "venue": "Sofia City Hall, Hall 1",
         "host_participants": ["Mayor of Sofia", "Deputy Mayor for Transport"], "responsible_staff": "olga"}
LUNCH = {"kind": "meal", "title": "Working lunch", "starts_at": "2027-03-10T12:00:00",
         "ends_at": "2027-03-10T13:30:00", "time_zone": SOFIA, "venue": "Boyana Residence",
         "host_participants": ["Mayor of Sofia"]}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


@pytest.fixture
def visit(visits):
    return create_visit(visits, starts_on="2027-03-10", ends_on="2027-03-12", partner_id="partner-lyon")


def items_path(visit):
    return f"/api/v1/visits/{visit['id']}/agenda-items"


def schedule(visits, visit, item):
    return post(visits, items_path(visit), item)


def test_an_item_is_stored_in_utc_with_the_venues_zone_and_answered_in_both(visits, visit):
    item = schedule(visits, visit, TALKS)
    assert (item["starts_at"], item["ends_at"]) == ("2027-03-10T08:00:00Z", "2027-03-10T09:30:00Z")
    assert item["starts_at_local"] == "2027-03-10T10:00:00+02:00"
    assert item["time_zone"] == SOFIA
    assert item["host_participants"] == ["Mayor of Sofia", "Deputy Mayor for Transport"]
    read = visits.call("GET", f"{items_path(visit)}/{item['id']}", roles="mayor-office")
    assert read.json == item and read.headers["ETag"] == '"1"'


def test_a_time_with_an_explicit_offset_is_taken_as_it_is(visits, visit):
    item = schedule(visits, visit, {**TALKS, "starts_at": "2027-03-10T09:00:00+01:00",
                                    "ends_at": "2027-03-10T10:00:00+01:00"})
    assert item["starts_at"] == "2027-03-10T08:00:00Z"
    assert item["starts_at_local"] == "2027-03-10T10:00:00+02:00"


def test_a_wall_clock_time_skipped_when_the_clocks_go_forward_is_refused(visits):
    visit = create_visit(visits, starts_on="2027-03-27", ends_on="2027-03-29")
    refused = visits.call("POST", items_path(visit), {**TALKS, "starts_at": "2027-03-28T03:30:00",
                                                      "ends_at": "2027-03-28T05:00:00"}, roles="protocol")
    assert "does not exist" in assert_problem(refused, 422, "starts_at")["detail"]


def test_a_wall_clock_time_that_happens_twice_when_the_clocks_go_back_is_the_first(visits):
    visit = create_visit(visits, starts_on="2027-10-30", ends_on="2027-11-01")
    item = schedule(visits, visit, {**TALKS, "starts_at": "2027-10-31T03:30:00", "ends_at": "2027-10-31T05:00:00"})
    assert item["starts_at"] == "2027-10-31T00:30:00Z"
    assert item["starts_at_local"] == "2027-10-31T03:30:00+03:00"
    assert item["ends_at_local"] == "2027-10-31T05:00:00+02:00"


@pytest.mark.parametrize(("change", "field"), [
    ({"time_zone": "Europe/Atlantis"}, "time_zone"),
    ({"ends_at": "2027-03-10T10:00:00"}, "ends_at"),
    ({"starts_at": "2027-03-09T10:00:00", "ends_at": "2027-03-09T11:00:00"}, "starts_at"),
    ({"ends_at": "2027-03-13T11:00:00"}, "ends_at"),
    ({"kind": "party"}, "kind"),
    ({"guest_participants": ["not-a-member"]}, "guest_participants.0"),
])
def test_an_item_with_a_bad_field_is_refused_naming_it_and_nothing_is_written(visits, visit, change, field):
    assert_problem(visits.call("POST", items_path(visit), {**TALKS, **change}, roles="protocol"), 422, field)
    assert visits.call("GET", items_path(visit)).json["total"] == 0
    assert outbox(visits, "chancery.visits.agenda-item") == []


def test_an_official_in_two_overlapping_items_is_refused_with_the_clashing_item_named(visits, visit):
    talks = schedule(visits, visit, TALKS)
    before = outbox(visits)
    refused = visits.call("POST", items_path(visit), {
        **LUNCH, "starts_at": "2027-03-10T11:00:00", "host_participants": ["  deputy mayor for  transport"]},
        roles="protocol")
    problem = assert_problem(refused, 409)
    assert problem["type"].endswith("schedule-clash")
    assert "Talks on urban transport" in problem["detail"] and "10:00–11:30 Europe/Sofia" in problem["detail"]
    assert [(c["item_id"], c["reason"], c["who"]) for c in problem["clashes"]] == [
        (talks["id"], "official", "  deputy mayor for  transport".strip())]
    assert outbox(visits) == before


def test_an_official_cannot_be_in_two_visits_programmes_at_once_unless_one_visit_is_cancelled(visits, visit):
    schedule(visits, visit, TALKS)
    other = create_visit(visits, delegation_name="Delegation of Kyoto", country="JP", city="Kyoto")
    clash = {**TALKS, "venue": "Sofia History Museum", "title": "Museum tour", "kind": "site_visit",
             "host_participants": ["Mayor of Sofia"]}
    problem = assert_problem(visits.call("POST", items_path(other), clash, roles="protocol"), 409)
    assert problem["clashes"][0]["visit_id"] == visit["id"]
    assert act(visits, visit["id"], "cancel", "postponed to May").status_code == 200
    assert schedule(visits, other, clash)["title"] == "Museum tour"


def test_a_venue_cannot_hold_two_overlapping_items(visits, visit):
    talks = schedule(visits, visit, TALKS)
    refused = visits.call("POST", items_path(visit), {**LUNCH, "starts_at": "2027-03-10T11:00:00",
                                                      "venue": "sofia city hall, hall 1", "host_participants": []},
                          roles="protocol")
    problem = assert_problem(refused, 409)
    assert [(c["item_id"], c["reason"]) for c in problem["clashes"]] == [(talks["id"], "venue")]
    assert "is already taken by" in problem["detail"]


def test_back_to_back_items_with_the_same_people_and_venue_do_not_clash(visits, visit):
    schedule(visits, visit, TALKS)
    follow_up = schedule(visits, visit, {**TALKS, "title": "Press statement", "starts_at": "2027-03-10T11:30:00",
                                         "ends_at": "2027-03-10T12:00:00"})
    assert follow_up["starts_at"] == "2027-03-10T09:30:00Z"


def test_a_guest_of_the_delegation_cannot_be_in_two_overlapping_items(visits, visit):
    head = post(visits, f"/api/v1/visits/{visit['id']}/members", {
        "role": "head", "name_original": "Grégoire Dubois", "name_latin": "Gregoire Dubois", "country": "FR"})
    talks = schedule(visits, visit, {**TALKS, "guest_participants": [head["id"]]})
    refused = visits.call("POST", items_path(visit), {
        "kind": "site_visit", "title": "Metro depot", "starts_at": "2027-03-10T11:00:00",
        "ends_at": "2027-03-10T12:00:00", "time_zone": SOFIA, "guest_participants": [head["id"]]}, roles="protocol")
    problem = assert_problem(refused, 409)
    assert problem["clashes"][0]["item_id"] == talks["id"]
    assert "Gregoire Dubois of the delegation" in problem["detail"]


def test_moving_an_item_into_a_clash_is_refused_and_changes_nothing(visits, visit):
    schedule(visits, visit, TALKS)
    lunch = schedule(visits, visit, LUNCH)
    path = f"{items_path(visit)}/{lunch['id']}"
    assert_problem(visits.call("PATCH", path, {"starts_at": "2027-03-10T11:00:00"}, roles="protocol"), 409)
    assert visits.call("GET", path).json == lunch
    moved = visits.call("PATCH", path, {"starts_at": "2027-03-10T12:30:00", "ends_at": "2027-03-10T14:00:00"},
                        roles="protocol", headers={"If-Match": '"1"'})
    assert moved.status_code == 200, moved.json
    assert (moved.json["starts_at"], moved.json["version"]) == ("2027-03-10T10:30:00Z", 2)


def test_changing_only_the_zone_keeps_the_wall_clock_time_at_the_venue(visits, visit):
    item = schedule(visits, visit, TALKS)
    moved = visits.call("PATCH", f"{items_path(visit)}/{item['id']}", {"time_zone": "Europe/Paris"},
                        roles="protocol").json
    assert moved["starts_at_local"] == "2027-03-10T10:00:00+01:00"
    assert moved["starts_at"] == "2027-03-10T09:00:00Z"


def test_a_stale_if_match_is_412(visits, visit):
    item = schedule(visits, visit, TALKS)
    stale = visits.call("PATCH", f"{items_path(visit)}/{item['id']}", {"title": "x"}, roles="protocol",
                        headers={"If-Match": '"5"'})
    assert_problem(stale, 412)


def test_scheduling_changing_and_removing_emit_events_with_the_partner_and_utc_times(visits, visit):
    item = schedule(visits, visit, TALKS)
    visits.call("PATCH", f"{items_path(visit)}/{item['id']}", {"notes": "bring the tram study"}, roles="protocol")
    assert visits.call("DELETE", f"{items_path(visit)}/{item['id']}", roles="protocol",
                       headers={"If-Match": '"2"'}).status_code == 204
    events = outbox(visits, "chancery.visits.agenda-item.")
    assert [e["type"] for e in events] == [f"chancery.visits.agenda-item.{a}.v1"
                                           for a in ("scheduled", "updated", "removed")]
    data = events[0]["data"]
    assert (data["visit_id"], data["partner_id"], data["country"]) == (visit["id"], "partner-lyon", "FR")
    assert data["item"]["starts_at"] == "2027-03-10T08:00:00Z" and data["item"]["time_zone"] == SOFIA
    assert audit_actions(visits, item["id"]) == ["agenda-item.scheduled", "agenda-item.updated",
                                                 "agenda-item.removed"]
    assert visits.call("GET", items_path(visit)).json["total"] == 0


def test_an_officials_schedule_across_visits_is_listed_in_time_order(visits, visit):
    schedule(visits, visit, LUNCH)
    schedule(visits, visit, TALKS)
    other = create_visit(visits, delegation_name="Delegation of Kyoto", country="JP", city="Kyoto")
    schedule(visits, other, {**TALKS, "title": "Kyoto talks", "starts_at": "2027-03-11T10:00:00",
                             "ends_at": "2027-03-11T11:00:00"})
    mayor = visits.call("GET", "/api/v1/agenda-items?official=mayor%20of%20sofia", roles="mayor-office").json
    assert [i["title"] for i in mayor["items"]] == ["Talks on urban transport", "Working lunch", "Kyoto talks"]
    day = visits.call("GET", "/api/v1/agenda-items?on_or_after=2027-03-11&before=2027-03-12").json
    assert [i["title"] for i in day["items"]] == ["Kyoto talks"]
    meals = visits.call("GET", f"{items_path(visit)}?kind=meal").json
    assert [i["title"] for i in meals["items"]] == ["Working lunch"]


def test_the_programme_of_a_closed_visit_cannot_change(visits, visit):
    item = schedule(visits, visit, TALKS)
    act(visits, visit["id"], "cancel", "postponed")
    assert_problem(visits.call("POST", items_path(visit), LUNCH, roles="protocol"), 409)
    assert_problem(visits.call("DELETE", f"{items_path(visit)}/{item['id']}", roles="protocol"), 409)


def test_the_mayors_office_reads_the_programme_but_cannot_change_it_and_travel_staff_see_nothing(visits, visit):
    schedule(visits, visit, TALKS)
    assert visits.call("GET", items_path(visit), roles="mayor-office").status_code == 200
    assert_problem(visits.call("POST", items_path(visit), LUNCH, roles="mayor-office"), 403)
    assert_problem(visits.call("GET", "/api/v1/agenda-items", roles="travel"), 403)
