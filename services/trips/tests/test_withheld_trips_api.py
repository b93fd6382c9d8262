"""Confidential and embargoed trips through the API (decision 0190): absent for whoever need not know (read,
lists, calendar feeds, year totals, coordination), their events routed as withheld, and released once when the
embargo passes or the trip is made open."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.trips.handlers import on_meeting
from services.trips.tasks import release_passed_embargoes
from services.trips.tests.support import create
from shared.testing import routed_outbox, run_task
from shared.uow import worker_unit_of_work

NEED_TO_KNOW = {"people": ["mila"], "roles": ["mayor-office"]}
SECRET = {"confidentiality": "confidential", "need_to_know": NEED_TO_KNOW}
OTHER = {"roles": "travel", "sub": "petar"}


@pytest.fixture
def trips(service_app):
    service = service_app("trips")
    service.now = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    service.app.extensions["chancery"].clock = lambda: service.now
    return service


def listed(trips, path="/api/v1/trips", **who):
    response = trips.call("GET", path, **who)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def outbox(trips) -> list[tuple[str, str]]:
    return routed_outbox(trips.app.extensions["chancery"])


def release_due(trips) -> None:
    run_task(trips.app.extensions["chancery"], release_passed_embargoes, trips.now)


def feed(trips, path, **who) -> str:
    response = trips.call("GET", path, **who)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_confidential_trip_does_not_exist_for_a_travel_officer_who_need_not_know(trips):
    secret = create(trips, title="Talks in Ankara", **SECRET)
    known = create(trips, title="Days of Sofia")
    assert listed(trips, **OTHER) == [known["id"]]
    for path in ("", "/engagements", "/coordination", "/budget", "/costs", "/legs", "/travel-order.pdf"):
        assert trips.call("GET", f"/api/v1/trips/{secret['id']}{path}", roles="travel", sub="vera").status_code \
            == 200, path
        assert trips.call("GET", f"/api/v1/trips/{secret['id']}{path}", **OTHER).status_code == 404, path
    changed = trips.call("PATCH", f"/api/v1/trips/{secret['id']}", {"title": "Leaked"},
                         headers={"If-Match": '"1"'}, **OTHER)
    assert changed.status_code == 404
    assert trips.call("POST", f"/api/v1/trips/{secret['id']}/submit", {}, **OTHER).status_code == 404


@pytest.mark.parametrize("who", [{"roles": "travel", "sub": "vera"}, {"roles": "travel", "sub": "mila"},
                                 {"roles": "mayor-office", "sub": "ivan"}, {"roles": "admin", "sub": "root"}],
                         ids=["its creator", "a person named", "a role named", "admin"])
def test_a_confidential_trip_is_seen_by_its_creator_the_people_and_roles_named_and_admin(trips, who):
    secret = create(trips, **SECRET)
    assert secret["id"] in listed(trips, **who)
    answer = trips.call("GET", f"/api/v1/trips/{secret['id']}", **who)
    assert answer.status_code == 200
    assert (answer.json["confidentiality"], answer.json["need_to_know"]) == ("confidential", NEED_TO_KNOW)


def test_a_confidential_trip_is_left_out_of_the_calendar_feeds_and_year_totals_of_whoever_need_not_know(trips):
    create(trips, title="Talks in Ankara", **SECRET)
    for path in ("/api/v1/trips/calendar.ics", "/api/v1/officials/Ivan Sergeev/trips.ics"):
        assert "Talks in Ankara" in feed(trips, path, roles="travel", sub="vera")
        assert "Talks in Ankara" not in feed(trips, path, **OTHER)
    totals = {who["sub"]: trips.call("GET", "/api/v1/budget/years/2027", **who).json["totals"]
              for who in ({"roles": "travel", "sub": "vera"}, OTHER)}
    assert [line["trips"] for line in totals["vera"]] == [1]
    assert totals["petar"] == []


def test_coordination_with_a_confidential_trip_is_neither_shown_nor_announced_until_it_is_released(trips):
    secret = create(trips, title="Talks in Sofia", department="Culture Department", **SECRET)
    known = create(trips, sub="petar")
    coordination = f"/api/v1/trips/{known['id']}/coordination"
    assert trips.call("GET", coordination, **OTHER).json["matches"] == []
    assert [m["trip_id"] for m in trips.call("GET", coordination, roles="travel", sub="vera").json["matches"]] \
        == [secret["id"]]
    assert "chancery.trips.coordination.detected.v1" not in [event_type for event_type, _ in outbox(trips)]

    opened = trips.call("PATCH", f"/api/v1/trips/{secret['id']}", {"confidentiality": "open"},
                        headers={"If-Match": '"1"'}, roles="travel", sub="vera")
    assert opened.status_code == 200, opened.json
    assert outbox(trips)[-3:] == [
        ("chancery.trips.trip.updated.v1", "chancery.trips.trip.updated.v1"),
        ("chancery.trips.trip.released.v1", "chancery.trips.trip.released.v1"),
        ("chancery.trips.coordination.detected.v1", "chancery.trips.coordination.detected.v1")]


def test_a_confidential_trips_events_are_routed_as_withheld_with_their_marking(trips):
    secret = create(trips, **SECRET)
    assert outbox(trips) == [("chancery.trips.trip.created.v1", "withheld.chancery.trips.trip.created.v1")]
    service = trips.app.extensions["chancery"]
    with service.database.read_session() as session:
        data = session.execute(select(service.spec.tables.outbox.c.data)).scalar_one()
    assert data["id"] == secret["id"]
    assert (data["confidential"], data["embargoed"], data["need_to_know"]) == (
        True, False, {"people": ["mila", "vera"], "roles": ["mayor-office"]})


def test_an_embargoed_trip_appears_when_its_embargo_passes_and_is_released_once_by_the_sweep(trips):
    until = trips.now + timedelta(hours=2)
    embargoed = create(trips, embargoed_until=until.isoformat())
    assert embargoed["id"] not in listed(trips, **OTHER)
    release_due(trips)
    assert [key for _, key in outbox(trips)] == ["withheld.chancery.trips.trip.created.v1"]

    trips.now = until + timedelta(seconds=1)
    assert embargoed["id"] in listed(trips, **OTHER)
    release_due(trips)
    release_due(trips)
    assert outbox(trips)[1:] == [("chancery.trips.trip.released.v1", "chancery.trips.trip.released.v1")]


def test_the_marking_of_a_submitted_trip_changes_though_its_details_may_not(trips):
    secret = create(trips, **SECRET)
    submitted = trips.call("POST", f"/api/v1/trips/{secret['id']}/submit", {}, roles="travel", sub="vera")
    assert submitted.status_code == 200, submitted.json
    etag = {"If-Match": f'"{submitted.json["version"]}"'}
    refused = trips.call("PATCH", f"/api/v1/trips/{secret['id']}", {"title": "Other"}, headers=etag,
                         roles="travel", sub="vera")
    assert refused.status_code == 409
    opened = trips.call("PATCH", f"/api/v1/trips/{secret['id']}", {"confidentiality": "open"}, headers=etag,
                        roles="travel", sub="vera")
    assert opened.status_code == 200, opened.json
    assert secret["id"] in listed(trips, **OTHER)


def test_a_confidential_meeting_in_visits_is_busy_time_on_a_trips_engagements_for_whoever_may_not_know_of_it(trips):
    trip = create(trips)
    meeting = {"id": "c1e3a5b7-9d0f-4b2d-8e4a-6c8e0a2c4e60", "title": "The Mayor receives the Ambassador of Japan",
               "visit_id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10", "official": "Ivan Sergeev",
               "starts_at": "2027-05-21T09:00:00Z", "ends_at": "2027-05-21T10:00:00Z", "time_zone": "Europe/Sofia",
               "status": "planned", "version": 1, "confidential": True, "embargoed": False, "embargoed_until": None,
               "need_to_know": {"people": ["vera"], "roles": []}}
    service = trips.app.extensions["chancery"]
    with service.database.session() as session:
        on_meeting(worker_unit_of_work(service, session, "event-1"),
                   {"id": "event-1", "type": "chancery.visits.meeting.planned.v1", "data": meeting})
    path = f"/api/v1/trips/{trip['id']}/engagements"
    [hidden] = trips.call("GET", path, **OTHER).json["engagements"]
    assert (hidden["id"], hidden["title"], hidden["visit_id"]) == (meeting["id"], "Busy (confidential)", None)
    [told] = trips.call("GET", path, roles="travel", sub="vera").json["engagements"]
    assert (told["title"], told["visit_id"]) == (meeting["title"], meeting["visit_id"])


def test_the_events_of_a_confidential_trips_parts_go_out_withheld_with_the_trips_marking(trips):
    secret = create(trips, **SECRET)
    cost = trips.call("POST", f"/api/v1/trips/{secret['id']}/costs", {
        "category": "accommodation", "kind": "expected", "amount": "2000.00", "currency": "EUR"},
        roles="travel", sub="vera")
    assert cost.status_code == 201, cost.json["errors"]
    assert outbox(trips)[-1] == ("chancery.trips.cost.added.v1", "withheld.chancery.trips.cost.added.v1")
