"""Trips as iCalendar feeds: every trip, or one official's, readable by a calendar client through a feed link."""

from urllib.parse import quote, urlsplit

import pytest
from icalendar import Calendar

from services.trips.tests.support import MAYOR, STAFF, act, assert_problem, create


def events(body: bytes) -> dict:
    return {str(event["uid"]): event for event in Calendar.from_ical(body).walk("VEVENT")}


def test_the_trips_feed_has_each_trip_as_whole_days_with_its_status(trips):
    trip = create(trips, travellers=[STAFF])
    cancelled = create(trips, travellers=[STAFF], title="Forum in Vienna",
                       destinations=[{"country": "AT", "city": "Vienna"}])
    act(trips, cancelled["id"], "cancel", "Postponed")
    response = trips.call("GET", "/api/v1/trips/calendar.ics", roles="mayor-office")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    feed = events(response.data)
    event = feed[f"trip-{trip['id']}@chancery"]
    assert str(event["dtstart"].dt) == "2027-05-20" and str(event["dtend"].dt) == "2027-05-24"
    assert str(event["status"]) == "TENTATIVE"
    assert "Sofia, BG" in str(event["location"])
    assert str(feed[f"trip-{cancelled['id']}@chancery"]["status"]) == "CANCELLED"


def test_an_officials_feed_has_only_the_trips_they_travel_on(trips):
    with_mayor = create(trips, travellers=[MAYOR])
    create(trips, travellers=[STAFF])
    response = trips.call("GET", f"/api/v1/officials/{quote(MAYOR['full_name'])}/trips.ics", roles="travel")
    assert set(events(response.data)) == {f"trip-{with_mayor['id']}@chancery"}


@pytest.mark.parametrize("name", ["Ivan Sergeev", "Иван Сергеев"])
def test_a_feed_link_opens_the_officials_feed_for_a_calendar_client_whatever_the_script_of_the_name(trips, name):
    create(trips, travellers=[{**MAYOR, "full_name": name}])
    feed = f"/api/v1/officials/{quote(name)}/trips.ics"
    link = trips.call("POST", "/api/v1/calendar-links", {"feed": feed}, roles="mayor-office")
    assert link.status_code == 201, link.json
    parts = urlsplit(link.json["url"])
    opened = trips.client.get(f"{parts.path}?{parts.query}")
    assert opened.status_code == 200 and len(events(opened.data)) == 1
    assert trips.client.get(f"/api/v1/trips?{parts.query}").status_code == 401


def test_other_departments_cannot_read_the_trips_feed(trips):
    assert_problem(trips.call("GET", "/api/v1/trips/calendar.ics", roles="procurement"), 403)
