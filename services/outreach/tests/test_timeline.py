"""Each partner's timeline is built from the other services' events alone, once per event."""

import pytest
from sqlalchemy import select

from services.outreach.store.models import TimelineEntry
from services.outreach.tests.conftest import assert_problem, cloud_event

SOFIA = {"kind": "capital", "name": "Sofia", "country": "BG"}


@pytest.fixture
def sofia(outreach):
    return outreach.create("/api/v1/partners", SOFIA)["id"]


def visit(partner_id, **changes):
    return {"id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10", "delegation_name": "Delegation of the City of Sofia",
            "country": "BG", "city": "Sofia", "starts_on": "2027-03-10", "ends_on": "2027-03-12",
            "purpose": "Talks", "host_official": "Mayor", "status": "confirmed", "partner_id": partner_id, **changes}


def agreement(partner_id):
    return {"id": "9a1e6b54-1111-4000-8000-000000000001", "title": "Cooperation programme 2027-2029",
            "partner_id": partner_id, "partner_name": "Sofia", "country": "BG", "signed_on": "2027-01-20",
            "valid_from": "2027-02-01", "valid_until": "2029-12-31", "activities": []}


def trip(partner_id):
    return {"id": "3c5d7e9f-2222-4000-8000-000000000002", "title": "Mayor's visit to Sofia", "partner_id": partner_id,
            "countries": ["BG"], "status": "approved", "department": "Mayor's Office", "starts_on": "2027-05-20",
            "ends_on": "2027-05-23"}


def timeline(outreach, partner_id, query=""):
    response = outreach.call("GET", f"/api/v1/partners/{partner_id}/timeline?{query}", roles="mayor-office")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_events_of_visits_trips_and_contracts_about_a_partner_appear_on_its_timeline_newest_first(outreach, sofia):
    outreach.deliver(cloud_event("chancery.visits.visit.confirmed.v1", visit(sofia), time="2027-03-01T09:00:00Z"))
    outreach.deliver(cloud_event("chancery.contracts.agreement.signed.v1", agreement(sofia),
                                 time="2027-01-20T12:00:00Z"))
    outreach.deliver(cloud_event("chancery.trips.trip.approved.v1", trip(sofia), time="2027-04-02T08:00:00Z"))
    entries = timeline(outreach, sofia)
    assert [(e["source"], e["record"], e["action"]) for e in entries] == [
        ("trips", "trip", "approved"), ("visits", "visit", "confirmed"), ("contracts", "agreement", "signed")]
    assert entries[1]["title"] == "Delegation of the City of Sofia"
    assert entries[1]["country"] == "BG"
    assert entries[1]["details"]["starts_on"] == "2027-03-10"
    assert entries[2]["title"] == "Cooperation programme 2027-2029"


def test_a_redelivered_event_changes_nothing(outreach, sofia):
    event = cloud_event("chancery.visits.visit.confirmed.v1", visit(sofia))
    assert outreach.deliver(event) is True
    assert outreach.deliver(event) is False
    assert outreach.deliver(dict(event)) is False
    assert len(timeline(outreach, sofia)) == 1


def test_an_event_without_a_partner_leaves_every_timeline_alone(outreach, sofia):
    outreach.deliver(cloud_event("chancery.visits.visit.confirmed.v1", visit(None)))
    outreach.deliver(cloud_event("chancery.visits.visit.created.v1", {"id": "x", "delegation_name": "Lyon"}))
    assert outreach.count(TimelineEntry) == 0


def test_appending_to_a_timeline_writes_no_outreach_event(outreach, sofia):
    before = outreach.outbox_types()
    # a draft visit: not yet in the plan (a confirmed one becomes a plan item, announced as outreach's own change)
    outreach.deliver(cloud_event("chancery.visits.visit.created.v1", visit(sofia, status="draft")))
    assert outreach.count(TimelineEntry) == 1
    assert outreach.outbox_types() == before


def test_a_country_that_is_not_an_iso_code_is_left_out_rather_than_refused(outreach, sofia):
    outreach.deliver(cloud_event("chancery.visits.visit.confirmed.v1", visit(sofia, country="Bulgaria")))
    [entry] = timeline(outreach, sofia)
    assert entry["country"] is None


def test_the_timeline_filters_by_source_and_by_days(outreach, sofia):
    outreach.deliver(cloud_event("chancery.visits.visit.confirmed.v1", visit(sofia), time="2027-03-01T23:59:00Z"))
    outreach.deliver(cloud_event("chancery.trips.trip.approved.v1", trip(sofia), time="2027-04-02T00:00:00Z"))
    assert [e["source"] for e in timeline(outreach, sofia, "source=trips")] == ["trips"]
    assert [e["source"] for e in timeline(outreach, sofia, "until=2027-03-01")] == ["visits"]
    assert [e["source"] for e in timeline(outreach, sofia, "since=2027-04-02")] == ["trips"]
    assert [e["source"] for e in timeline(outreach, sofia, "sort=occurred_at")] == ["visits", "trips"]


def test_a_partner_sees_only_its_own_timeline(outreach, sofia):
    lyon = outreach.create("/api/v1/partners", {"kind": "city", "name": "Lyon", "country": "FR"})["id"]
    outreach.deliver(cloud_event("chancery.visits.visit.confirmed.v1", visit(sofia)))
    assert timeline(outreach, lyon) == []
    with outreach.runtime.database.read_session() as session:
        assert session.scalars(select(TimelineEntry.partner_id)).all() == [sofia]


def test_the_timeline_of_an_unknown_partner_is_not_found_and_closed_to_other_departments(outreach, sofia):
    assert_problem(outreach.call("GET", "/api/v1/partners/7c1e6a54-0000-4000-8000-000000000000/timeline"), 404)
    assert outreach.call("GET", f"/api/v1/partners/{sofia}/timeline", roles="protocol").status_code == 403
