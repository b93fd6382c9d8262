"""A twinning agreement's way to signature at the console in Chromium (issue 18, decisions 0135 and 0160), each step
taken by the role whose it is, signed in through the real OpenID provider: outreach registers the partner city,
procurement drafts the agreement and submits it, the mayor's office approves it, procurement records the foreign
ministry's clearance and signs it, and outreach finds the twin-city relationship on the partner's page. axe-core runs
on every page opened; with CHANCERY_GUIDE_SCREENSHOTS=1 the steps are kept for docs/guide/."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import check, go, guide_shot
from tests.browser.test_console_in_chromium import fill
from tests.browser.test_outreach_in_chromium import create

pytestmark = pytest.mark.integration


def shown(page: Page, name: str) -> None:
    """Checked with axe-core; saved for docs/guide/agreements.md when asked to."""
    check(page)
    guide_shot(page, f"agreements-{name}")


def send(page: Page, form: str) -> None:
    """Click a form's button and wait for the page the console answers with."""
    with page.expect_navigation(timeout=60_000):
        page.click(f"{form} button[type=submit]")
    check(page)


def test_a_twinning_agreement_is_drafted_approved_cleared_and_signed_and_becomes_the_twin_city(browse):
    oksana = browse("oksana")
    partner = create(oksana, "partners", {"kind": "city", "name": "Lyon", "country": "FR"})

    pavel = browse("pavel")
    go(pavel, "/")
    pavel.click("nav >> text=Contracts")
    pavel.click("nav[aria-label='Procurement registers'] >> text=Cooperation agreements")
    fill(pavel, "#new-record", {
        "title": "Twinning and cooperation between Sofia and Lyon", "kind": "twinning", "partner_name": "City of Lyon",
        "partner_id": partner.rsplit("/", 1)[-1], "country": "FR", "areas": "culture, youth exchanges",
        "valid_from": "2027-04-01", "valid_until": "2031-03-31",
        "activities": "2027-09-15; Culture Directorate; Joint festival of young musicians"})
    pavel.locator("#new-record").scroll_into_view_if_needed()
    shown(pavel, "draft")
    send(pavel, "#new-record")
    expect(pavel.locator("#kind")).to_have_text("twinning")
    expect(pavel.locator("#sign")).to_have_count(0)  # nothing is signed before the chain
    send(pavel, "#submit")
    expect(pavel.locator("#status")).to_have_text("submitted")
    expect(pavel.locator("#approve")).to_have_count(0)  # the mayor's office approves
    agreement = pavel.url.split("#")[0]

    maria = browse("maria")
    go(maria, "/")
    maria.click("nav >> text=Agreements")
    maria.click("text=Twinning and cooperation between Sofia and Lyon")
    expect(maria.locator("#send-back [name=reason]")).to_be_visible()
    shown(maria, "approval")
    send(maria, "#approve")
    expect(maria.locator("#status")).to_have_text("approved")
    expect(maria.locator("#chain")).to_contain_text("Approved by the mayor's office")

    go(pavel, agreement)
    expect(pavel.locator("#sign")).to_have_count(0)  # a partner abroad: cleared first
    pavel.fill("#clear [name=reference]", "MFA 12-04/1187")
    pavel.locator("#clear").scroll_into_view_if_needed()
    shown(pavel, "clearance")
    send(pavel, "#clear")
    expect(pavel.locator("#status")).to_have_text("cleared with the foreign ministry")
    pavel.fill("#sign [name=signatories]", "Mayor of Sofia; Mayor of Lyon")
    send(pavel, "#sign")
    expect(pavel.locator("#status")).to_have_text("signed")
    expect(pavel.locator("#chain")).to_contain_text("reference MFA 12-04/1187")
    shown(pavel, "signed")

    go(oksana, agreement)
    oksana.click("#twin-city")
    relationships = oksana.locator("#relationships table")
    deadline = time.monotonic() + 30
    while "twin city" not in relationships.inner_text() and time.monotonic() < deadline:
        time.sleep(0.5)  # the signature reaches outreach as an event
        oksana.reload()
    expect(relationships).to_contain_text("twin city")
    expect(relationships).to_contain_text("Twinning and cooperation between Sofia and Lyon")
    check(oksana)
