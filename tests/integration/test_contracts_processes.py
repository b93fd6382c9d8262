"""Contracts on real processes: gunicorn (two workers, four threads each) and workers on PostgreSQL and the real
broker. Sealed bids leave no trace in logs or spans, an auction's row lock keeps concurrent bids from real
clients correct, a signed agreement's plan of activities reaches outreach's consolidated plan, and a twinning
agreement approved, cleared and signed becomes the twin-city relationship in outreach (decision 0135), its
renewal task withdrawn when it is terminated (0191)."""

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.broker import CitySystemListener, publish_raw
from tests.support.processes import Suite, eventually, http

pytestmark = pytest.mark.integration
BIDDERS = 6
SEALED = [f"1834{index}7.29" for index in range(BIDDERS)]  # distinctive values to look for


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("contracts", "outreach"), tmp_path_factory.mktemp("contracts"), database="postgres") as suite:
        yield suite


def call(suite, method, path, body=None, headers=None):
    return suite.call(method, "contracts", path, body, roles="procurement", sub="pavel", headers=headers)


def ok(response, status=201):
    assert response.status == status, response.body
    return response.json


def at_once(requests):
    """Send the requests from threads released together; each opens its own connection."""
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def send(index, request):
        barrier.wait()
        answers[index] = request()

    threads = [threading.Thread(target=send, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_sealed_bids_stay_out_of_logs_and_traces_and_concurrent_auction_bids_have_one_leader(suite):
    token = suite.token("procurement", "pavel")
    suppliers = at_once([lambda index=index: http("POST", suite.url("contracts", "/api/v1/suppliers"), {
        "legal_name": f"Congress Services {index}", "country": "DE",
        "identifier": {"scheme": "DE-CR", "id": f"HRB 9{index}"}}, token=token) for index in range(BIDDERS)])
    suppliers = [ok(response) for response in suppliers]
    line = ok(call(suite, "POST", "/api/v1/plan-lines", {
        "title": "Forum venue", "budget": {"amount": "185000.00", "currency": "EUR"}, "cpv_code": "79950000-8",
        "procurement_method": "reverse_auction", "planned_tender_on": "2027-02-01",
        "planned_delivery_by": "2027-06-15", "programme": "International Forum of Twin Cities 2027"}))
    ok(call(suite, "POST", f"/api/v1/plan-lines/{line['id']}/approve"), 200)
    now = datetime.now(UTC)
    deadline = now + timedelta(seconds=4)
    tender = ok(call(suite, "POST", "/api/v1/tenders", {
        "plan_line_id": line["id"], "title": "Forum venue", "main_procurement_category": "services",
        "value": {"amount": "185000.00", "currency": "EUR"}, "minimum_step": {"amount": "500.00", "currency": "EUR"},
        "enquiry_ends_at": (now + timedelta(seconds=2)).isoformat(), "submission_deadline": deadline.isoformat()}))
    ok(call(suite, "POST", f"/api/v1/tenders/{tender['id']}/publish"), 200)
    bids_path = suite.url("contracts", f"/api/v1/tenders/{tender['id']}/bids")
    submitted = at_once([lambda company=company, value=value: http("POST", bids_path, {
        "supplier_id": company["id"], "value": {"amount": value, "currency": "EUR"}}, token=token)
        for company, value in zip(suppliers, SEALED, strict=True)])
    assert all(ok(response)["value"] is None for response in submitted)

    before_deadline = ok(call(suite, "GET", f"/api/v1/tenders/{tender['id']}/bids"), 200)
    traces_and_logs = "".join(path.read_text(errors="replace") for path in suite.workdir.rglob("*")
                              if path.is_file() and path.suffix in (".log", ".jsonl"))
    assert all(value not in traces_and_logs and value not in str(before_deadline) for value in SEALED)

    def scheduled():
        response = call(suite, "POST", f"/api/v1/tenders/{tender['id']}/auctions",
                        {"starts_at": deadline.isoformat(), "rounds": 1, "round_seconds": 600})
        return response.json if response.status == 201 else None

    auction = eventually(scheduled, timeout=15, interval=0.2, message="the deadline to pass and the auction")
    assert auction["best"]["amount"] == min(SEALED)

    # Every bidder sends two bids of the same price at the same instant: 2 × BIDDERS real clients.
    place = suite.url("contracts", f"/api/v1/auctions/{auction['id']}/bids")
    answers = at_once([lambda company=company: http("POST", place, {
        "supplier_id": company["id"], "value": {"amount": "170000.00", "currency": "EUR"}}, token=token)
        for company in suppliers for _ in range(2)])
    statuses = [answer.status for answer in answers]
    assert sorted(statuses) == [201] * BIDDERS + [409] * BIDDERS, [answer.body for answer in answers]
    accepted = [answer.json for answer in answers if answer.status == 201]
    assert len({bid["label"] for bid in accepted}) == BIDDERS
    assert [bid["took_lead"] for bid in accepted].count(True) == 1
    leader = next(bid for bid in accepted if bid["took_lead"])
    refused = [answer.json for answer in answers if answer.status == 409]
    assert all("already bid in round 1" in problem["reason"] for problem in refused)

    standing = ok(call(suite, "GET", f"/api/v1/auctions/{auction['id']}"), 200)
    assert standing["leader_label"] == leader["label"]
    assert standing["best"] == {"amount": "170000.00", "currency": "EUR"}
    attempts = ok(call(suite, "GET", f"/api/v1/auctions/{auction['id']}/bids?page_size=200"), 200)
    assert sorted(item["sequence"] for item in attempts["items"]) == list(range(1, 2 * BIDDERS + 1))
    assert min(item["sequence"] for item in attempts["items"] if item["accepted"]) == leader["sequence"]
    audit = suite.call("GET", "contracts", f"/api/v1/audit-records?record_id={auction['id']}&page_size=200",
                       roles="auditor").json
    actions = [record["action"] for record in audit["items"]]
    assert actions.count("auction-bid.placed") == BIDDERS and actions.count("auction-bid.refused") == BIDDERS


AGREEMENT = {
    "title": "Agreement on twinning and cooperation between Sofia and Lyon, 2027–2031",
    "partner_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "partner_name": "City of Lyon", "country": "FR",
    "valid_from": "2027-04-01", "valid_until": "2031-03-31",
    "activities": [
        {"title": "Joint festival of young musicians", "due_on": "2027-09-15", "responsible_body": "Culture"},
        {"title": "Study visit on tram fleet renewal", "due_on": "2028-05-30", "responsible_body": "Mobility"}],
}


def signed(suite, body):
    """Drafted, submitted, approved by the mayor's office, cleared with the foreign ministry and signed."""
    agreement = ok(call(suite, "POST", "/api/v1/agreements", body))
    path = f"/api/v1/agreements/{agreement['id']}"
    ok(call(suite, "POST", f"{path}/submit"), 200)
    ok(suite.call("POST", "contracts", f"{path}/approve", {}, roles="mayor-office", sub="olga"), 200)
    today = datetime.now(UTC).date().isoformat()
    ok(call(suite, "POST", f"{path}/clear", {"cleared_on": today, "reference": "MFA 12-04/1187"}), 200)
    return ok(call(suite, "POST", f"{path}/sign", {"signed_on": today}), 200)


def test_a_signed_agreements_activities_reach_outreachs_plan_and_follow_its_amendment(suite):
    agreement = signed(suite, AGREEMENT)

    def plan_items(status=None):
        path = f"/api/v1/plan-items?source=agreement&partner_id={AGREEMENT['partner_id']}&page_size=50"
        items = suite.call("GET", "outreach", path, roles="outreach").json["items"]
        return {item["source_item_id"]: item for item in items if item["source_id"] == agreement["id"]
                and (status is None or item["status"] == status)}

    planned = eventually(lambda: len(plan_items()) == 2 and plan_items(), timeout=15, message="the plan items")
    assert {item["activity"] for item in planned.values()} == {a["title"] for a in AGREEMENT["activities"]}
    kept, dropped = agreement["activities"]
    ok(call(suite, "POST", f"/api/v1/agreements/{agreement['id']}/amendments", {
        "rationale": "Protocol of 2028", "activities": [
            {**kept, "due_on": "2027-10-01"},
            {"title": "Youth football tournament", "due_on": "2028-07-10", "responsible_body": "Sports"}]}))
    after = eventually(lambda: len(plan_items()) == 3 and plan_items()[dropped["id"]]["status"] == "cancelled"
                       and plan_items(), timeout=15, message="the amendment in the plan")
    assert after[kept["id"]]["due_on"] == "2027-10-01"
    assert "Youth football tournament" in {item["activity"] for item in after.values()}


def relationships(suite, partner_id):
    answer = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/relationships", roles="mayor-office")
    assert answer.status == 200, answer.body
    return answer.json["items"]


def agreement_items(suite, agreement_id, source="agreement"):
    answer = suite.call("GET", "outreach", f"/api/v1/plan-items?source={source}&page_size=200", roles="outreach")
    return {item["source_item_id"]: item for item in answer.json["items"] if item["source_id"] == agreement_id}


def test_a_twinning_agreement_approved_cleared_and_signed_is_the_twin_city_relationship_and_plan_in_outreach(suite):
    listener = CitySystemListener(suite.namespace, "chancery.contracts.agreement.signed.v1")
    partner = suite.call("POST", "outreach", "/api/v1/partners", {"kind": "city", "name": "Kraków", "country": "PL"},
                         roles="outreach").json["id"]
    agreement = signed(suite, {**AGREEMENT, "title": "Twinning of the city and Kraków", "partner_id": partner,
                               "partner_name": "Kraków", "country": "PL", "kind": "twinning"})
    [relationship] = eventually(lambda: relationships(suite, partner), timeout=15, message="the twinning")
    assert (relationship["type"], relationship["agreement_id"], relationship["ended_on"]) == (
        "twin_city", agreement["id"], None)
    items = eventually(lambda: len(agreement_items(suite, agreement["id"])) == 2
                       and agreement_items(suite, agreement["id"]), timeout=15, message="the plan items")
    assert {item["partner_id"] for item in items.values()} == {partner}

    [(published, _)] = listener.receive(1)
    listener.close()
    # Nearing its end (as contracts' hourly task would say it), it opens a renewal task; terminated, withdraws it.
    expiring = {**published, "id": str(uuid.uuid4()), "type": "chancery.contracts.agreement.expiring.v1"}
    publish_raw(suite.namespace, expiring["type"], json.dumps(expiring).encode())
    eventually(lambda: agreement_items(suite, agreement["id"], "agreement_renewal"), timeout=15,
               message="the renewal task")
    ok(call(suite, "POST", f"/api/v1/agreements/{agreement['id']}/terminate", {"reason": "Kraków withdrew"}), 200)
    [ended] = eventually(lambda: [r for r in relationships(suite, partner) if r["ended_on"]], timeout=15,
                         message="the twinning ended")
    withdrawn = eventually(lambda: {item["status"] for item in agreement_items(suite, agreement["id"]).values()}
                           == {"cancelled"} and agreement_items(suite, agreement["id"]), timeout=15,
                           message="the items withdrawn")
    [renewal] = eventually(lambda: [item for item in agreement_items(suite, agreement["id"], "agreement_renewal")
                                    .values() if item["status"] == "cancelled"], timeout=15,
                           message="the renewal task withdrawn")
    assert renewal["status_reason"] == "the agreement was terminated"
    # The signature and the expiry again: redelivered as published, then late under a new id; then a sentinel.
    publish_raw(suite.namespace, published["type"], json.dumps(published).encode())
    publish_raw(suite.namespace, published["type"], json.dumps({**published, "id": str(uuid.uuid4())}).encode())
    publish_raw(suite.namespace, expiring["type"], json.dumps({**expiring, "id": str(uuid.uuid4())}).encode())
    sentinel = {**published, "id": str(uuid.uuid4()), "type": "chancery.contracts.agreement.drafted.v1",
                "data": {**published["data"], "id": str(uuid.uuid4()), "status": "draft"}}
    publish_raw(suite.namespace, sentinel["type"], json.dumps(sentinel).encode())
    eventually(lambda: any(entry["event_type"] == sentinel["type"] for entry in timeline(suite, partner)),
               timeout=15, message="the sentinel consumed")
    assert relationships(suite, partner) == [ended]
    assert agreement_items(suite, agreement["id"]) == withdrawn
    assert list(agreement_items(suite, agreement["id"], "agreement_renewal").values()) == [renewal]


def timeline(suite, partner_id):
    return suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/timeline?page_size=200",
                      roles="outreach").json["items"]


def test_a_confidential_twinning_agreement_reaches_outreach_only_once_made_open(suite):
    """Outreach's queue binds no withheld events (decision 0190): the signed secret is not on the partner's timeline,
    plan or relationships until it is made open, and its release brings all three."""
    partner = suite.call("POST", "outreach", "/api/v1/partners", {"kind": "city", "name": "Vilnius", "country": "LT"},
                         roles="outreach").json["id"]
    body = {**AGREEMENT, "title": "Twinning of the city and Vilnius", "partner_id": partner,
            "partner_name": "Vilnius", "country": "LT", "kind": "twinning"}
    secret = signed(suite, {**body, "confidentiality": "confidential", "need_to_know": {"roles": ["mayor-office"]}})
    marker = ok(call(suite, "POST", "/api/v1/agreements", body))  # open, after it: its events came later
    eventually(lambda: any(entry["subject"] == marker["id"] for entry in timeline(suite, partner)), timeout=15,
               message="the open agreement on the timeline")
    assert [entry["subject"] for entry in timeline(suite, partner)] == [marker["id"]]
    assert (relationships(suite, partner), agreement_items(suite, secret["id"])) == ([], {})

    ok(call(suite, "PATCH", f"/api/v1/agreements/{secret['id']}", {"confidentiality": "open"},
            headers={"If-Match": f'"{secret["version"]}"'}), 200)
    [relationship] = eventually(lambda: relationships(suite, partner), timeout=15, message="the twinning")
    assert relationship["agreement_id"] == secret["id"]
    eventually(lambda: len(agreement_items(suite, secret["id"])) == 2, timeout=15, message="the plan items")
    told = {entry["event_type"] for entry in timeline(suite, partner) if entry["subject"] == secret["id"]}
    assert told == {f"chancery.contracts.agreement.{action}.v1" for action in ("updated", "released")}
