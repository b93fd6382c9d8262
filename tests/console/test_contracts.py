"""Contracts at the console, on real processes: the procurement officer's plan line (its CPV code picked by
search), a tender with its enquiries and two sealed bids recorded, the reverse auction whose standing reaches an
open page's stream without a reload, the award after its standstill (moved past on the test clock), the contract
signed by both sides; the registers with filters in the URL and their export; refusals beside their fields and a
change over a newer version naming what changed; nobody else sees any of it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.console.people import Person
from tests.support.contracts_clock import end_the_auction, pass_the_deadline, wait_out_the_standstill
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
LINE = {"title": "Interpretation for the Forum of Twin Cities", "description": "", "amount": "40000.00",
        "currency": "EUR", "cpv_code": "79540000-1", "procurement_method": "reverse_auction",
        "planned_tender_on": "2027-03-01", "planned_delivery_by": "2027-06-15", "programme": "Forum 2027"}


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """Contracts alone behind the console (conftest's `console`)."""
    with Suite(("contracts",), tmp_path_factory.mktemp("console-contracts")) as running:
        yield running


@pytest.fixture(scope="module")
def pavel(console):
    person = Person(console.url(""))
    assert person.sign_in("pavel", ["procurement"]).status_code == 302
    return person


def record_id(answer: httpx.Response) -> str:
    assert answer.status_code == 302, answer.text
    return answer.headers["location"].rsplit("/", 1)[-1].split("#")[0]


def a_plan_line(pavel: Person, **changes) -> str:
    return record_id(pavel.submit("/procurement/plan", "/procurement/plan/new", {**LINE, **changes}))


def test_a_cpv_code_is_found_by_words_and_a_wrong_one_is_refused_beside_its_field(pavel):
    options = pavel.get("/procurement/cpv-codes?cpv_code=interpretation").text
    assert '<option value="79540000-1">' in options
    refused = pavel.submit("/procurement/plan", "/procurement/plan/new", {**LINE, "cpv_code": "79540000-2"})
    assert refused.status_code == 422
    assert re.search(r'id="e-cpv_code" role="alert">[^<]+', refused.text)
    assert 'value="79540000-2"' in refused.text  # what was typed is kept


def test_a_plan_line_changed_over_a_newer_version_names_what_changed(suite, pavel):
    line = a_plan_line(pavel)
    page = f"/procurement/plan/{line}"
    opened = pavel.get(page).text
    assert pavel.send(page, "edit", {**LINE, "title": "Interpretation, three languages"}).status_code == 302
    stale = pavel.send(page, "edit", {**LINE, "programme": "Forum 2028"}, opened=opened)
    assert stale.status_code == 422 and "Someone changed this meanwhile (title)" in stale.text
    assert 'value="Forum 2028"' in stale.text


def test_the_registers_keep_filters_in_the_url_and_export_them_with_translated_headers(pavel):
    a_plan_line(pavel, title="Catering for the reception", cpv_code="55520000-1")
    shown = pavel.get("/procurement/plan?cpv_prefix=5552&sort=title").text
    assert "Catering for the reception" in shown and "Interpretation for the Forum" not in shown
    assert 'href="/procurement/plan/export/csv?cpv_prefix=5552&amp;sort=title"' in shown
    exported = pavel.get("/procurement/plan/export/csv?cpv_prefix=5552&sort=title")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Title", "CPV code"] and [row[0] for row in rows[1:]] == ["Catering for the reception"]
    pavel.submit("/", "/language", {"language": "bg", "next": "/"})
    try:
        headers = pavel.get("/procurement/plan/export/csv").content.decode("utf-8-sig").splitlines()[0]
        assert "Title" not in headers
    finally:
        pavel.submit("/", "/language", {"language": "en", "next": "/"})


def test_people_without_the_procurement_role_see_neither_the_link_nor_the_pages(console):
    olga = Person(console.url(""))
    olga.sign_in("olga", ["protocol"])
    assert "/procurement/plan" not in olga.get("/").text
    assert olga.get("/procurement/tenders").status_code == 403


def test_a_procurement_day_from_the_plan_line_to_the_signed_contract(suite, console, pavel):
    database = suite.database_urls["contracts"]
    line = a_plan_line(pavel)
    assert pavel.send(f"/procurement/plan/{line}", "approve", {}).status_code == 302
    soon = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    later = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    tender = record_id(pavel.send(f"/procurement/plan/{line}", "tender", {
        "title": "Interpretation for the Forum", "main_procurement_category": "services",
        "award_criteria": "priceOnly", "amount": "40000.00", "currency": "EUR", "minimum_step": "100",
        "enquiry_ends_at": soon, "submission_deadline": later}))
    page = f"/procurement/tenders/{tender}"
    assert pavel.send(page, "publish", {}).status_code == 302
    for name, number in (("Lingua Sofia EOOD", "131468980"), ("Interpretes Lyon SARL", "552100554")):
        registered = pavel.send(page, "supplier", {"legal_name": name, "country": "BG", "scheme": "BG-EIK",
                                                   "identifier": number})
        assert registered.status_code == 302, re.findall(r'role="alert">([^<]+)', registered.text)
    suppliers = re.findall(r'<option value="([0-9a-f-]{36})"', pavel.get(page).text)[:2]
    assert pavel.send(page, "ask", {"question": "Is remote interpretation allowed?"}).status_code == 302
    enquiry = re.search(r'id="answer-([0-9a-f-]{36})"', pavel.get(page).text).group(1)
    assert pavel.send(page, f"answer-{enquiry}", {"answer": "No, on site only."}).status_code == 302
    for supplier, amount in zip(suppliers, ("39000.00", "38500.00"), strict=True):
        recorded = pavel.send(page, "bid", {"supplier_id": supplier, "amount": amount, "currency": "EUR"})
        assert recorded.status_code == 302
    shown = pavel.get(page).text
    bids_shown = re.sub(r"<[^>]+>", "", shown.split('id="h-bids"')[1].split("</table>")[0])
    assert "No, on site only." in shown and shown.count("sealed until the deadline") == 2 and "38" not in bids_shown

    pass_the_deadline(database, tender)
    starts = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    auction = record_id(pavel.send(page, "auction", {"starts_at": starts, "rounds": "1", "round_seconds": "600"}))
    auction_page = f"/procurement/auctions/{auction}"
    eventually(lambda: 'id="bid"' in pavel.get(auction_page).text, timeout=10, interval=0.2,
               message="the auction's first round to open")
    with httpx.Client(base_url=console.url(""), cookies=pavel.client.cookies, timeout=15) as browser, \
            browser.stream("GET", f"{auction_page}/live") as live:
        lines = live.iter_lines()
        assert next(line for line in lines if line.startswith("data:"))  # the standing when the page opened
        assert pavel.send(auction_page, "bid", {"supplier_id": suppliers[0], "amount": "38000.00",
                                                        "currency": "EUR"}
                          ).status_code == 302
        assert any("38,000.00" in line for line in _until_new_standing(lines))
    assert pavel.send(auction_page, "bid", {"supplier_id": suppliers[1], "amount": "39900.00",
                                                        "currency": "EUR"}).status_code == 422

    end_the_auction(database, auction, rounds=1, round_seconds=600)
    assert pavel.send(auction_page, "finish", {}).status_code == 302
    award = record_id(pavel.send(page, "evaluate", {"standstill_days": "10"}))
    award_page = f"/procurement/awards/{award}"
    assert "days" in pavel.get(award_page).text  # the standstill counted down
    early = pavel.send(award_page, "activate", {})
    assert early.status_code == 422 and 'class="problem"' in early.text
    wait_out_the_standstill(database, award)
    assert pavel.send(award_page, "activate", {}).status_code == 302
    contract = record_id(pavel.send(award_page, "contract", {
        "title": "Interpretation for the Forum", "period_start": "2027-04-01", "period_end": "2027-06-30",
        "buyer_signatory": "Mayor of the city", "supplier_signatory": "Director"}))
    contract_page = f"/procurement/contracts/{contract}"
    for party in ("buyer", "supplier"):
        assert pavel.send(contract_page, "sign", {"party": party, "signed_on": "2027-03-20"}).status_code == 302
    assert pavel.send(contract_page, "milestone", {"title": "Interpretation delivered", "type": "delivery",
                                                   "due_on": "2027-05-20", "amount": ""}).status_code == 302
    assert pavel.send(contract_page, "payment", {"amount": "10000.00", "currency": "EUR", "paid_on": "2027-05-25",
                                                 "reference": "PO-2027-0042"}).status_code == 302
    signed = suite.call("GET", "contracts", f"/api/v1/contracts/{contract}").body
    assert signed["status"] == "active" and signed["value"]["amount"] == "38000.00"
    assert "PO-2027-0042" in pavel.get(contract_page).text
    package = pavel.get(f"/procurement/tenders/{tender}/ocds")
    assert "attachment" in package.headers["content-disposition"] and package.json()["releases"]


def _until_new_standing(lines):
    """The data lines of the next standing event."""
    for line in lines:
        if line.startswith("event: standing"):
            break
    for line in lines:
        if not line:
            return
        yield line


def test_agreements_and_commitments_are_drafted_and_an_overdue_commitment_is_highlighted(suite, pavel):
    agreement = record_id(pavel.submit("/procurement/agreements", "/procurement/agreements/new", {
        "title": "Twinning with Lyon", "kind": "twinning", "partner_name": "City of Lyon", "partner_kind": "city",
        "country": "FR",
        "areas": "culture, youth", "valid_from": "2027-04-01", "valid_until": "2031-03-31",
        "activities": "2027-09-15; Culture Directorate; Festival of young musicians"}))
    assert "Festival of young musicians" in pavel.get(f"/procurement/agreements/{agreement}").text
    overdue = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    record_id(pavel.submit("/procurement/commitments", "/procurement/commitments/new", {
        "obligation": "Road access to the industrial park", "counterparty_name": "Aurubis AG",
        "counterparty_kind": "investor", "country": "DE", "responsible_body": "Economic Development",
        "due_on": overdue, "amount": ""}))
    listed = pavel.get("/procurement/commitments?overdue=true").text
    assert 'class="overdue"' in listed and "Road access to the industrial park" in listed
