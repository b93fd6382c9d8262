"""Outreach at the console, on the real outreach service: partners found by a name in any script, a contact's
e-mail and phone masked until a deliberate click reveals them (audited by the API) and masked for the mayor's
office whatever it clicks; a register's record created, changed over a newer version, listed and exported; a
survey's CSV refused with each bad row's problem beside it and, fixed, summarised as a chart; the plan submitted,
approved by the mayor's office and drawn as charts with their tables."""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from openpyxl import load_workbook

from tests.console.people import Person
from tests.support.broker import publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
SOFIA = {"kind": "capital", "name": "Sofia", "country": "BG", "region": "", "website": "", "notes": "",
         "names": "bg: София\nru: София"}
QUESTIONS = ({"code": "knows_twin", "text": "Do you know that Sofia is our twin city?", "kind": "single_choice",
              "options": "yes, no, not sure"},
             {"code": "importance", "text": "How important are ties with twin cities?", "kind": "scale",
              "scale_min": "1", "scale_max": "5"})
BAD_CSV = "respondent_id,knows_twin,importance\nr-001,yes,4\nr-002,perhaps,3\nr-003,no,2\n"
GOOD_CSV = BAD_CSV.replace("perhaps", "not sure")


@pytest.fixture(scope="module")
def suite(tmp_path_factory):  # outreach alone; the console in front of it is conftest's
    with Suite(("outreach",), tmp_path_factory.mktemp("console-outreach")) as running:
        yield running


def signed_in(console, name: str, roles: list[str]) -> Person:
    person = Person(console.url(""))
    assert person.sign_in(name, roles, department="International Relations Department").status_code == 302
    return person


@pytest.fixture(scope="module")
def olga(console):
    return signed_in(console, "olga", ["outreach"])


@pytest.fixture(scope="module")
def mayor_office(console):
    return signed_in(console, "maria", ["mayor-office"])


def create(person: Person, register: str, fields: dict) -> str:
    created = person.submit(f"/outreach/{register}/new", f"/outreach/{register}/new", fields)
    assert created.status_code == 302, created.text
    return created.headers["location"]


@pytest.fixture(scope="module")
def sofia(olga):
    page = create(olga, "partners", SOFIA)
    contact = olga.send(page, "add-contacts", {"name": "Maria Petrova", "position": "Head of cooperation",
                                               "email": "m.petrova@sofia.example", "phone": "+359 2 000 0000",
                                               "languages": "bg, en"})
    assert contact.status_code == 302, contact.text
    return page


def test_a_partner_is_found_by_its_name_in_another_script_and_its_list_keeps_filters_in_the_url(olga, sofia):
    create(olga, "partners", {**SOFIA, "name": "Plovdiv", "kind": "city", "names": "bg: Пловдив"})
    found = olga.get("/outreach/partners", params={"q": "софия", "sort": "name"}).text
    assert sofia in found and "Plovdiv" not in found
    assert 'id="filter-q" name="q" type="text" value="софия"' in found
    rows = olga.get("/outreach/partners?country=BG&sort=name", headers={"HX-Request": "true"}).text
    assert "<h1>" not in rows and rows.index("Plovdiv") < rows.index("Sofia")


def test_a_list_follows_the_apis_next_link_page_by_page_with_its_filters_and_sort_kept_through_a_reload(suite,
                                                                                                       olga):
    for number in range(27):  # one page of the console's 25 and two more
        made = suite.call("POST", "outreach", "/api/v1/partners", {"kind": "city", "name": f"Town {number:02d}",
                                                                   "country": "IS", "names": []}, roles="outreach")
        assert made.status == 201, made.body
    first = olga.get("/outreach/partners", params={"country": "IS", "sort": "-created_at"}).text
    assert "Town 26" in first and "Town 01" not in first and "First page" not in first
    following = re.search(r'href="([^"]*)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "cursor=" in following and "country=IS" in following and "sort=-created_at" in following
    assert "page=" not in following.replace("page_size", "")
    second = olga.get(following).text
    assert "Town 01" in second and "Town 00" in second and "Town 26" not in second
    assert 'rel="next"' not in second and "First page" in second and "Records: 27" in second
    assert olga.get(following).text == second  # the page's address holds the whole page: a reload shows it again
    assert olga.get(following, headers={"HX-Request": "true"}).text.count("Town ") == 2


def test_a_contact_is_masked_until_a_click_reveals_it_and_the_api_records_the_reveal(suite, olga, sofia):
    page = olga.get(sofia).text
    assert "Maria Petrova" in page and "m.petrova@sofia.example" not in page
    partner_id = sofia.rsplit("/", 1)[1]
    contact_id = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/contacts").body["items"][0]["id"]
    revealed = olga.send(sofia, f"reveal-{contact_id}", {})
    assert revealed.status_code == 200
    assert "m.petrova@sofia.example" in revealed.text and "+359 2 000 0000" in revealed.text
    audit = suite.call("GET", "outreach", f"/api/v1/audit-records?record_id={contact_id}&action=personal-data.read",
                       roles="auditor").body["items"]
    assert [(one["actor"], one["changes"]["fields"]) for one in audit] == [("olga", ["email", "phone"])]


def test_the_mayors_office_sees_contacts_masked_with_nothing_to_reveal_and_no_form_to_change(suite, mayor_office,
                                                                                               sofia):
    page = mayor_office.get(sofia).text
    assert "Maria Petrova" in page and "m.petrova@sofia.example" not in page
    assert "reveal-" not in page and 'id="edit"' not in page and 'id="add-contacts"' not in page
    assert "/outreach/partners/new" not in mayor_office.get("/outreach/partners").text
    assert mayor_office.get("/outreach/partners/new").status_code == 403
    refused = mayor_office.submit("/outreach/partners", "/outreach/partners/new", SOFIA)
    assert refused.status_code == 403
    assert suite.call("GET", "outreach", "/api/v1/partners?q=Sofia").body["total"] == 1


def test_a_change_over_a_newer_version_names_what_someone_else_changed_and_keeps_what_was_typed(suite, olga):
    mission = {"kind": "embassy", "name": "Embassy of Bulgaria", "sending_country": "BG", "city": "Capital City",
               "address": "", "website": "", "notes": ""}
    page = create(olga, "missions", mission)
    opened = olga.get(page).text
    mission_id = page.rsplit("/", 1)[1]
    version = suite.call("GET", "outreach", f"/api/v1/missions/{mission_id}").headers["etag"]
    changed = suite.call("PATCH", "outreach", f"/api/v1/missions/{mission_id}", {"city": "Second City"},
                         roles="outreach", headers={"If-Match": version})
    assert changed.status == 200, changed.body
    sent = olga.send(page, "edit", {**mission, "name": "Embassy of the Republic of Bulgaria"}, opened=opened)
    assert sent.status_code == 422
    assert "Someone changed this meanwhile (city)" in sent.text
    assert 'value="Embassy of the Republic of Bulgaria"' in sent.text
    assert suite.call("GET", "outreach", f"/api/v1/missions/{mission_id}").body["name"] == "Embassy of Bulgaria"


def test_a_register_exports_what_its_filters_select_with_headers_in_the_persons_language(console, olga):
    create(olga, "societies", {"kind": "ngo", "name": "Friends of Varna", "country": "BG", "website": ""})
    create(olga, "societies", {"kind": "friendship_society", "name": "Friends of Riga", "country": "LV",
                               "website": ""})
    bulgarian = signed_in(console, "bozhana", ["outreach"])
    bulgarian.submit("/", "/language", {"language": "bg", "next": "/"})
    listed = bulgarian.get("/outreach/societies?country=BG").text
    assert "/outreach/societies/export/xlsx?" in listed and "Friends of Riga" not in listed
    exported = bulgarian.get("/outreach/societies/export/xlsx", params={"country": "BG"})
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [["Име", "Вид", "Държава"], ["Friends of Varna", "неправителствена организация", "BG"]]


def test_a_survey_file_with_a_bad_row_is_refused_naming_the_row_and_field_and_once_fixed_is_summarised(suite, olga):
    page = create(olga, "surveys", {"title": "How residents see the twin towns", "purpose": "",
                                    "commissioned_from": "Alpha Research", "fieldwork_from": "2027-02-01",
                                    "fieldwork_until": "2027-02-14"})
    for question in QUESTIONS:
        added = olga.send(page, "add-questions", question)
        assert added.status_code == 302, added.text
    upload = f"{page}/results"

    def send(text: str):
        return olga.client.post(upload, data={"csrf_token": olga.csrf(page)},
                                files={"results": ("answers.csv", text.encode(), "text/csv")})

    refused = send(BAD_CSV)
    assert refused.status_code == 422
    row = re.search(r'<tr id="row-3" class="invalid">(.*?)</tr>', refused.text, re.S)
    assert row and "perhaps" in row.group(1) and "Row 3, knows_twin:" in row.group(1)
    assert 'id="row-2" class="invalid"' not in refused.text
    survey_id = page.rsplit("/", 1)[1]
    assert suite.call("GET", "outreach", f"/api/v1/surveys/{survey_id}/summary").body["responses"] == 0

    imported = send(GOOD_CSV)
    assert imported.status_code == 302, imported.text
    shown = olga.get(imported.headers["location"]).text
    assert "3 answers imported." in shown and "3 respondents." in shown
    chart = re.search(r'<figure class="chart" id="summary-chart-1">(.*?)</figure>', shown, re.S).group(1)
    assert chart.count("<rect") == 3 and "<title>not sure: 1</title>" in chart
    assert re.search(r'<th scope="row">yes</th><td>1</td>', chart)


def test_the_plan_is_submitted_approved_by_the_mayors_office_and_drawn_with_its_figures(suite, olga, mayor_office):
    for activity, body, due in (("Days of Sofia culture", "Department of Culture", "2027-05-27"),
                                ("Youth exchange", "Department of Youth", "2027-09-01")):
        added = olga.send("/outreach/plan?year=2027", "add", {"activity": activity, "responsible_body": body,
                                                              "starts_on": "", "due_on": due,
                                                              "budget_amount": "", "budget_currency": ""})
        assert added.status_code == 302, added.text
    plan = olga.get("/outreach/plan?year=2027").text
    item = re.search(r'id="start-([0-9a-f-]+)"', plan).group(1)
    assert olga.send("/outreach/plan?year=2027", f"start-{item}", {}).status_code == 302
    progress = olga.send("/outreach/plan?year=2027", f"progress-{item}", {"progress": "60", "note": "Venue booked"})
    assert progress.status_code == 302, progress.text
    assert olga.send("/outreach/plan?year=2027", "submit", {"note": "First draft"}).status_code == 302
    assert 'id="approve-' not in olga.get("/outreach/plan?year=2027").text  # outreach does not decide
    shown = mayor_office.get("/outreach/plan?year=2027").text
    version = re.search(r'id="approve-([0-9a-f-]+)"', shown).group(1)
    assert mayor_office.send("/outreach/plan?year=2027", f"approve-{version}", {}).status_code == 302
    plan = olga.get("/outreach/plan?year=2027").text
    assert "Version 1 is approved." in plan
    bodies = re.search(r'id="plan-chart-1">(.*?)</figure>', plan, re.S).group(1)
    assert bodies.count("<rect") == 2 and "<title>Department of Culture: 60</title>" in bodies
    assert re.search(r'<th scope="row">Department of Youth</th><td>0</td>', bodies)
    months = re.search(r'id="plan-chart-2">(.*?)</figure>', plan, re.S).group(1)
    assert "<title>May: in progress 1</title>" in months and "<title>September: planned 1</title>" in months
    exported = olga.get("/outreach/plan/export/csv", params={"year": "2027", "status": "in_progress"})
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Activity,Responsible,Starts,Due,Status,Per cent done,From"
    assert lines[1:] == ["Days of Sofia culture,Department of Culture,,2027-05-27,in progress,60,entered by hand"]


def test_the_annual_report_opens_as_a_pdf_in_the_chosen_language(olga):
    assert "/outreach/annual-report/2027/bg" in olga.get("/outreach/analytics?year=2027").text
    report = olga.get("/outreach/annual-report/2027/bg")
    assert report.headers["content-type"] == "application/pdf" and report.content.startswith(b"%PDF")
    assert "annual-report-2027-bg.pdf" in report.headers["content-disposition"]


def field_error(page: str, form_id: str, name: str) -> str:
    """The message beside field `name` of form `form_id`, or "" when it has none."""
    found = re.search(rf'<span class="error" id="e-{re.escape(form_id)}-{name}" role="alert">(.*?)</span>', page)
    return found.group(1) if found else ""


def forms_of(page: str, entry_id: str) -> set[str]:
    return set(re.findall(rf'<form method="post" id="([a-z]+)-{entry_id}"', page))


TEXTS = {"title_en": "Sofia Days open on Friday", "body_en": "The City and Sofia celebrate sixty years.",
         "title_ru": "", "body_ru": "", "title_bg": "", "body_bg": ""}
TRANSLATED = {**TEXTS, "title_ru": "В пятницу открываются Дни Софии", "body_ru": "Город и София отмечают.",
              "title_bg": "Дните на София започват в петък", "body_bg": "Градът и София отбелязват."}


def test_a_material_is_written_translated_reviewed_and_published_with_the_steps_the_api_allows(suite, console,
                                                                                                olga):
    page = create(olga, "campaigns", {"title": "Sixty years with Sofia", "goals": "Make the twinning known",
                                      "audiences": "students", "channels": "press", "starts_on": "2027-04-01",
                                      "ends_on": "2027-06-30"})
    assert olga.send(page, "add-materials", {"kind": "press_release", **TEXTS}).status_code == 302
    campaign_id = page.rsplit("/", 1)[1]

    def material() -> dict:
        return suite.call("GET", "outreach", f"/api/v1/materials?campaign_id={campaign_id}").body["items"][0]

    material_id = material()["id"]
    assert forms_of(olga.get(page).text, material_id) == {"change", "submit"}
    refused = olga.send(page, f"submit-{material_id}", {})  # Russian and Bulgarian still missing
    assert refused.status_code == 422
    assert field_error(refused.text, f"change-{material_id}", "title_ru") == "Fill this in."
    assert field_error(refused.text, f"change-{material_id}", "title_bg") == "Fill this in."
    half = olga.send(page, f"change-{material_id}", {"kind": "press_release",
                                                     **{**TRANSLATED, "body_bg": ""}})
    assert half.status_code == 422 and field_error(half.text, f"change-{material_id}", "body_bg") == "Fill this in."
    assert 'value="Дните на София започват в петък"' in half.text and material()["missing_languages"] == ["ru", "bg"]
    opened = olga.get(page).text
    assert olga.send(page, f"change-{material_id}", {"kind": "press_release", **TRANSLATED}).status_code == 302
    assert material()["texts"]["bg"]["title"] == "Дните на София започват в петък"
    stale = olga.send(page, f"change-{material_id}", {"kind": "press_release", **TEXTS, "title_en": "Sofia Days"},
                      opened=opened)
    assert stale.status_code == 422 and "Someone changed this meanwhile (title ru, body ru, title bg, body bg)" in \
        stale.text and 'value="Sofia Days"' in stale.text
    assert olga.send(page, f"submit-{material_id}", {}).status_code == 302

    shown = olga.get(page).text
    assert forms_of(shown, material_id) == {"return", "publish"}  # in review: no change form
    assert "Город и София отмечают." in shown  # the reviewer reads every language
    four_eyes = olga.send(page, f"publish-{material_id}", {})
    assert four_eyes.status_code == 422 and "Someone else must review this" in four_eyes.text
    colleague = signed_in(console, "oleg", ["outreach"])
    unexplained = colleague.send(page, f"return-{material_id}", {"reason": ""})
    assert unexplained.status_code == 422
    assert field_error(unexplained.text, f"return-{material_id}", "reason")
    assert colleague.send(page, f"return-{material_id}", {"reason": "Check the figures"}).status_code == 302
    returned = olga.get(page).text
    assert "Check the figures" in returned and forms_of(returned, material_id) == {"change", "submit"}
    assert olga.send(page, f"submit-{material_id}", {}).status_code == 302
    assert colleague.send(page, f"publish-{material_id}", {}).status_code == 302
    assert material()["status"] == "published" and forms_of(olga.get(page).text, material_id) == {"withdraw"}


def test_a_relationship_is_changed_and_ended_and_a_contact_changed_without_unmasking_it(suite, olga, sofia):
    partner_id = sofia.rsplit("/", 1)[1]
    assert olga.send(sofia, "add-relationships", {"type": "twin_city", "established_on": "1967-05-24",
                                                  "ended_on": "", "basis": ""}).status_code == 302
    relationship = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/relationships").body["items"][0]
    refused = olga.send(sofia, f"change-{relationship['id']}", {"established_on": "1967-05-24",
                                                                "ended_on": "2022-02-31", "basis": "Charter"})
    assert refused.status_code == 422
    assert field_error(refused.text, f"change-{relationship['id']}", "ended_on") == "Enter a date."
    assert 'value="2022-02-31"' in refused.text
    ended = olga.send(sofia, f"change-{relationship['id']}", {"established_on": "1967-05-24",
                                                              "ended_on": "2022-03-02", "basis": "Charter"})
    assert ended.status_code == 302, ended.text
    now = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/relationships").body["items"][0]
    assert (now["ended_on"], now["basis"], now["version"]) == ("2022-03-02", "Charter", relationship["version"] + 1)

    added = olga.send(sofia, "add-contacts", {"name": "Ivan Georgiev", "position": "Adviser",
                                              "email": "i.georgiev@sofia.example", "phone": "+359 2 000 0001",
                                              "languages": "bg"})
    assert added.status_code == 302
    contacts = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/contacts").body["items"]
    contact = next(one for one in contacts if one["name"] == "Ivan Georgiev")
    opened = olga.get(sofia).text
    form = re.search(rf'<form method="post" id="change-{contact["id"]}".*?</form>', opened, re.S).group(0)
    assert 'name="email" type="email" value=""' in form and contact["email"] not in form  # the mask is not sent back
    changed = olga.send(sofia, f"change-{contact['id']}", {"name": "Ivan Georgiev", "position": "Deputy Mayor",
                                                           "email": "", "phone": "", "languages": "bg, en"})
    assert changed.status_code == 302, changed.text
    unmasked = suite.call("GET", "outreach", f"/api/v1/partners/{partner_id}/contacts/{contact['id']}",
                          roles="outreach").body
    assert (unmasked["position"], unmasked["email"], unmasked["languages"]) == (
        "Deputy Mayor", "i.georgiev@sofia.example", ["bg", "en"])
    before = olga.get(sofia).text
    assert suite.call("PATCH", "outreach", f"/api/v1/partners/{partner_id}/contacts/{contact['id']}",
                      {"position": "Mayor"}, roles="outreach", headers={"If-Match": '"2"'}).status == 200
    stale = olga.send(sofia, f"change-{contact['id']}", {"name": "Ivan Georgiev", "position": "Adviser to the mayor",
                                                         "email": "", "phone": "", "languages": "bg"}, opened=before)
    assert stale.status_code == 422 and "Someone changed this meanwhile (position)" in stale.text
    assert 'value="Adviser to the mayor"' in stale.text


def test_events_are_added_and_removed_on_a_programme_and_on_the_citys_membership_of_an_organisation(suite, olga):
    page = create(olga, "compatriot-programmes", {"title": "Summer school", "year": "2027", "description": "",
                                                  "budget_amount": "", "budget_currency": "",
                                                  "participants_count": ""})
    programme_id = page.rsplit("/", 1)[1]
    refused = olga.send(page, "events-add", {"title": "Opening", "held_on": "", "place": "City hall"})
    assert refused.status_code == 422 and field_error(refused.text, "events-add", "held_on")
    assert 'value="Opening"' in refused.text
    for title, day in (("Opening", "2027-07-01"), ("Closing", "2027-07-20")):
        assert olga.send(page, "events-add", {"title": title, "held_on": day, "place": "City hall"}).status_code == 302
    assert olga.send(page, "events-remove-0", {}).status_code == 302
    events = suite.call("GET", "outreach", f"/api/v1/compatriot-programmes/{programme_id}").body["events"]
    assert events == [{"title": "Closing", "held_on": "2027-07-20", "place": "City hall"}]

    page = create(olga, "organisations", {"kind": "network", "name": "Eurocities", "acronym": "", "scope": "",
                                          "website": ""})
    assert olga.send(page, "add-memberships", {"member_since": "2004-06-01", "member_until": "",
                                               "annual_dues_amount": "", "dues_currency": ""}).status_code == 302
    membership = suite.call("GET", "outreach", f"/api/v1/memberships?organisation_id={page.rsplit('/', 1)[1]}"
                            ).body["items"][0]
    added = olga.send(page, f"events-{membership['id']}-add", {"title": "Annual general meeting",
                                                                "held_on": "2027-11-12", "place": "Vienna"})
    assert added.status_code == 302, added.text
    shown = olga.get(page).text
    assert "Events (1)" in shown and "Annual general meeting" in shown
    ended = olga.send(page, f"change-{membership['id']}", {"member_since": "2004-06-01", "member_until": "2027-12-31",
                                                          "annual_dues_amount": "", "dues_currency": ""})
    assert ended.status_code == 302, ended.text
    now = suite.call("GET", "outreach", f"/api/v1/memberships/{membership['id']}").body
    assert (now["member_until"], [one["title"] for one in now["events"]]) == ("2027-12-31", ["Annual general meeting"])


def test_a_plan_item_from_a_visit_report_says_so_and_links_to_the_reports_page(suite, olga):
    visit_id, report_id = str(uuid.uuid4()), str(uuid.uuid4())
    follow_up = {"id": str(uuid.uuid4()), "title": "Send the forum concept to Lyon", "owner": "Maria Ivanova",
                 "department": "International Relations Department", "due_on": "2029-04-15"}
    data = {"id": report_id, "visit_id": visit_id, "delegation_name": "Delegation of Lyon", "country": "FR",
            "partner_id": None, "status": "submitted", "outcome": "A forum", "agreements": None,
            "follow_ups": [follow_up], "version": 2}
    publish_raw(suite.namespace, "chancery.visits.visit-report.submitted.v1", json.dumps({
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits",
        "type": "chancery.visits.visit-report.submitted.v1", "time": "2029-03-13T10:00:00Z", "subject": report_id,
        "datacontenttype": "application/json", "data": data}).encode())
    plan = eventually(lambda: (page := olga.get("/outreach/plan?year=2029").text) and
                      "Send the forum concept to Lyon" in page and page, timeout=30, message="the item in the plan")
    assert f'<a href="/visits/{visit_id}/report">visit report</a>' in plan
