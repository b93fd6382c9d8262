"""Cooperation agreements: the approval chain before signing, the plan of activities adopted with them, amendments,
termination, expiry ahead, and who reads them."""

from datetime import UTC, datetime

import pytest

from services.contracts.domain.agreement import AGREEMENT_LIFECYCLE, AgreementStatus, allowed_actions
from services.contracts.tasks import announce_expiring_agreements
from services.contracts.tests.helpers import assert_problem, audit_records, created, outbox, post
from shared.uow import worker_unit_of_work

G = AgreementStatus
PARTNER_ID = "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
AGREEMENT = {
    "title": "Agreement on twinning and cooperation between Sofia and Lyon, 2027–2031",
    "partner_id": PARTNER_ID, "partner_name": "City of Lyon", "partner_kind": "city", "country": "FR",
    "areas": ["culture", "urban transport"], "valid_from": "2027-04-01", "valid_until": "2031-03-31",
    "activities": [
        {"title": "Joint festival of young musicians", "due_on": "2027-09-15", "responsible_body": "Culture"},
        {"title": "Study visit on tram fleet renewal", "due_on": "2028-05-30", "responsible_body": "Mobility"}],
}
CLEARANCE = {"cleared_on": "2027-02-01", "reference": "MFA 12-04/1187"}
AGREED_FIELDS = {"id", "title", "partner_id", "partner_name", "country", "signed_on", "valid_from", "valid_until",
                 "activities"}


def test_the_agreement_lifecycle_is_submitted_approved_cleared_signed_then_terminated_or_cancelled_unsigned():
    table = {(state, action): AGREEMENT_LIFECYCLE.next_status(state, action, "why")
             for state in G for action in AGREEMENT_LIFECYCLE.transitions
             if action in AGREEMENT_LIFECYCLE.allowed_actions(state)}
    assert table == {
        (G.DRAFT, "submit"): G.SUBMITTED, (G.SUBMITTED, "approve"): G.APPROVED, (G.SUBMITTED, "send-back"): G.DRAFT,
        (G.APPROVED, "clear"): G.CLEARED, (G.APPROVED, "sign"): G.SIGNED, (G.CLEARED, "sign"): G.SIGNED,
        (G.SIGNED, "amend"): G.SIGNED, (G.SIGNED, "terminate"): G.TERMINATED,
        **{(state, "cancel"): G.CANCELLED for state in (G.DRAFT, G.SUBMITTED, G.APPROVED, G.CLEARED)}}


def test_an_approved_agreement_abroad_must_be_cleared_and_one_at_home_has_no_clearance():
    assert allowed_actions(G.APPROVED, international=True) == ["clear", "cancel"]
    assert allowed_actions(G.CLEARED, international=True) == ["sign", "cancel"]
    assert allowed_actions(G.APPROVED, international=False) == ["sign", "cancel"]


def act(contracts, agreement, action, body=None, roles="procurement"):
    response = post(contracts, f"/api/v1/agreements/{agreement['id']}/{action}", body, roles=roles)
    assert response.status_code == 200, response.json
    return response.json


def approved(contracts, **changes):
    agreement = created(contracts, "/api/v1/agreements", {**AGREEMENT, **changes}).json
    act(contracts, agreement, "submit")
    return act(contracts, agreement, "approve", roles="mayor-office")


def signed(contracts, **changes):
    agreement = approved(contracts, **changes)
    if agreement["international"]:
        act(contracts, agreement, "clear", CLEARANCE)
    return act(contracts, agreement, "sign",
               {"signed_on": "2027-03-20", "signatories": "Mayor of Sofia; Mayor of Lyon"})


def events(contracts, action):
    return [data for event_type, data in outbox(contracts)
            if event_type == f"chancery.contracts.agreement.{action}.v1"]


def test_signing_emits_the_agreement_with_the_fields_agreed_with_outreach(contracts):
    agreement = signed(contracts)
    [data] = events(contracts, "signed")
    assert AGREED_FIELDS <= set(data)
    assert (data["partner_id"], data["partner_name"], data["country"]) == (PARTNER_ID, "City of Lyon", "FR")
    assert (data["signed_on"], data["valid_from"], data["valid_until"]) == ("2027-03-20", "2027-04-01",
                                                                           "2031-03-31")
    assert [(a["title"], a["due_on"], a["responsible_body"]) for a in data["activities"]] == [
        (a["title"], a["due_on"], a["responsible_body"]) for a in AGREEMENT["activities"]]
    assert [a["id"] for a in data["activities"]] == [a["id"] for a in agreement["activities"]]
    assert "Mayor of Lyon" not in str(data)


def test_an_agreement_without_a_plan_of_activities_cannot_be_signed(contracts):
    agreement = approved(contracts, activities=[], country="BG")
    response = post(contracts, f"/api/v1/agreements/{agreement['id']}/sign", {"signed_on": "2027-03-20"})
    assert_problem(response, 422, "activities")
    assert events(contracts, "signed") == []


def test_an_activity_due_outside_the_validity_is_refused_naming_it(contracts):
    activities = [*AGREEMENT["activities"], {"title": "Late", "due_on": "2032-01-01", "responsible_body": "X"}]
    response = post(contracts, "/api/v1/agreements", {**AGREEMENT, "activities": activities})
    assert_problem(response, 422, "activities.2.due_on")


def test_an_amendment_keeps_the_ids_of_kept_activities_drops_the_others_and_adds_new_ones(contracts):
    agreement = signed(contracts)
    kept, dropped = agreement["activities"]
    path = f"/api/v1/agreements/{agreement['id']}/amendments"
    plan = [{**kept, "due_on": "2027-10-01"},
            {"title": "Youth football tournament", "due_on": "2028-07-10", "responsible_body": "Sports"}]
    assert_problem(post(contracts, path, {"rationale": " ", "activities": plan}), 422)
    amendment = created(contracts, path, {"rationale": "Protocol of 2028", "activities": plan,
                                          "valid_until": "2032-03-31"}).json
    assert amendment["changes"]["activities"] == {"added": 1, "removed": [dropped["id"]], "count": 2}
    [data] = events(contracts, "amended")
    assert [a["id"] for a in data["activities"]][0] == kept["id"]
    assert dropped["id"] not in {a["id"] for a in data["activities"]}
    assert data["activities"][0]["due_on"] == "2027-10-01" and data["valid_until"] == "2032-03-31"
    unknown = post(contracts, path, {"rationale": "x", "activities": [{**kept, "id": "nope"}]})
    assert_problem(unknown, 422, "activities.0.id")


def test_a_draft_is_edited_while_a_signed_agreement_changes_only_by_amendment(contracts):
    draft = created(contracts, "/api/v1/agreements", AGREEMENT).json
    edited = contracts.call("PATCH", f"/api/v1/agreements/{draft['id']}", {"areas": ["culture"]},
                            roles="procurement")
    assert edited.status_code == 200 and edited.json["areas"] == ["culture"]
    amend = post(contracts, f"/api/v1/agreements/{draft['id']}/amendments", {"rationale": "x", "areas": []})
    assert assert_problem(amend, 409)["allowed_actions"] == ["submit", "cancel"]
    agreement = signed(contracts)
    patch = contracts.call("PATCH", f"/api/v1/agreements/{agreement['id']}", {"title": "Other"},
                           roles="procurement")
    assert assert_problem(patch, 409)["allowed_actions"] == ["amend", "terminate"]


def test_terminating_needs_a_reason_and_emits_the_same_shape(contracts):
    agreement = signed(contracts)
    assert_problem(post(contracts, f"/api/v1/agreements/{agreement['id']}/terminate"), 422, "reason")
    ended = post(contracts, f"/api/v1/agreements/{agreement['id']}/terminate",
                 {"reason": "Lyon withdrew from the programme"}).json
    assert ended["status"] == "terminated"
    [data] = events(contracts, "terminated")
    assert AGREED_FIELDS <= set(data) and data["status_reason"] == "Lyon withdrew from the programme"


def run_expiry_task(contracts, at):
    service = contracts.app.extensions["chancery"]
    with service.database.session() as session:
        announce_expiring_agreements(worker_unit_of_work(service, session, "expiring-agreements"), at)


def test_expiry_ahead_is_visible_and_announced_once_per_validity_end_on_a_frozen_clock(contracts, clock):
    agreement = signed(contracts, valid_until="2028-06-30",
                       activities=[{"title": "Festival", "due_on": "2027-09-15", "responsible_body": "Culture"}])
    clock.at = datetime(2028, 3, 31, tzinfo=UTC)  # 91 days before: not yet
    assert contracts.call("GET", "/api/v1/agreements?expiring_within_days=90").json["total"] == 0
    run_expiry_task(contracts, clock.at)
    assert events(contracts, "expiring") == []
    clock.at = datetime(2028, 4, 1, tzinfo=UTC)  # 90 days before: the notice period begins
    listed = contracts.call("GET", "/api/v1/agreements?expiring_within_days=90").json["items"]
    assert [(a["id"], a["expiring"], a["expires_in_days"]) for a in listed] == [(agreement["id"], True, 90)]
    run_expiry_task(contracts, clock.at)
    run_expiry_task(contracts, clock.at)
    assert [data["valid_until"] for data in events(contracts, "expiring")] == ["2028-06-30"]
    created(contracts, f"/api/v1/agreements/{agreement['id']}/amendments",
            {"rationale": "Extended by a year", "valid_until": "2029-06-30"})
    clock.at = datetime(2029, 5, 1, tzinfo=UTC)
    run_expiry_task(contracts, clock.at)
    assert [data["valid_until"] for data in events(contracts, "expiring")] == ["2028-06-30", "2029-06-30"]
    assert "agreement.expiring" in {record["action"] for record in audit_records(contracts, agreement["id"])}


def test_documents_are_attached_with_the_partner_in_their_event(contracts):
    agreement = signed(contracts)
    created(contracts, f"/api/v1/agreements/{agreement['id']}/documents",
            {"title": "Signed originals", "url": "https://docs.city.example/lyon.pdf", "language": "bg"})
    event_type, data = outbox(contracts)[-1]
    assert event_type == "chancery.contracts.agreement-document.added.v1" and data["partner_id"] == PARTNER_ID


def test_an_agreement_abroad_is_approved_by_the_mayors_office_and_cleared_before_it_is_signed(contracts):
    agreement = created(contracts, "/api/v1/agreements", AGREEMENT).json
    path = f"/api/v1/agreements/{agreement['id']}"
    sign = {"signed_on": "2027-03-20"}
    assert assert_problem(post(contracts, f"{path}/sign", sign), 409)["allowed_actions"] == ["submit", "cancel"]
    act(contracts, agreement, "submit")
    assert post(contracts, f"{path}/approve").status_code == 403  # procurement does not approve
    assert_problem(post(contracts, f"{path}/send-back", roles="mayor-office"), 422, "reason")
    returned = act(contracts, agreement, "send-back", {"reason": "Add the youth exchanges"}, roles="mayor-office")
    assert returned["status"] == "draft" and returned["status_reason"] == "Add the youth exchanges"
    act(contracts, agreement, "submit")
    approval = act(contracts, agreement, "approve", roles="mayor-office")
    assert approval["approved_at"] and approval["approved_by"] == "pavel"
    assert approval["allowed_actions"] == ["clear", "cancel"]
    assert assert_problem(post(contracts, f"{path}/sign", sign), 409)["allowed_actions"] == ["clear", "cancel"]
    assert_problem(post(contracts, f"{path}/clear", {**CLEARANCE, "cleared_on": "2027-01-31"}), 422, "cleared_on")
    assert_problem(post(contracts, f"{path}/clear", {"cleared_on": "2027-02-01"}), 422, "reference")
    cleared = act(contracts, agreement, "clear", CLEARANCE)
    assert (cleared["status"], cleared["cleared_on"], cleared["clearance_reference"]) == (
        "cleared", "2027-02-01", "MFA 12-04/1187")
    assert act(contracts, agreement, "sign", sign)["status"] == "signed"
    steps = ["submitted", "approved", "sent-back", "cleared", "signed"]
    assert [event_type.split(".")[3] for event_type, data in outbox(contracts)
            if data.get("id") == agreement["id"]] == ["drafted", "submitted", "sent-back", "submitted", "approved",
                                                       "cleared", "signed"]
    [data] = events(contracts, "cleared")
    assert (data["cleared_on"], data["clearance_reference"]) == ("2027-02-01", "MFA 12-04/1187")
    audited = [record["action"] for record in audit_records(contracts, agreement["id"])]
    assert all(f"agreement.{step}" in audited for step in steps)


def test_an_agreement_with_a_partner_at_home_is_signed_once_approved_with_no_clearance(contracts):
    agreement = approved(contracts, country="BG", partner_name="City of Plovdiv")
    assert agreement["international"] is False and agreement["allowed_actions"] == ["sign", "cancel"]
    refused = post(contracts, f"/api/v1/agreements/{agreement['id']}/clear", CLEARANCE)
    assert assert_problem(refused, 409)["allowed_actions"] == ["sign", "cancel"]
    assert act(contracts, agreement, "sign", {"signed_on": "2027-03-20"})["cleared_on"] is None


@pytest.mark.parametrize("roles", ["outreach", "mayor-office"])
def test_outreach_and_the_mayors_office_read_agreements_and_only_procurement_writes_them(contracts, roles):
    agreement = signed(contracts)
    path = f"/api/v1/agreements/{agreement['id']}"
    assert [item["id"] for item in contracts.call("GET", "/api/v1/agreements", roles=roles).json["items"]] == [
        agreement["id"]]
    for read in (path, f"{path}/amendments", f"{path}/documents"):
        assert contracts.call("GET", read, roles=roles).status_code == 200
    assert post(contracts, "/api/v1/agreements", AGREEMENT, roles=roles).status_code == 403
    assert post(contracts, f"{path}/terminate", {"reason": "x"}, roles=roles).status_code == 403
    assert post(contracts, f"{path}/amendments", {"rationale": "x", "areas": []}, roles=roles).status_code == 403


@pytest.mark.parametrize("roles", ["procurement", "outreach"])
def test_only_the_mayors_office_approves_an_agreement(contracts, roles):
    agreement = created(contracts, "/api/v1/agreements", AGREEMENT).json
    act(contracts, agreement, "submit")
    assert post(contracts, f"/api/v1/agreements/{agreement['id']}/approve", roles=roles).status_code == 403


@pytest.mark.parametrize("roles", ["protocol", "travel"])
def test_agreements_are_closed_to_protocol_and_travel(contracts, roles):
    assert contracts.call("GET", "/api/v1/agreements", roles=roles).status_code == 403
