"""Proposals to take part in international functions, decided by the mayor's office."""

import pytest

from services.trips.tests.support import STAFF, assert_problem

PROPOSAL = {"function_name": "Eurocities Annual Forum 2027", "organiser": "Eurocities", "country": "AT",
            "city": "Vienna", "starts_on": "2027-06-09", "ends_on": "2027-06-11",
            "rationale": "Panel on urban mobility", "department": "International Relations Department",
            "funding": "city", "partner_id": "p-vienna", "travellers": [STAFF]}


def propose(trips, **changes):
    response = trips.call("POST", "/api/v1/proposals", {**PROPOSAL, **changes}, roles="travel", sub="vera")
    assert response.status_code == 201, response.json
    return response.json


def decide(trips, proposal_id, action, reason=None, roles="mayor-office"):
    body = {} if reason is None else {"reason": reason}
    return trips.call("POST", f"/api/v1/proposals/{proposal_id}/{action}", body, roles=roles, sub="chief")


def test_an_approved_proposal_becomes_a_draft_trip_request_for_its_travellers(trips):
    proposal = propose(trips)
    assert proposal["status"] == "proposed"
    approved = decide(trips, proposal["id"], "approve")
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"
    trip = trips.call("GET", f"/api/v1/trips/{approved.json['trip_id']}", roles="travel").json
    assert trip["status"] == "draft"
    assert trip["international_function"] == "Eurocities Annual Forum 2027"
    assert trip["destinations"] == [{"country": "AT", "city": "Vienna"}]
    assert (trip["starts_on"], trip["ends_on"]) == ("2027-06-09", "2027-06-11")
    assert trip["partner_id"] == "p-vienna"
    assert [t["full_name"] for t in trip["travellers"]] == [STAFF["full_name"]]


def test_a_rejected_proposal_is_kept_with_its_reason_and_drafts_nothing(trips):
    proposal = propose(trips)
    assert_problem(decide(trips, proposal["id"], "reject"), 422, field="reason")
    rejected = decide(trips, proposal["id"], "reject", "The forum clashes with the city budget session")
    assert rejected.json["status"] == "rejected"
    assert rejected.json["status_reason"] == "The forum clashes with the city budget session"
    assert rejected.json["trip_id"] is None
    assert trips.call("GET", "/api/v1/trips", roles="travel").json["total"] == 0
    listed = trips.call("GET", "/api/v1/proposals?status=rejected", roles="mayor-office").json
    assert [item["id"] for item in listed["items"]] == [proposal["id"]]


def test_a_decided_proposal_cannot_be_decided_again_and_the_409_names_no_action(trips):
    proposal = propose(trips)
    decide(trips, proposal["id"], "approve")
    problem = assert_problem(decide(trips, proposal["id"], "reject", "changed our mind"), 409)
    assert problem["allowed_actions"] == []
    assert trips.call("GET", "/api/v1/trips", roles="travel").json["total"] == 1


@pytest.mark.parametrize("role", ["travel", "department-head"])
def test_only_the_mayors_office_decides_proposals(trips, role):
    proposal = propose(trips)
    assert_problem(decide(trips, proposal["id"], "approve", roles=role), 403)


def test_travel_staff_may_withdraw_a_proposal_with_a_reason(trips):
    proposal = propose(trips)
    withdrawn = decide(trips, proposal["id"], "withdraw", "The organiser cancelled the panel", roles="travel")
    assert withdrawn.json["status"] == "withdrawn"


def test_approving_emits_the_proposal_event_and_the_drafted_trip_event_in_one_transaction(trips):
    from sqlalchemy import select

    proposal = propose(trips)
    decide(trips, proposal["id"], "approve")
    service = trips.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        types = list(session.scalars(select(table.c.type).order_by(table.c.position)))
    assert types == ["chancery.trips.proposal.created.v1", "chancery.trips.trip.created.v1",
                     "chancery.trips.proposal.approved.v1"]


def test_a_proposal_ending_before_it_starts_is_refused(trips):
    response = trips.call("POST", "/api/v1/proposals", {**PROPOSAL, "ends_on": "2027-06-01"}, roles="travel")
    assert_problem(response, 422)
