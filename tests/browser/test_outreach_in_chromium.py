"""The outreach officer's day at the console in Chromium (issue 16's "Done means"): a survey's results uploaded as
a CSV file with one bad row, refused with the row and the field named beside it, fixed and uploaded again, and the
summary chart shown; a partner's contact revealed by a deliberate click, the reveal recorded in outreach's audit.
axe-core runs on every page opened; with CHANCERY_GUIDE_SCREENSHOTS=1 the steps are kept for docs/guide/."""

from __future__ import annotations

import os
import re
import sqlite3

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import check, go
from tests.browser.test_console_in_chromium import fill, open_section
from tests.support.processes import REPO

pytestmark = pytest.mark.integration
GUIDE = REPO / "docs" / "guide" / "img"
# The plan's year, one no other browser module's records fall in: their visits of 2027 feed outreach's plan with
# items of their own, and the chart's bars would count them (the package's services are shared).
PLAN_YEAR = 2029
BAD_CSV = "respondent_id,knows_twin,importance\nr-001,yes,4\nr-002,perhaps,3\nr-003,no,2\n"


def picture(page: Page, name: str) -> None:
    """A step of the guide (docs/guide/outreach.md), taken only when asked for."""
    if os.environ.get("CHANCERY_GUIDE_SCREENSHOTS") == "1":
        GUIDE.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE / f"outreach-{name}.png"), full_page=True)


def create(page: Page, register: str, values: dict[str, str]) -> str:
    go(page, f"/outreach/{register}/new")
    fill(page, "#new", values)
    page.click("#new button[type=submit]")
    page.wait_for_url(re.compile(rf"/outreach/{register}/[0-9a-f-]{{36}}$"))
    check(page)
    return page.url


def add(page: Page, child: str, values: dict[str, str]) -> None:
    open_section(page, f"#add-{child}")
    fill(page, f"#add-{child}", values)
    page.click(f"#add-{child} button[type=submit]")
    page.wait_for_url(re.compile(rf"#{child}$"))
    check(page)


def upload(page: Page, text: str) -> None:
    page.set_input_files("#upload [name=results]", files=[{"name": "answers.csv", "mimeType": "text/csv",
                                                            "buffer": text.encode()}])
    page.click("#upload button[type=submit]")
    page.wait_for_load_state("load")
    check(page)


def test_the_outreach_officer_uploads_a_survey_file_fixes_its_bad_row_and_sees_the_summary_chart(browse):
    oksana = browse("oksana")
    go(oksana, "/")
    oksana.click("nav >> text=Outreach")
    oksana.click("nav[aria-label=Outreach] >> text=Surveys")
    check(oksana)
    create(oksana, "surveys", {"title": "How residents see the twin towns", "commissioned_from": "Alpha Research",
                               "fieldwork_from": "2027-02-01", "fieldwork_until": "2027-02-14"})
    add(oksana, "questions", {"code": "knows_twin", "text": "Do you know that Sofia is our twin city?",
                              "kind": "single_choice", "options": "yes, no, not sure"})
    add(oksana, "questions", {"code": "importance", "text": "How important are ties with twin cities?",
                              "kind": "scale", "scale_min": "1", "scale_max": "5"})

    upload(oksana, BAD_CSV)
    expect(oksana.locator("#bad-rows #row-3")).to_contain_text("Row 3, knows_twin:")
    expect(oksana.locator("#bad-rows #row-3 td.bad")).to_have_text("perhaps")
    expect(oksana.locator("#bad-rows tr.invalid")).to_have_count(1)
    expect(oksana.locator("#summary")).to_contain_text("0 respondents.")
    picture(oksana, "survey-refused")

    upload(oksana, BAD_CSV.replace("perhaps", "not sure"))
    expect(oksana.locator("#results")).to_contain_text("3 answers imported.")
    expect(oksana.locator("#summary-chart-1 svg rect")).to_have_count(3)
    expect(oksana.locator("#summary-chart-1 figcaption")).to_have_text("Do you know that Sofia is our twin city?")
    picture(oksana, "survey-summary")


def test_a_contact_is_revealed_by_a_click_and_the_reveal_is_in_outreachs_audit(browse, suite):
    oksana = browse("oksana")
    partner = create(oksana, "partners", {"kind": "capital", "name": "Sofia", "country": "BG",
                                          "names": "bg: София"})
    add(oksana, "contacts", {"name": "Maria Petrova", "email": "m.petrova@sofia.example",
                             "phone": "+359 2 000 0000"})
    row = oksana.locator("#contacts tbody tr", has_text="Maria Petrova")
    expect(row).not_to_contain_text("m.petrova@sofia.example")
    go(oksana, "/outreach/partners?q=софия")
    # other modules of the package, sharing its services, add a Sofia of their own: open this one
    oksana.click(f"#register-rows a[href$='{partner.rsplit('/', 1)[1]}']")
    check(oksana)
    picture(oksana, "partner")
    row.locator("form[id^=reveal-] button").click()
    oksana.wait_for_load_state("load")
    check(oksana)
    expect(row).to_contain_text("m.petrova@sofia.example")
    expect(row).to_contain_text("+359 2 000 0000")
    contact_id = row.get_attribute("id").removeprefix("contacts-")
    database = suite.direct_database_urls["outreach"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        recorded = connection.execute("SELECT actor, action FROM audit_records WHERE record_id = ?",
                                      (contact_id,)).fetchall()
    assert ("oksana", "personal-data.read") in recorded


def test_the_plan_goes_to_the_mayors_office_for_approval_and_its_charts_and_analytics_pass_axe(browse):
    oksana = browse("oksana")
    go(oksana, f"/outreach/plan?year={PLAN_YEAR}")
    open_section(oksana, "#add")
    fill(oksana, "#add", {"activity": "Days of Sofia culture", "responsible_body": "Department of Culture",
                          "due_on": f"{PLAN_YEAR}-05-27"})
    oksana.click("#add button[type=submit]")
    oksana.wait_for_url(re.compile(r"#items$"))
    check(oksana)
    expect(oksana.locator("#plan-chart-1 svg rect")).to_have_count(1)
    oksana.click("#plan-chart-1 summary")
    expect(oksana.locator("#plan-chart-1 table")).to_contain_text("Department of Culture")
    check(oksana)
    oksana.click("#submit button[type=submit]")
    oksana.wait_for_url(re.compile(r"#versions$"))
    check(oksana)
    picture(oksana, "plan")

    maria = browse("maria")
    go(maria, f"/outreach/plan?year={PLAN_YEAR}")
    maria.locator("#versions form[id^=approve-] button").click()
    maria.wait_for_url(re.compile(r"#versions$"))
    check(maria)
    expect(maria.locator("#monitoring")).to_contain_text("Version 1 is approved.")
    go(maria, f"/outreach/analytics?year={PLAN_YEAR}")
    expect(maria.locator("#annual-report a[lang=bg]")).to_have_attribute("href",
                                                                        f"/outreach/annual-report/{PLAN_YEAR}/bg")
