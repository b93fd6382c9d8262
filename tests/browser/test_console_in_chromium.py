"""The office's people at the console in Chromium, signed in through a real OpenID provider, working on the real
services and broker: the scenarios of issue 15's "Done means", and issue 16's trips told to each approver."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import check, go, guide_shot
from tests.support.processes import eventually

pytestmark = pytest.mark.integration
VISIT = {"delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
         "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning anniversary",
         "host_official": "Deputy Mayor for Culture"}


def fill(page: Page, form: str, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = page.locator(f"{form} [name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def create_visit(page: Page) -> str:
    go(page, "/visits/new")
    fill(page, "#visit-form", VISIT)
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}$"))
    check(page)
    return page.url


def open_section(page: Page, form: str) -> None:
    page.locator(f"details:has({form}) > summary").click()


def test_a_visit_gets_a_delegation_and_a_programme_item_and_a_clash_is_refused_beside_its_field(browse):
    olga = browse("olga")
    create_visit(olga)
    expect(olga.locator("h1")).to_have_text(VISIT["delegation_name"])
    open_section(olga, "#member-form")
    fill(olga, "#member-form", {"role": "head", "name_original": "Grégoire Dubois", "name_latin": "Gregoire Dubois",
                                "title": "Mayor of Lyon", "country": "FR"})
    olga.click("#member-form button[type=submit]")
    expect(olga.locator("#delegation tbody")).to_contain_text("Grégoire Dubois")
    item = {"kind": "meeting", "title": "Talks on urban transport", "starts_at": "2027-03-10T10:00",
            "ends_at": "2027-03-10T11:30", "time_zone": "Europe/Sofia", "venue": "City Hall, Hall 1"}
    open_section(olga, "#item-form")
    fill(olga, "#item-form", item)
    olga.click("#item-form button[type=submit]")
    expect(olga.locator("#programme tbody")).to_contain_text("Talks on urban transport")
    check(olga)
    guide_shot(olga, "visit")
    open_section(olga, "#item-form")
    fill(olga, "#item-form", {**item, "title": "Press briefing", "starts_at": "2027-03-10T11:00",
                              "ends_at": "2027-03-10T12:00"})
    olga.click("#item-form button[type=submit]")
    clash = olga.locator("#e-item-starts_at")
    expect(clash).to_contain_text("Talks on urban transport")
    expect(olga.locator("#f-item-starts_at")).to_have_attribute("aria-invalid", "true")
    expect(olga.locator("#f-item-title")).to_have_value("Press briefing")  # what was typed is kept
    check(olga)
    olga.locator("#f-item-starts_at").scroll_into_view_if_needed()
    guide_shot(olga, "visit-clash")


def test_a_confirmed_visit_reaches_another_persons_badge_and_inbox_without_a_reload(browse):
    ivan = browse("ivan")
    go(ivan, "/inbox/subscriptions")
    fill(ivan, "#subscribe-form", {"pattern": "chancery.visits.visit.confirmed.v1"})
    ivan.click("#subscribe-form button[type=submit]")
    expect(ivan.locator("#h-subs + ul, #h-subs ~ ul").first).to_contain_text("chancery.visits.visit.confirmed.v1")
    go(ivan, "/inbox")
    expect(ivan.locator("#unread-badge")).to_have_attribute("data-count", "0")

    olga = browse("olga")
    create_visit(olga)
    olga.click("button[value=confirm]")
    expect(olga.locator("#visit-status")).to_have_text("confirmed")

    expect(ivan.locator("#unread-badge")).to_have_text("1", timeout=30_000)
    expect(ivan.locator("#inbox-list li.unread").first).to_contain_text("Lyon", timeout=5_000)


def test_an_invitation_triaged_to_acceptance_abroad_leads_to_the_trip_drafted_for_it(browse):
    maria = browse("maria")
    go(maria, "/invitations/new")
    fill(maria, "#invitation-form", {"title": "Summit of European Capitals", "inviting_party": "Mayor of Vienna",
                                     "country": "AT", "city": "Vienna", "location": "abroad",
                                     "starts_on": "2027-06-14", "ends_on": "2027-06-15",
                                     "received_on": "2027-04-02"})
    maria.click("#invitation-form button[type=submit]")
    maria.wait_for_url(re.compile(r"/invitations/[0-9a-f-]{36}$"))
    check(maria)
    maria.click("#review-form button[type=submit]")
    expect(maria.locator("#invitation-status")).to_have_text("under review")
    guide_shot(maria, "invitation-triage")
    fill(maria, "#assign-form", {"assignee": "Mayor", "assignee_kind": "official", "deadline": "2027-04-20"})
    maria.click("#assign-form button[type=submit]")
    expect(maria.locator("#invitation-status")).to_have_text("assigned")
    maria.click("#accept-form button[type=submit]")
    expect(maria.locator("#invitation-status")).to_have_text("accepted")
    for _ in range(60):
        if maria.locator("#drafted-trip").count():
            break
        maria.wait_for_timeout(500)
        maria.reload()
    maria.click("#drafted-trip")
    expect(maria.locator("h1")).to_contain_text("Summit of European Capitals")
    check(maria)


def test_the_person_switches_to_bulgarian_and_then_russian_and_every_page_follows(browse):
    olga = browse("olga")
    go(olga, "/")
    olga.select_option("#language", "bg")
    olga.click("form.language button")
    expect(olga.locator("h1")).to_have_text("Моето бюро")
    expect(olga.locator("html")).to_have_attribute("lang", "bg")
    check(olga)
    go(olga, "/visits")
    expect(olga.locator("h1")).to_have_text("Посещения")
    olga.select_option("#language", "ru")
    olga.click("form.language button")
    expect(olga.locator("h1")).to_have_text("Визиты")
    check(olga)


def test_every_page_passes_axe_and_runs_its_scripts_under_the_policy(browse):
    olga = browse("olga")
    for path in ("/", "/visits", "/visits/new", "/invitations", "/invitations/new", "/inbox",
                 "/inbox/subscriptions", "/interpreters", "/protocol/rank-table"):
        go(olga, path)


def test_after_sign_out_the_old_session_cookie_is_refused(browse, chromium, console):
    olga = browse("olga")
    go(olga, "/")
    cookie = next(c for c in olga.context.cookies() if c["name"] == "chancery_console")
    olga.click("#sign-out")
    olga.locator("button[autofocus], button[name=logout]").first.click()  # the provider asks to confirm
    olga.wait_for_url(re.compile(r"/signed-out$"))
    check(olga)
    replay = chromium.new_context(base_url=console.url(""))
    try:
        replay.add_cookies([cookie])
        page = replay.new_page()
        page.goto("/")
        assert not page.url.startswith(console.url("/")) or "/sign-in" in page.url
        assert page.locator("input[name=login]").count() == 1  # back at the provider's sign-in
    finally:
        replay.close()


def test_a_visa_letter_is_requested_approved_by_the_mayors_office_issued_and_opened_and_each_part_passes_axe(browse):
    olga = browse("olga")
    visit = urlsplit(create_visit(olga)).path
    open_section(olga, "#member-form")
    fill(olga, "#member-form", {"role": "head", "name_original": "Chen Lixin", "name_latin": "Chen Lixin",
                                "country": "CN"})
    olga.click("#member-form button[type=submit]")
    for part in ("protocol", "checklist", "gifts", "interpreters", "meetings"):
        go(olga, f"{visit}/{part}")
    open_section(olga, "#plan")
    fill(olga, "#plan", {"title": "The Deputy Mayor receives the delegation"})
    olga.click("#plan button[type=submit]")
    open_section(olga, "#function")
    fill(olga, "#function", {"title": "Press conference", "venue": "City Hall, Press room"})
    olga.click("#function button[type=submit]")
    for register in ("/minutes", "/press"):  # a meeting's minutes and a function's press accreditations
        go(olga, f"{visit}/meetings")
        go(olga, olga.locator(f"a[href$='{register}']").first.get_attribute("href"))
    go(olga, f"{visit}/protocol")
    open_section(olga, "#seating")
    check(olga)  # the seating form open: a row per host, the guests ticked
    fill(olga, "#seating", {"title": "Official lunch", "host_name_1": "Mayor of Sofia", "host_rank_1": "mayor"})
    olga.locator("#f-seating-host_name_1").press("Enter")  # sent from the keyboard
    expect(olga.locator("table.seating")).to_contain_text("Chen Lixin")
    expect(olga.locator("table.seating tr.principal").first).to_contain_text("Mayor")
    go(olga, f"{visit}/visa-letters")
    open_section(olga, "#draft")
    fill(olga, "#draft", {"language": "en", "consulate": "Embassy of Bulgaria in Beijing",
                          "passport_number": "EA7215934", "date_of_birth": "1971-08-23",
                          "place_of_birth": "Hangzhou"})
    olga.click("#draft button[type=submit]")
    letter = olga.locator("tr[id^=letter-]")
    expect(letter).to_contain_text("•••••••34")
    expect(letter).not_to_contain_text("EA7215934")
    olga.click("form[id^=submit-] button[type=submit]")
    expect(olga.locator(".letter-status")).to_contain_text("in review")
    check(olga)
    letter_id = letter.get_attribute("id").removeprefix("letter-")
    maria = browse("maria")
    go(maria, "/")
    maria.click(f"a[href$='#letter-{letter_id}']")
    maria.click(f"#approve-{letter_id} button[type=submit]")
    expect(maria.locator(".letter-status")).to_contain_text("approved")
    olga.reload()
    olga.click(f"#issue-{letter_id} button[type=submit]")
    expect(olga.locator(".letter-status")).to_contain_text(re.compile(r"issued · VL-\d{4}-\d{5}"))
    pdf = olga.context.request.get(olga.locator("a.letter-pdf").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    go(olga, "/visits/calendar?on=2027-03-01")
    expect(olga.locator("table.calendar")).to_contain_text(VISIT["delegation_name"])
    guide_shot(olga, "visits-calendar")
    go(olga, "/waiting/checklist-due")
    go(olga, "/")
    guide_shot(olga, "desk")


def record_papers(page: Page, trip: str) -> None:
    """Each traveller's passport, visa (not needed), insurance and travel order, on the trip's documents page."""
    go(page, f"{trip}/documents")
    travellers = page.locator("form[id^=passport-]").evaluate_all("forms => forms.map(f => f.id.slice(9))")
    for traveller in travellers:
        papers = [(f"#passport-{traveller}", {"number": "AB1234567", "expires_on": "2031-01-01"})] + [
            (f"#record-{traveller}", {"kind": kind, "status": status, "valid_until": "2028-12-31"})
            for kind, status in (("visa", "not_required"), ("insurance", "obtained"), ("travel_order", "obtained"))]
        for form, values in papers:
            # Chromium opens the <details> holding the fragment the last form's answer pointed at (#record-…).
            if not page.locator(f"details:has({form})").evaluate("details => details.open"):
                open_section(page, form)
            fill(page, form, values)
            with page.expect_navigation():
                page.click(f"{form} button[type=submit]")
    expect(page.locator("#readiness")).to_have_text("Every traveller's documents are in order.")
    check(page)


def told_in_inbox(page: Page, title: str) -> None:
    eventually(lambda: page.goto("/inbox") and title in page.locator("main").inner_text(), timeout=30,
               message=f"{title!r} in the inbox")


def test_a_staff_members_trip_is_approved_by_the_department_head_and_then_by_the_mayors_office(browse):
    tanya = browse("tanya")
    go(tanya, "/trips/new")
    fill(tanya, "#trip-form", {
        "title": "Investment forum in Thessaloniki", "purpose": "Present the city's industrial zone",
        "department": "Economic Development Department", "starts_on": "2027-10-05", "ends_on": "2027-10-08",
        "funding": "city", "country": "GR", "city": "Thessaloniki", "full_name": "Tanya Ilieva",
        "job_title": "Chief specialist", "category": "staff"})
    guide_shot(tanya, "trip-new")
    tanya.click("#trip-form button[type=submit]")
    tanya.wait_for_url(re.compile(r"/trips/[0-9a-f-]{36}$"))
    trip = urlsplit(tanya.url).path
    open_section(tanya, "#add-travellers")
    fill(tanya, "#add-travellers", {"full_name": "Elena Petrova", "job_title": "Deputy Mayor",
                                    "category": "deputy_mayor", "department": "Office of the Mayor"})
    tanya.click("#add-travellers button[type=submit]")
    expect(tanya.locator("#travellers tbody")).to_contain_text("Elena Petrova")
    tanya.click("#watch button[type=submit]")
    check(tanya)
    record_papers(tanya, trip)
    # Signed in before the request is submitted: notifications knows them from their sign-in (decision 0126).
    hristo, maria = browse("hristo"), browse("maria")
    go(tanya, trip)
    guide_shot(tanya, "trip-draft")
    tanya.click("#lifecycle-submit button[type=submit]")
    expect(tanya.locator("#trip-awaiting")).to_contain_text("head of a department")

    told_in_inbox(hristo, "Trip request submitted: Investment forum in Thessaloniki")
    go(hristo, "/trips?view=waiting")
    hristo.click("text=Investment forum in Thessaloniki")
    expect(hristo.locator("form[id^=lifecycle-]")).to_have_count(2)  # approve and send back: what the API allows
    check(hristo)
    hristo.locator("#decisions").scroll_into_view_if_needed()
    guide_shot(hristo, "trip-decision")
    hristo.click("#lifecycle-approve button[type=submit]")
    expect(hristo.locator("#trip-awaiting")).to_contain_text("the mayor's office")

    told_in_inbox(maria, "Trip request approved at one step: Investment forum in Thessaloniki")
    go(maria, "/trips?view=waiting")
    check(maria)
    maria.click("text=Investment forum in Thessaloniki")
    maria.click("#lifecycle-approve button[type=submit]")
    expect(maria.locator("#trip-status")).to_have_text("approved")
    # The organiser watching the trip is told in her inbox.
    told_in_inbox(tanya, "Trip request approved: Investment forum in Thessaloniki")
    check(tanya)
    go(tanya, trip)
    expect(tanya.locator("#decisions .history")).to_contain_text("hristo")

    # The deputy mayor's calendar: a visit she hosts and her trip, in the same week.
    go(maria, "/visits/new")
    fill(maria, "#visit-form", {**VISIT, "delegation_name": "Delegation of Thessaloniki", "country": "GR",
                                "city": "Thessaloniki", "starts_on": "2027-10-04", "ends_on": "2027-10-04",
                                "host_official": "Elena Petrova"})
    maria.click("#visit-form button[type=submit]")
    maria.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}$"))
    go(maria, "/officials/calendar?view=week&on=2027-10-04")
    maria.fill("#official", "Elena Petrova")
    with maria.expect_navigation():
        maria.click("form.filters button[type=submit]")
    check(maria)
    expect(maria.locator("table.calendar.week")).to_contain_text("Delegation of Thessaloniki")
    expect(maria.locator("table.calendar.week")).to_contain_text("Investment forum in Thessaloniki")
    with maria.expect_navigation():
        maria.click("#feed-links button[type=submit]")
    expect(maria.locator(".feed-links a")).to_have_count(2)
    check(maria)
    guide_shot(maria, "official-calendar")
