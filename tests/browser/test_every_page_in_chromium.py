"""axe-core over every page of the console, not only the flows' (issue 16's "Done means"): each GET route of the
URL map opened over seed-like records by someone whose roles may see it, with no serious or critical violation
and no Content-Security-Policy violation (`tests/console/every_page.py` says which routes are not pages). The
services here take only the provider's tokens, so the records are made through the console's own forms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.pages import go
from tests.console.every_page import OFFICIAL, every_address

pytestmark = pytest.mark.integration
MOMENT = {"starts_at": "2027-06-08T10:00", "ends_at": "2027-06-08T11:00", "time_zone": "Europe/Sofia"}


def seed_through_the_console(page: Page) -> dict[str, str]:
    go(page, "/")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")

    def sent(path: str, form: dict[str, str]) -> str:
        answer = page.context.request.post(path, form={**form, "csrf_token": token}, max_redirects=0)
        assert answer.status == 302, (path, answer.status, answer.text()[:2000])
        return answer.headers["location"]

    visit = sent("/visits/new", {"delegation_name": "Delegation of Plovdiv", "country": "BG", "city": "Plovdiv",
                                 "starts_on": "2027-06-07", "ends_on": "2027-06-09", "purpose": "Talks on culture",
                                 "host_official": OFFICIAL}).rsplit("/", 1)[-1]
    sent(f"/visits/{visit}/meetings/plan", {"title": "Talks with the Deputy Mayor", "official": OFFICIAL,
                                            "guests": "Mayor of Plovdiv", "country": "BG", **MOMENT,
                                            "venue": "City Hall"})
    sent(f"/visits/{visit}/meetings/function", {"kind": "reception", "title": "Reception for Plovdiv", **MOMENT,
                                                "starts_at": "2027-06-08T18:00", "ends_at": "2027-06-08T20:00",
                                                "venue": "City Hall, Ceremonial Hall"})
    meetings = page.context.request.get(f"/visits/{visit}/meetings").text()
    invitation = sent("/invitations/new", {
        "title": "Summit on Urban Mobility", "inviting_party": "Mayor of Vienna", "country": "AT", "city": "Vienna",
        "location": "abroad", "starts_on": "2027-06-14", "ends_on": "2027-06-15", "received_on": "2027-04-02",
        "summary": "A panel on the first day."})
    trip = sent("/trips/new", {
        "title": "Culture forum in Vienna", "purpose": "Present the festival", "department": "Culture Department",
        "starts_on": "2027-06-10", "ends_on": "2027-06-12", "funding": "city", "country": "AT", "city": "Vienna",
        "full_name": OFFICIAL, "job_title": "Deputy Mayor", "category": "deputy_mayor", "host": "",
        "international_function": ""})
    agreement = sent("/procurement/agreements/new", {
        "title": "Twinning with Lyon", "kind": "twinning", "partner_name": "City of Lyon", "partner_kind": "city",
        "country": "FR", "valid_from": "2027-04-01", "valid_until": "2031-03-31",
        "activities": "2027-09-15; Culture Directorate; Festival of young musicians"})
    commitment = sent("/procurement/commitments/new", {
        "obligation": "Road access to the industrial park", "counterparty_name": "Aurubis AG",
        "counterparty_kind": "investor", "country": "DE", "responsible_body": "Economic Development",
        "due_on": "2027-06-30"})
    outreach = {name: path.rsplit("/", 1)[-1] for name, path in seed_outreach(sent, page).items()}
    return {"visit_id": visit, "trip_id": trip.rsplit("/", 1)[-1], **outreach,
            "agreement_id": agreement.rsplit("/", 1)[-1], "commitment_id": commitment.rsplit("/", 1)[-1],
            "invitation_id": invitation.rsplit("/", 1)[-1],
            "meeting_id": re.search(r"/meetings/([0-9a-f-]{36})/minutes", meetings).group(1),
            "function_id": re.search(r"/functions/([0-9a-f-]{36})/press", meetings).group(1)}


def seed_outreach(sent, page: Page) -> dict[str, str]:
    """A partner with a relationship and a contact; a campaign with a draft material (its change form) and one in
    review (its texts to read); a programme with an event; an organisation with the city's membership."""
    partner = sent("/outreach/partners/new", {"kind": "capital", "name": "Sofia", "country": "BG",
                                              "names": "bg: София"})
    sent(f"{partner}/relationships/add", {"type": "twin_city", "established_on": "1967-05-24"})
    sent(f"{partner}/contacts/add", {"name": "Maria Petrova", "email": "m.petrova@sofia.example"})
    campaign = sent("/outreach/campaigns/new", {"title": "Sixty years with Sofia", "goals": "Make it known",
                                                "starts_on": "2027-04-01", "ends_on": "2027-06-30"})
    texts = {f"{part}_{code}": f"{part} {code}" for part in ("title", "body") for code in ("en", "ru", "bg")}
    sent(f"{campaign}/materials/add", {"kind": "printed", "title_en": "Leaflet", "body_en": "Sixty years"})
    sent(f"{campaign}/materials/add", {"kind": "press_release", **texts})
    in_review = re.search(r'<tr id="materials-([0-9a-f-]{36})">(?:(?!</tr>).)*?<td>title en</td>',
                          page.context.request.get(campaign).text(), re.S).group(1)
    sent(f"{campaign}/materials/{in_review}/submit", {"version": "1"})
    programme = sent("/outreach/compatriot-programmes/new", {"title": "Summer school", "year": "2027"})
    sent(f"{programme}/events", {"title": "Opening", "held_on": "2027-07-01", "place": "City hall", "version": "1"})
    organisation = sent("/outreach/organisations/new", {"kind": "network", "name": "Eurocities"})
    sent(f"{organisation}/memberships/add", {"member_since": "2004-06-01"})
    return {"partner_id": partner, "campaign_id": campaign, "programme_id": programme,
            "organisation_id": organisation}


def test_every_page_of_the_console_passes_axe_with_seed_like_records(browse):
    lena = browse("lena")
    for path in every_address(seed_through_the_console(lena)):
        go(lena, path)
        assert lena.locator("main").count() == 1, path
