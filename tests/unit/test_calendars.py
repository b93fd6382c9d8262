"""Calendar feeds: RFC 5545 output a client can parse, and feed links that open one feed and nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import jwt
import pytest

from shared.calendars import CalendarEntry, calendar_body
from shared.http.auth import allow
from shared.http.calendar_api import calendar_feed, calendar_response

SOFIA = ZoneInfo("Europe/Sofia")
TALKS = CalendarEntry(uid="talks-1@chancery", summary="Talks with the Mayor of Lyon",
                      starts=datetime(2027, 3, 10, 10, 0, tzinfo=SOFIA),
                      ends=datetime(2027, 3, 10, 11, 30, tzinfo=SOFIA),
                      location="City Hall, Sofia", description="Twinning anniversary",
                      updated=datetime(2027, 2, 1, 8, 0, tzinfo=UTC))
VISIT = CalendarEntry(uid="visit-1@chancery", summary="Delegation of Lyon", starts=date(2027, 3, 10),
                      ends=date(2027, 3, 13), status="TENTATIVE")


def events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(event["uid"]): event for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_a_feed_parses_back_with_its_times_in_their_own_zone_and_whole_days_as_dates():
    body = calendar_body("Protocol", [TALKS, VISIT])
    parsed = events(body)
    talks = parsed["talks-1@chancery"]
    assert talks.decoded("dtstart") == TALKS.starts
    assert str(talks.decoded("dtstart").tzinfo) == "Europe/Sofia"
    assert str(talks["location"]) == "City Hall, Sofia"
    assert parsed["visit-1@chancery"].decoded("dtend") == date(2027, 3, 13)
    assert str(parsed["visit-1@chancery"]["status"]) == "TENTATIVE"
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:Europe/Sofia" in body


def test_a_time_without_its_zone_is_refused_rather_than_guessed():
    naive = CalendarEntry(uid="x", summary="x", starts=datetime(2027, 3, 10, 10), ends=datetime(2027, 3, 10, 11))
    with pytest.raises(ValueError, match="time zone"):
        calendar_body("x", [naive])


@pytest.fixture
def visits(service_app):
    service = service_app("visits")

    @allow("protocol", "mayor-office")
    @calendar_feed
    def official_calendar(official):
        return calendar_response(f"Calendar of {official}", [TALKS])

    @allow("protocol")
    @calendar_feed
    def other_calendar():
        return calendar_response("Other", [VISIT])

    service.app.add_url_rule("/api/v1/hosts/<official>/calendar.ics", view_func=official_calendar)
    service.app.add_url_rule("/api/v1/other/calendar.ics", view_func=other_calendar)
    return service


FEED = "/api/v1/hosts/deputy-mayor/calendar.ics"


def link(visits, feed=FEED, roles="protocol"):
    return visits.call("POST", "/api/v1/calendar-links", {"feed": feed}, roles=roles, sub="olga")


def read_without_bearer(visits, url):
    parts = urlsplit(url)
    return visits.client.get(f"{parts.path}?{parts.query}")


def test_a_feed_link_opens_its_feed_for_a_calendar_client_without_the_users_token(visits):
    created = link(visits)
    assert created.status_code == 201, created.json
    feed = read_without_bearer(visits, created.json["url"])
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    assert set(events(feed.data)) == {"talks-1@chancery"}


def test_a_feed_link_opens_no_other_feed_and_no_api_route(visits):
    token = urlsplit(link(visits).json["url"]).query.removeprefix("token=")
    assert visits.client.get(f"/api/v1/other/calendar.ics?token={token}").status_code == 401
    api = visits.client.get("/api/v1/visits", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert visits.client.get(f"/api/v1/visits?token={token}").status_code == 401


def test_a_tampered_or_expired_feed_token_is_refused(visits, monkeypatch):
    token = urlsplit(link(visits).json["url"]).query.removeprefix("token=")
    assert visits.client.get(f"{FEED}?token={token[:-2]}xx").status_code == 401
    claims = jwt.decode(token, options={"verify_signature": False})
    expired = jwt.encode({**claims, "exp": 1}, visits.settings.calendar_secret, algorithm="HS256")
    assert visits.client.get(f"{FEED}?token={expired}").status_code == 401


def test_only_a_role_that_may_read_a_feed_gets_a_link_to_it_and_the_link_is_audited(visits):
    assert link(visits, roles="travel").status_code == 403
    assert link(visits, roles="mayor-office").status_code == 201
    audit = visits.call("GET", "/api/v1/audit-records?action=calendar-link.issued", roles="auditor").json
    assert [record["actor"] for record in audit["items"]] == ["olga"]


@pytest.mark.parametrize("feed", ["/api/v1/visits", "/api/v1/nowhere.ics", "/healthz"])
def test_a_link_to_something_that_is_not_a_feed_is_refused_naming_the_field(visits, feed):
    refused = link(visits, feed=feed)
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "feed"


def test_a_feed_still_answers_a_bearer_token_and_refuses_a_request_with_neither(visits):
    assert visits.call("GET", FEED, roles="protocol").status_code == 200
    assert visits.client.get(FEED).status_code == 401
