"""The procurement officer's day at the console in Chromium (issue 16's "Done means"): a plan line (its CPV code
found by search) taken to a tender, two sealed bids recorded, the reverse auction run with its prices falling live
in an open page, the award made, its standstill waited out on the test clock (`tests/support/contracts_clock.py`)
and the contract signed by both sides. With CHANCERY_GUIDE_SCREENSHOTS=1 the pages are saved for
docs/guide/procurement.md."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import check, go
from tests.support.contracts_clock import (
    end_the_auction,
    pass_the_deadline,
    start_the_auction,
    wait_out_the_standstill,
)
from tests.support.processes import REPO

pytestmark = pytest.mark.integration
GUIDE = REPO / "docs" / "guide" / "img"


def shown(page: Page, name: str) -> None:
    """Checked with axe-core; saved for the guide when asked to."""
    check(page)
    if os.environ.get("CHANCERY_GUIDE_SCREENSHOTS") == "1":
        GUIDE.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE / f"procurement-{name}.png"), full_page=True)


def send(page: Page, button) -> None:
    """Click a form's button and wait for the page the console answers with (a loaded machine takes seconds)."""
    with page.expect_navigation(timeout=60_000):
        button.click()


def record_id(page: Page) -> str:
    return page.url.rsplit("/", 1)[-1].split("#")[0]


def minutes_from_now(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def test_the_procurement_officer_takes_a_plan_line_to_a_signed_contract_watching_the_auction_live(browse, suite):
    database = suite.direct_database_urls["contracts"]
    pavel = browse("pavel")
    go(pavel, "/")
    pavel.click("nav >> text=Contracts")
    form = pavel.locator("#new-record")
    form.locator("[name=title]").fill("Interpretation for the Forum of Twin Cities")
    form.locator("[name=amount]").fill("40000.00")
    form.locator("[name=cpv_code]").press_sequentially("interpretation")
    expect(pavel.locator("#cpv-codes option[value='79540000-1']")).to_have_count(1)
    form.locator("[name=cpv_code]").fill("79540000-1")
    form.locator("[name=procurement_method]").select_option("reverse_auction")
    form.locator("[name=planned_tender_on]").fill("2027-03-01")
    form.locator("[name=planned_delivery_by]").fill("2027-06-15")
    form.locator("[name=programme]").fill("Forum 2027")
    shown(pavel, "plan")
    send(pavel, form.locator("button[type=submit]"))
    expect(pavel.locator("h1")).to_have_text("Interpretation for the Forum of Twin Cities")
    send(pavel, pavel.locator("#approve button[type=submit]"))
    expect(pavel.locator("#status")).to_have_text("approved")

    tender_form = pavel.locator("#tender")
    tender_form.locator("[name=minimum_step]").fill("100")
    tender_form.locator("[name=enquiry_ends_at]").fill(minutes_from_now(60))
    tender_form.locator("[name=submission_deadline]").fill(minutes_from_now(120))
    shown(pavel, "plan-line")
    send(pavel, tender_form.locator("button[type=submit]"))
    expect(pavel.locator("#status")).to_have_text("in preparation")
    tender = record_id(pavel)
    send(pavel, pavel.locator("#publish button[type=submit]"))
    expect(pavel.locator("#status")).to_have_text("active")
    for name, number in (("Lingua Sofia EOOD", "131468980"), ("Interpretes Lyon SARL", "552100554")):
        supplier = pavel.locator("#supplier")
        if not supplier.is_visible():  # back at the form's anchor after a registration, Chromium opens it
            pavel.click("text=Register a supplier")
        supplier.locator("[name=legal_name]").fill(name)
        supplier.locator("[name=country]").fill("BG")
        supplier.locator("[name=scheme]").fill("BG-EIK")
        supplier.locator("[name=identifier]").fill(number)
        send(pavel, supplier.locator("button[type=submit]"))
        expect(pavel.locator("#bid [name=supplier_id]")).to_contain_text(name)
    for index, amount in ((0, "39000.00"), (1, "38500.00")):
        bid = pavel.locator("#bid")
        bid.locator("[name=supplier_id]").select_option(index=index)
        bid.locator("[name=amount]").fill(amount)
        send(pavel, bid.locator("button[type=submit]"))
        expect(pavel.locator("#bids tbody tr")).to_have_count(index + 1)
    expect(pavel.locator("#bids table")).to_contain_text("sealed until the deadline")
    shown(pavel, "tender")

    pass_the_deadline(database, tender)
    go(pavel, f"/procurement/tenders/{tender}")
    auction_form = pavel.locator("#auction")
    auction_form.locator("[name=starts_at]").fill(minutes_from_now(2))
    auction_form.locator("[name=rounds]").fill("1")
    auction_form.locator("[name=round_seconds]").fill("600")
    send(pavel, auction_form.locator("button[type=submit]"))
    auction = record_id(pavel)
    start_the_auction(database, auction)
    go(pavel, f"/procurement/auctions/{auction}")  # the page left open, watching
    expect(pavel.locator("#auction-phase")).to_have_text("running")

    clerk = browse("pavel")  # the same officer records the bidders' prices in another window
    for index, amount in ((0, "38000.00"), (1, "37500.00")):
        go(clerk, f"/procurement/auctions/{auction}")
        bid = clerk.locator("#bid")
        bid.locator("[name=supplier_id]").select_option(index=index)
        bid.locator("[name=amount]").fill(amount)
        send(clerk, bid.locator("button[type=submit]"))
        expect(pavel.locator("#auction-best")).to_contain_text(amount.replace("000.00", ",000.00").replace(
            "500.00", ",500.00"))
    expect(pavel.locator("#auction-bids tbody tr")).to_have_count(2)
    shown(pavel, "auction")

    end_the_auction(database, auction, rounds=1, round_seconds=600)
    go(pavel, f"/procurement/auctions/{auction}")
    send(pavel, pavel.locator("#finish button[type=submit]"))
    go(pavel, f"/procurement/tenders/{tender}")
    pavel.locator("#evaluate [name=standstill_days]").fill("10")
    send(pavel, pavel.locator("#evaluate button[type=submit]"))
    expect(pavel.locator("#standstill")).to_contain_text(re.compile(r"\d+ days"))
    shown(pavel, "award")
    award = record_id(pavel)
    wait_out_the_standstill(database, award)
    go(pavel, f"/procurement/awards/{award}")
    send(pavel, pavel.locator("#activate button[type=submit]"))
    expect(pavel.locator("#status")).to_have_text("active")
    contract_form = pavel.locator("#contract")
    contract_form.locator("[name=title]").fill("Interpretation for the Forum of Twin Cities")
    contract_form.locator("[name=period_start]").fill("2027-04-01")
    contract_form.locator("[name=period_end]").fill("2027-06-30")
    contract_form.locator("[name=buyer_signatory]").fill("Mayor of the city")
    contract_form.locator("[name=supplier_signatory]").fill("Director of Interpretes Lyon")
    send(pavel, contract_form.locator("button[type=submit]"))
    for party in ("buyer", "supplier"):
        pavel.locator("#sign [name=party]").select_option(party)
        send(pavel, pavel.locator("#sign button[type=submit]"))
    expect(pavel.locator("#status")).to_have_text("active")
    expect(pavel.locator("main")).to_contain_text("37,500.00")
    shown(pavel, "contract")
