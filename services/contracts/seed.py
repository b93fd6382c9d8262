"""Demo data for contracts (`make seed`): the procurement for the International Forum of Twin Cities 2027 from
its plan line to paid contracts, the twinning agreement with Sofia and its plan of activities, the renewed
twinning with Lyon through its whole approval chain (the mayor's office, the foreign ministry's clearance:
decision 0135), and a commitment to a foreign investor, through contracts' own API (docs/decisions/0007).

Bids are sealed until the submission deadline and an award needs it passed, on the real clock. So the first
run publishes the tender with a deadline a few seconds ahead and waits for it; a later run finds the tender
by its plan line and replays every creation by its Idempotency-Key."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from shared.seed import SeedClient

STAFF = "procurement"
FORUM = "International Forum of Twin Cities 2027"
PLAN_LINE = {"title": f"Venue, catering and interpretation for the {FORUM}",
             "budget": {"amount": "185000.00", "currency": "EUR"}, "cpv_code": "79950000-8",
             "procurement_method": "open", "planned_tender_on": "2027-01-15", "planned_delivery_by": "2027-05-28",
             "programme": FORUM}
LOTS = [{"title": "Venue and catering for 400 guests, 27-28 May 2027",
         "value": {"amount": "150000.00", "currency": "EUR"}},
        {"title": "Simultaneous interpretation EN/RU/BG", "value": {"amount": "35000.00", "currency": "EUR"}}]
SUPPLIERS = [
    {"legal_name": "Eventim Congress Services GmbH", "country": "DE", "identifier": {"scheme": "DE-CR",
                                                                                      "id": "HRB 204117"},
     "contact_name": "Anna Weber", "contact_email": "tenders@eventim-congress.example"},
    {"legal_name": "Inter Expo Center EAD", "country": "BG", "identifier": {"scheme": "BG-EIK", "id": "131224383"},
     "contact_name": "Georgi Ivanov", "contact_email": "sales@iec.example"},
    {"legal_name": "Lingua Bridge OOD", "country": "BG", "identifier": {"scheme": "BG-EIK", "id": "205511982"},
     "contact_name": "Elena Dimitrova", "contact_email": "office@linguabridge.example"},
]
# (supplier, lot, price): the venue goes to the lower of two bids, the interpretation to its only bidder.
BIDS = [(0, 0, "146500.00"), (1, 0, "139800.00"), (2, 1, "33900.00")]
CONTRACT_TERMS = {"period_start": "2027-03-15", "period_end": "2027-06-30",
                  "buyer_signatory": "Deputy Mayor for International Relations"}
# Per lot: milestones (title, type, due, met on) and payments (amount, paid on, payment order).
IMPLEMENTATION = [
    ([("Venue booked and menu agreed", "delivery", "2027-04-15", "2027-04-12"),
      ("Forum held", "delivery", "2027-05-28", "2027-05-28")],
     [("41940.00", "2027-03-25", "PO-2027-00311"), ("97860.00", "2027-06-20", "PO-2027-00507")]),
    ([("Interpreters confirmed", "delivery", "2027-05-10", "2027-05-06")],
     [("33900.00", "2027-06-18", "PO-2027-00498")]),
]
AGREEMENT = {
    "title": "Programme of twinning cooperation with Sofia, 2027-2029",
    "partner_name": "Sofia Municipality", "partner_kind": "city", "kind": "twinning", "country": "BG",
    "areas": ["culture", "education", "tourism", "municipal services"],
    "valid_from": "2027-01-01", "valid_until": "2029-12-31",
    "activities": [
        {"title": "Days of Sofia culture in the city", "due_on": "2027-05-27",
         "responsible_body": "Culture Department"},
        {"title": "School orchestra exchange", "due_on": "2027-10-15", "responsible_body": "Education Department"},
        {"title": "Joint tourism stand at ITB Berlin", "due_on": "2028-03-05", "responsible_body": "Tourism Committee"},
        {"title": "Exchange of municipal IT specialists", "due_on": "2028-09-30",
         "responsible_body": "Department of Digital Services"}],
}
LYON = {
    "title": "Agreement renewing the twinning of the city with Lyon, 2027-2031",
    "partner_name": "Ville de Lyon", "partner_kind": "city", "kind": "twinning", "country": "FR",
    "areas": ["culture", "urban transport", "youth exchanges"],
    "valid_from": "2027-01-01", "valid_until": "2031-12-31",
    "activities": [
        {"title": "Festival of Lyon lights in the city centre", "due_on": "2027-12-08",
         "responsible_body": "Culture Department"},
        {"title": "Study visit on tram fleet renewal", "due_on": "2028-05-30",
         "responsible_body": "Urban Mobility Department"}],
}
COMMITMENT = {
    "obligation": "Connect the Nordtech Logistics distribution centre in the Eastern Industrial Zone to the "
                  "district heating network and build the access road",
    "counterparty_name": "Nordtech Logistics AB", "counterparty_kind": "investor", "country": "SE",
    "responsible_body": "Municipal Infrastructure Directorate", "due_on": "2027-09-30",
    "value": {"amount": "420000.00", "currency": "EUR"},
}


def call(client: SeedClient, method: str, path: str, body=None, **kwargs):
    return client.call("contracts", method, path, body, roles=STAFF, **kwargs)


def seed(client: SeedClient) -> None:
    seed_forum_procurement(client)
    seed_twinning_agreement(client)
    call(client, "POST", "/api/v1/commitments", COMMITMENT, key="contracts:commitment:nordtech")


def seed_forum_procurement(client: SeedClient) -> None:
    line = call(client, "POST", "/api/v1/plan-lines", PLAN_LINE, key="contracts:plan-line:forum")
    call(client, "POST", f"/api/v1/plan-lines/{line['id']}/approve", {}, tolerate=(409,))
    suppliers = [call(client, "POST", "/api/v1/suppliers", body, key=f"contracts:supplier:{body['identifier']['id']}")
                 for body in SUPPLIERS]
    tender = forum_tender(client, line["id"])
    for supplier, lot, price in BIDS:
        call(client, "POST", f"/api/v1/tenders/{tender['id']}/bids",
             {"supplier_id": suppliers[supplier]["id"], "lot_id": tender["lots"][lot]["id"],
              "value": {"amount": price, "currency": "EUR"}}, key=f"contracts:bid:{supplier}:{lot}")
    wait_until(datetime.fromisoformat(tender["submission_deadline"].replace("Z", "+00:00")))
    for lot, (milestones, payments) in zip(tender["lots"], IMPLEMENTATION, strict=True):
        award = call(client, "POST", f"/api/v1/tenders/{tender['id']}/awards",
                     {"lot_id": lot["id"], "standstill_days": 0}, key=f"contracts:award:{lot['title']}")
        call(client, "POST", f"/api/v1/awards/{award['id']}/activate", {}, tolerate=(409,))
        contract = call(client, "POST", "/api/v1/contracts",
                        {**CONTRACT_TERMS, "award_id": award["id"], "title": lot["title"],
                         "supplier_signatory": "Managing Director"}, key=f"contracts:contract:{lot['title']}")
        for party in ("supplier", "buyer"):
            call(client, "POST", f"/api/v1/contracts/{contract['id']}/sign",
                 {"party": party, "signed_on": "2027-03-10"}, tolerate=(409,))
        implement(client, contract, milestones, payments)
        call(client, "POST", f"/api/v1/contracts/{contract['id']}/complete", {}, tolerate=(409,))
    call(client, "POST", f"/api/v1/tenders/{tender['id']}/complete", {}, tolerate=(409,))


def forum_tender(client: SeedClient, plan_line_id: str) -> dict:
    """The forum's tender: found by its plan line on a later run, else announced with its question answered."""
    found = call(client, "GET", f"/api/v1/tenders?plan_line_id={plan_line_id}")["items"]
    if found:
        return found[0]
    now = datetime.now(UTC).replace(microsecond=0)
    tender = call(client, "POST", "/api/v1/tenders", {
        "plan_line_id": plan_line_id, "title": f"Venue and interpretation for the {FORUM}",
        "description": "Two lots: the venue with catering for 400 guests; simultaneous interpretation EN/RU/BG",
        "main_procurement_category": "services", "value": PLAN_LINE["budget"], "lots": LOTS,
        "enquiry_ends_at": (now + timedelta(seconds=5)).isoformat(),
        "submission_deadline": (now + timedelta(seconds=8)).isoformat()})
    call(client, "POST", f"/api/v1/tenders/{tender['id']}/documents", {
        "document_type": "technicalSpecifications", "title": "Technical specification: venue and interpretation",
        "url": "https://docs.city.example/tenders/forum-2027/specification.pdf", "language": "en"})
    tender = call(client, "POST", f"/api/v1/tenders/{tender['id']}/publish", {})
    question = call(client, "POST", f"/api/v1/tenders/{tender['id']}/enquiries",
                    {"question": "May the interpretation lot be offered with remote interpreters?"})
    call(client, "POST", f"/api/v1/tenders/{tender['id']}/enquiries/{question['id']}/answer",
         {"answer": "No: the interpreters must be present at the venue on both days."})
    return tender


def wait_until(moment: datetime) -> None:
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds() + 0.5))


def implement(client: SeedClient, contract: dict, milestones: list, payments: list) -> None:
    path = f"/api/v1/contracts/{contract['id']}"
    for title, kind, due_on, met_on in milestones:
        milestone = call(client, "POST", f"{path}/milestones", {"title": title, "type": kind, "due_on": due_on},
                         key=f"contracts:milestone:{contract['id']}:{title}")
        call(client, "POST", f"{path}/milestones/{milestone['id']}/meet", {"on": met_on}, tolerate=(409,))
    for amount, paid_on, reference in payments:
        call(client, "POST", f"{path}/payments", {"value": {"amount": amount, "currency": "EUR"},
                                                   "paid_on": paid_on, "reference": reference},
             key=f"contracts:payment:{reference}")


def seed_twinning_agreement(client: SeedClient) -> None:
    """Sofia's agreement (at home: approved, then signed) and Lyon's (abroad: approved, cleared, then signed)."""
    signed_agreement(client, "Sofia", AGREEMENT, "sofia", None)
    signed_agreement(client, "Lyon", LYON, "lyon", "MFA 12-04/1187")


def signed_agreement(client: SeedClient, partner_name: str, body: dict, key: str, clearance: str | None) -> None:
    found = client.call("outreach", "GET", f"/api/v1/partners?q={partner_name}", roles="outreach")["items"]
    partner = {"partner_id": found[0]["id"]} if found else {}
    agreement = call(client, "POST", "/api/v1/agreements", {**body, **partner}, key=f"contracts:agreement:{key}")
    path, today = f"/api/v1/agreements/{agreement['id']}", datetime.now(UTC).date().isoformat()
    call(client, "POST", f"{path}/submit", {}, tolerate=(409,))
    client.call("contracts", "POST", f"{path}/approve", {}, roles="mayor-office", tolerate=(409,))
    if clearance:
        call(client, "POST", f"{path}/clear", {"cleared_on": today, "reference": clearance}, tolerate=(409,))
    call(client, "POST", f"{path}/sign", {"signed_on": today, "signatories": f"Mayor of {partner_name}; the Mayor"},
         tolerate=(409,))
