"""iCalendar feeds of a visit's programme and of an official's schedule, parsed back with icalendar,
and opened by a calendar client with a feed link instead of the user's token."""

from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from services.visits.tests.support import assert_problem, create_visit, post

TALKS = {"kind": "meeting", "title": "Talks on urban transport", "starts_at": "2027-03-10T10:00:00",
         "ends_at": "2027-03-10T11:30:00", "time_zone": "Europe/Sofia", "venue": "Sofia City Hall",
         "host_participants": ["Мэр Софии", "Deputy Mayor for Transport"]}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


def events_of(body: bytes) -> list:
    return [component for component in Calendar.from_ical(body).walk("VEVENT")]


def test_a_visits_feed_holds_the_visit_as_whole_days_and_each_item_in_the_venues_time_zone(visits):
    visit = create_visit(visits, starts_on="2027-03-10", ends_on="2027-03-12")
    post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", TALKS)
    response = visits.call("GET", f"/api/v1/visits/{visit['id']}/calendar.ics", roles="mayor-office")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    whole_visit, talks = events_of(response.data)
    assert (whole_visit.decoded("dtstart"), whole_visit.decoded("dtend")) == (date(2027, 3, 10), date(2027, 3, 13))
    assert str(whole_visit["status"]) == "TENTATIVE"
    starts = talks.decoded("dtstart")
    assert isinstance(starts, datetime) and starts.utcoffset().total_seconds() == 2 * 3600
    assert (starts.hour, str(talks["location"])) == (10, "Sofia City Hall")
    assert "VTIMEZONE" in response.data.decode()


def test_an_officials_feed_gathers_their_items_across_visits_their_meetings_and_their_functions(visits):
    for city, day in (("Lyon", "10"), ("Kyoto", "11")):
        visit = create_visit(visits, city=city, delegation_name=f"Delegation of {city}", starts_on="2027-03-10",
                             ends_on="2027-03-12")
        post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", {
            **TALKS, "title": f"Talks with {city}", "starts_at": f"2027-03-{day}T10:00:00",
            "ends_at": f"2027-03-{day}T11:00:00", "venue": None})
    post(visits, "/api/v1/meetings", {"title": "Courtesy call of the Ambassador of Japan", "official": "Мэр Софии",
                                      "guests": ["H.E. Kenji Sato"], "country": "JP",
                                      "starts_at": "2027-03-15T11:00:00", "ends_at": "2027-03-15T11:30:00",
                                      "time_zone": "Europe/Sofia"})
    post(visits, "/api/v1/functions", {"kind": "press_conference", "title": "Press conference on the tram",
                                       "starts_at": "2027-03-16T12:00:00", "ends_at": "2027-03-16T13:00:00",
                                       "time_zone": "Europe/Sofia", "venue": "Press Centre",
                                       "officials": ["мэр  софии"]})
    post(visits, "/api/v1/functions", {"kind": "seminar", "title": "Seminar without the mayor",
                                       "starts_at": "2027-03-17T12:00:00", "ends_at": "2027-03-17T13:00:00",
                                       "time_zone": "Europe/Sofia", "venue": "Press Centre",
                                       "officials": ["Deputy Mayor for Transport"]})
    response = visits.call("GET", "/api/v1/officials/Мэр Софии/visits.ics")
    events = events_of(response.data)
    assert [str(event["summary"]) for event in events] == [
        "Talks with Lyon (Delegation of Lyon)", "Talks with Kyoto (Delegation of Kyoto)",
        "Courtesy call of the Ambassador of Japan", "Press conference on the tram"]
    assert str(events[-1]["location"]) == "Press Centre"
    listed = visits.call("GET", "/api/v1/functions?official=Мэр Софии").json["items"]
    assert [f["title"] for f in listed] == ["Press conference on the tram"]


def test_a_calendar_client_opens_the_feed_with_its_link_but_nothing_else(visits):
    visit = create_visit(visits)
    feed = f"/api/v1/visits/{visit['id']}/calendar.ics"
    link = visits.call("POST", "/api/v1/calendar-links", {"feed": feed}, roles="protocol")
    assert link.status_code == 201, link.json
    url = urlsplit(link.json["url"])
    opened = visits.client.get(f"{url.path}?{url.query}")
    assert opened.status_code == 200 and events_of(opened.data)
    other = create_visit(visits)
    assert visits.client.get(f"/api/v1/visits/{other['id']}/calendar.ics?{url.query}").status_code == 401
    assert visits.client.get(f"/api/v1/visits/{visit['id']}?{url.query}").status_code == 401


def test_travel_staff_get_no_feed_of_visits(visits):
    visit = create_visit(visits)
    assert_problem(visits.call("GET", f"/api/v1/visits/{visit['id']}/calendar.ics", roles="travel"), 403)
    refused = visits.call("POST", "/api/v1/calendar-links", {"feed": f"/api/v1/visits/{visit['id']}/calendar.ics"},
                          roles="travel")
    assert_problem(refused, 403)
