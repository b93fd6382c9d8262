"""The register of officials and an official's time in one place (decisions 0130, 0131): visits' engagements
and the trips abroad its consumer learnt from trips' events, as JSON for the console and as an iCalendar feed."""

import uuid
from datetime import date

import pytest
from icalendar import Calendar

from services.visits.handlers import SUBSCRIPTIONS
from services.visits.tests.support import assert_problem, create_visit, outbox, post
from shared.bus.consumer import EventConsumer, PoisonMessage
from shared.uow import worker_unit_of_work

MAYOR = {"id": "6b1f0c3e-2a4d-4e8f-9c7b-1d2e3f4a5b6c", "display_name": "Ivan Sergeev", "offices": ["Mayor"],
         "aliases": ["Mayor of Sofia"]}
MEETING = {"title": "The Mayor receives the Ambassador of Japan", "official": "mayor of sofia", "guests": ["H.E."],
           "country": "JP", "starts_at": "2027-03-15T11:00:00", "ends_at": "2027-03-15T11:45:00",
           "time_zone": "Europe/Sofia"}


@pytest.fixture
def visits(service_app):
    service = service_app("visits")
    post(service, "/api/v1/officials", MAYOR)
    return service


@pytest.fixture
def consumer(visits):
    service = visits.app.extensions["chancery"]
    return EventConsumer(service.settings, service.database, service.spec.tables, SUBSCRIPTIONS,
                         lambda session, event: worker_unit_of_work(service, session, event["id"]))


def trip_changed(version: int, status: str, data: dict | None = None) -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/trips",
            "type": f"chancery.trips.trip.{status}.v1", "subject": "t-1", "data": data or {
                "id": "3c9a7f2e-5b1d-4e8a-9f6c-2d4b8a1e7c30", "title": "Mayor's visit to Vienna", "status": status,
                "countries": ["AT"], "starts_on": "2027-03-20", "ends_on": "2027-03-22", "version": version,
                "officials": [{"official_id": MAYOR["id"], "name": "Ivan Sergeev"}]}}


def test_an_official_is_registered_read_listed_and_renamed(visits):
    path = f"/api/v1/officials/{MAYOR['id']}"
    assert visits.call("GET", path, roles="travel").json["display_name"] == "Ivan Sergeev"
    renamed = visits.call("PATCH", path, {"aliases": ["Mayor of Sofia", "The Mayor"]}, roles="protocol",
                          headers={"If-Match": '"1"'})
    assert renamed.status_code == 200 and renamed.json["version"] == 2
    assert [o["id"] for o in visits.call("GET", "/api/v1/officials", roles="mayor-office").json["items"]] == \
        [MAYOR["id"]]
    assert_problem(visits.call("GET", "/api/v1/officials/nobody", roles="protocol"), 404)


def register(visits, body, roles="protocol"):
    return visits.call("POST", "/api/v1/officials", body, roles=roles)


def test_a_name_or_an_id_of_another_official_is_refused(visits):
    taken = assert_problem(register(visits, {"id": "sub-2", "display_name": "MAYOR  of Sofia"}), 409)
    assert taken["official_id"] == MAYOR["id"]
    assert_problem(register(visits, {**MAYOR, "display_name": "Petar Ivanov", "aliases": []}), 409)
    assert_problem(register(visits, {"id": "sub-3", "display_name": "Petar Ivanov"}, roles="travel"), 403)


def test_an_officials_schedule_and_feed_hold_their_meetings_and_their_trips_abroad(visits, consumer):
    meeting = post(visits, "/api/v1/meetings", MEETING)
    assert consumer.handle(trip_changed(4, "approved")) is True
    schedule = visits.call("GET", f"/api/v1/officials/{MAYOR['id']}/schedule", roles="mayor-office").json
    assert [(item["source"], item["record"], item["id"]) for item in schedule["items"]] == [
        ("visits", "meeting", meeting["id"]), ("trips", "trip", "3c9a7f2e-5b1d-4e8a-9f6c-2d4b8a1e7c30")]
    later = visits.call("GET", f"/api/v1/officials/{MAYOR['id']}/schedule?on_or_after=2027-03-16",
                        roles="mayor-office").json
    assert [item["record"] for item in later["items"]] == ["trip"]

    feed = visits.call("GET", f"/api/v1/officials/{MAYOR['id']}/calendar.ics", roles="protocol")
    trip = [event for event in Calendar.from_ical(feed.data).walk("VEVENT") if "Trip" in str(event["summary"])]
    assert [(event.decoded("dtstart"), str(event["status"])) for event in trip] == [(date(2027, 3, 20), "CONFIRMED")]
    by_name = visits.call("GET", "/api/v1/officials/Mayor%20of%20Sofia/visits.ics", roles="protocol")
    assert len(Calendar.from_ical(by_name.data).walk("VEVENT")) == 2


def test_a_trip_event_without_its_dates_is_a_poison_message(consumer):
    with pytest.raises(PoisonMessage):
        consumer.handle(trip_changed(1, "approved", {"id": "t-1", "status": "approved"}))


def test_a_meeting_names_its_official_by_their_id_in_the_register(visits):
    meeting = post(visits, "/api/v1/meetings", {**MEETING, "official": "The Mayor", "official_id": MAYOR["id"]})
    assert meeting["official"] == "Ivan Sergeev"
    unknown = visits.call("POST", "/api/v1/meetings", {**MEETING, "official_id": "nobody"}, roles="protocol")
    assert_problem(unknown, 422, "official_id")


DEPUTY = {"id": "0d4e2b7a-9c1f-4a6e-8b3d-5f7a9c1e2b40", "display_name": "Maria Petrova",
          "offices": ["Deputy Mayor for Transport"], "aliases": []}


def official_ids_published(visits, prefix, part=lambda data: data):
    return [part(event["data"])["official_ids"] for event in outbox(visits, prefix)]


def test_a_function_takes_its_officials_by_id_beside_names_and_its_events_carry_their_ids(visits):
    post(visits, "/api/v1/officials", DEPUTY)
    forum = post(visits, "/api/v1/functions", {
        "kind": "round_table", "title": "Transport round table", "starts_at": "2027-04-02T10:00:00",
        "ends_at": "2027-04-02T12:00:00", "time_zone": "Europe/Sofia", "venue": "Sofia City Hall, Hall 2",
        "officials": ["Chief Architect"], "official_ids": [MAYOR["id"]]})
    assert forum["officials"] == ["Chief Architect", "Ivan Sergeev"]
    path = f"/api/v1/functions/{forum['id']}"
    unknown = visits.call("PATCH", path, {"official_ids": [DEPUTY["id"], "nobody"]}, roles="protocol",
                          headers={"If-Match": '"1"'})
    assert_problem(unknown, 422, "official_ids.1")
    moved = visits.call("PATCH", path, {"official_ids": [DEPUTY["id"]]}, roles="protocol",
                        headers={"If-Match": '"1"'})
    assert (moved.status_code, moved.json["officials"], moved.json["version"]) == (200, ["Maria Petrova"], 2)
    assert official_ids_published(visits, "chancery.visits.function.") == [[MAYOR["id"]], [DEPUTY["id"]]]


def test_an_agenda_item_takes_its_host_officials_by_id_beside_names_and_its_events_carry_their_ids(visits):
    post(visits, "/api/v1/officials", DEPUTY)
    visit = create_visit(visits)
    items = f"/api/v1/visits/{visit['id']}/agenda-items"
    body = {"kind": "meeting", "title": "Talks on urban transport", "starts_at": "2027-03-10T10:00:00",
            "ends_at": "2027-03-10T11:30:00", "time_zone": "Europe/Sofia", "host_participants": ["mayor of sofia"],
            "host_official_ids": [MAYOR["id"], DEPUTY["id"]]}
    assert_problem(visits.call("POST", items, {**body, "host_official_ids": ["nobody"]}, roles="protocol"), 422,
                   "host_official_ids.0")
    item = post(visits, items, body)
    assert item["host_participants"] == ["mayor of sofia", "Ivan Sergeev", "Maria Petrova"]
    renamed = visits.call("PATCH", f"{items}/{item['id']}", {"host_participants": ["Deputy Mayor for Transport"]},
                          roles="protocol", headers={"If-Match": '"1"'})
    assert (renamed.status_code, renamed.json["host_participants"]) == (200, ["Deputy Mayor for Transport"])
    assert official_ids_published(visits, "chancery.visits.agenda-item.", lambda data: data["item"]) == [
        sorted([MAYOR["id"], DEPUTY["id"]]), []]


def test_a_confidential_trip_is_busy_time_without_its_title_or_place_for_whoever_may_not_know_of_it(visits, consumer):
    trip = trip_changed(4, "approved")
    trip["data"].update(confidential=True, embargoed=False, embargoed_until=None,
                        need_to_know={"people": ["vera"], "roles": ["mayor-office"]})
    assert consumer.handle(trip) is True
    schedule = f"/api/v1/officials/{MAYOR['id']}/schedule"
    feed = f"/api/v1/officials/{MAYOR['id']}/calendar.ics"
    [hidden] = visits.call("GET", schedule, roles="protocol", sub="petar").json["items"]
    assert (hidden["id"], hidden["title"], hidden["starts_on"]) == (trip["data"]["id"], "Busy (confidential)",
                                                                    "2027-03-20")
    [event] = Calendar.from_ical(visits.call("GET", feed, roles="protocol", sub="petar").data).walk("VEVENT")
    assert (str(event["summary"]), str(event.get("location", ""))) == ("Busy (confidential)", "")
    [told] = visits.call("GET", schedule, roles="mayor-office", sub="mira").json["items"]
    assert told["title"] == "Mayor's visit to Vienna"
    refused = visits.call("POST", "/api/v1/meetings", {**MEETING, "starts_at": "2027-03-21T11:00:00",
                                                       "ends_at": "2027-03-21T11:45:00"}, roles="protocol", sub="petar")
    problem = assert_problem(refused, 409)
    assert [set(found) for found in problem["trips"]] == [{"trip_id", "official", "starts_on", "ends_on"}]
    assert "Vienna" not in problem["detail"]
