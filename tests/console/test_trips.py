"""Trips at the console, on real processes: the lists (my requests, everyone's, what waits for my decision) with
their filters, sorting and pages in the URL; a request from the form to its submission; the department head's and
the mayor's office's decisions, offered exactly as the API allows; refusals beside their field; a change over a
newer version naming what changed."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from tests.console.people import Person
from tests.support.processes import eventually

pytestmark = pytest.mark.integration
DEPARTMENT = "Economic Development Department"
REQUEST = {"title": "Trade fair in Plovdiv", "purpose": "Present the city's industrial zone",
           "department": DEPARTMENT, "starts_on": "2027-09-20", "ends_on": "2027-09-23", "host": "",
           "international_function": "", "funding": "city", "country": "BG", "city": "Plovdiv",
           "full_name": "Daria Orlova", "job_title": "Chief specialist", "category": "staff"}


def signed_in(console, name: str, roles: list[str], department: str = DEPARTMENT) -> Person:
    person = Person(console.url(""))
    assert person.sign_in(name, roles, department=department).status_code == 302
    return person


@pytest.fixture(scope="module")
def tanya(console):
    return signed_in(console, "tanya", ["travel"])


def ask_for_a_trip(person: Person, **changes) -> str:
    created = person.submit("/trips/new", "/trips/new", {**REQUEST, **changes})
    assert created.status_code == 302, created.text
    return created.headers["location"]


def trip_of(suite, page: str) -> dict:
    return suite.call("GET", "trips", f"/api/v1{page}").body


def papers_in_order(suite, person: Person, page: str) -> None:
    """Every traveller's passport, visa (not needed), insurance and travel order recorded on the documents page."""
    for traveller in trip_of(suite, page)["travellers"]:
        who = traveller["id"]
        sent = [person.send(f"{page}/documents", f"passport-{who}", {"number": "AB1234567",
                                                                     "expires_on": "2031-01-01"}),
                *(person.send(f"{page}/documents", f"record-{who}", {"kind": kind, "status": status,
                                                                      "valid_until": "2028-12-31"})
                  for kind, status in (("visa", "not_required"), ("insurance", "obtained"),
                                       ("travel_order", "obtained")))]
        assert [one.status_code for one in sent] == [302] * 4, [one.text for one in sent if one.status_code != 302]


def test_a_request_typed_in_the_form_lands_in_trips_as_the_persons_draft(suite, console, tanya):
    page = ask_for_a_trip(tanya)
    trip = trip_of(suite, page)
    assert (trip["status"], trip["created_by"], trip["destinations"]) == ("draft", "tanya",
                                                                         [{"country": "BG", "city": "Plovdiv"}])
    assert [one["full_name"] for one in trip["travellers"]] == ["Daria Orlova"]
    assert "Trade fair in Plovdiv" in tanya.get("/trips?view=mine").text
    stranger = signed_in(console, "ivo", ["travel"])
    assert page not in stranger.get("/trips?view=mine").text
    assert page in stranger.get("/trips?view=all").text


def test_a_list_keeps_its_filters_sort_and_page_in_the_url(suite, tanya):
    ask_for_a_trip(tanya, title="Forum in Varna", city="Varna", starts_on="2027-10-01", ends_on="2027-10-02")
    ask_for_a_trip(tanya, title="Fair in Thessaloniki", country="GR", city="Thessaloniki")
    shown = tanya.get("/trips?view=mine&country=GR&sort=title&status=draft").text
    assert "Fair in Thessaloniki" in shown and "Forum in Varna" not in shown
    assert re.search(r'<option value="title" selected>', shown)
    assert 'id="country" name="country" size="3" value="GR"' in shown
    rows = tanya.get("/trips?view=mine&sort=starts_on", headers={"HX-Request": "true"}).text
    assert "<h1>" not in rows  # the rows alone, swapped in place by htmx
    assert rows.index("Trade fair in Plovdiv") < rows.index("Forum in Varna")



def test_a_trips_list_exports_as_csv_what_its_filters_select_from_the_persons_own_requests(console, tanya):
    ask_for_a_trip(tanya, title="Summit in Skopje", country="MK", city="Skopje")
    signed_in(console, "ivo", ["travel"]).submit("/trips/new", "/trips/new", {**REQUEST, "title": "Ivo's Skopje visit",
                                                                            "country": "MK", "city": "Skopje"})
    assert "/trips/export/csv?" in tanya.get("/trips?view=mine&country=MK").text
    exported = tanya.get("/trips/export/csv", params={"view": "mine", "country": "MK"})
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Trip,Destinations,Departs,Returns,Department,Status")
    assert [line.split(",")[0] for line in lines[1:]] == ["Summit in Skopje"]

def test_a_refusal_is_shown_beside_its_field_with_what_was_typed_kept(tanya):
    refused = tanya.submit("/trips/new", "/trips/new", {**REQUEST, "country": "Bulgaria"})
    assert refused.status_code == 422
    beside = re.search(r'id="f-country"[^>]*value="Bulgaria"[^>]*aria-invalid="true" aria-describedby="e-country"',
                       refused.text.replace("\n", " "))
    assert beside, refused.text
    assert 'id="e-country" role="alert"' in refused.text
    assert 'value="Trade fair in Plovdiv"' in refused.text


def test_a_change_sent_over_a_newer_version_names_what_someone_else_changed(suite, tanya):
    page = ask_for_a_trip(tanya)
    opened = tanya.get(page).text
    trip = trip_of(suite, page)
    changed = suite.call("PATCH", "trips", f"/api/v1{page}", {"title": "Trade fair in Plovdiv and Sofia"},
                         roles="travel", headers={"If-Match": f'"{trip["version"]}"'})
    assert changed.status == 200, changed.body
    typed = {name: REQUEST[name] for name in ("title", "department", "starts_on", "ends_on", "funding")}
    sent = tanya.send(page, "edit-form", {**typed, "purpose": "Present the industrial zone and the port"},
                      opened=opened)
    assert sent.status_code == 422
    assert "Someone changed this meanwhile (title)" in sent.text
    assert "Present the industrial zone and the port" in sent.text
    assert trip_of(suite, page)["purpose"] == REQUEST["purpose"]


def test_itinerary_stays_and_meetings_are_added_each_end_in_its_own_time_zone(suite, tanya):
    page = ask_for_a_trip(tanya)
    leg = tanya.send(page, "add-legs", {"origin": "Moscow", "departs_at": "2027-09-20T08:00",
                                        "departs_time_zone": "Europe/Moscow", "destination": "Sofia",
                                        "arrives_at": "2027-09-20T09:30", "arrives_time_zone": "Europe/Sofia",
                                        "mode": "air"})
    assert leg.status_code == 302, leg.text
    stay = tanya.send(page, "add-stays", {"name": "Hotel Trimontium", "address": "2 Kapitan Raycho St",
                                          "city": "Plovdiv", "country": "BG", "check_in": "2027-09-20",
                                          "check_out": "2027-09-23"})
    assert stay.status_code == 302, stay.text
    meeting = tanya.send(page, "add-meetings", {"title": "Chamber of commerce", "counterparts": "Its board",
                                                "location": "Plovdiv", "starts_at": "2027-09-21T10:00",
                                                "ends_at": "2027-09-21T11:00", "time_zone": "Europe/Sofia"})
    assert meeting.status_code == 302, meeting.text
    legs = suite.call("GET", "trips", f"/api/v1{page}/legs").body["items"]
    assert [(one["departs_time_zone"], one["arrives_time_zone"], one["duration_minutes"]) for one in legs] == [
        ("Europe/Moscow", "Europe/Sofia", 90)]
    shown = tanya.get(page).text
    assert "Hotel Trimontium" in shown and "Chamber of commerce" in shown and "(Europe/Moscow)" in shown
    refused = tanya.send(page, "add-legs", {"origin": "Sofia", "destination": "Plovdiv", "departs_time_zone": "Mars",
                                            "departs_at": "2027-09-22T08:00", "arrives_at": "2027-09-22T10:00",
                                            "arrives_time_zone": "Europe/Sofia", "mode": "road"})
    assert refused.status_code == 422
    assert 'aria-describedby="e-legs-departs_time_zone"' in refused.text


def test_a_staff_member_submits_the_department_head_and_then_the_mayors_office_approve(suite, console, tanya):
    page = ask_for_a_trip(tanya)
    added = tanya.send(page, "add-travellers", {"full_name": "Elena Petrova", "job_title": "Deputy Mayor",
                                                "category": "deputy_mayor", "department": "Office of the Mayor"})
    assert added.status_code == 302, added.text
    assert tanya.send(page, "watch", {}).status_code == 302
    papers_in_order(suite, tanya, page)
    draft = tanya.get(page).text
    assert 'id="lifecycle-submit"' in draft and 'id="lifecycle-approve"' not in draft
    # Signing in registers each with notifications: the default role subscriptions reach them (decision 0126).
    other_head = signed_in(console, "oleg", ["department-head"], department="Culture Department")
    head = signed_in(console, "hristo", ["department-head"])
    mayor_office = signed_in(console, "maria", ["mayor-office"], department="")
    assert tanya.send(page, "lifecycle-submit", {}).status_code == 302
    assert trip_of(suite, page)["awaiting"] == "department-head"

    eventually(lambda: "Trip request submitted: Trade fair in Plovdiv" in head.get("/inbox").text,
               message="the department head told in his inbox")
    assert other_head.get(page).status_code == 404
    assert "Trade fair" not in other_head.get("/trips?view=waiting").text
    assert "Trade fair" not in other_head.get("/inbox").text
    assert page in head.get("/trips?view=waiting").text
    offered = head.get(page).text
    assert re.findall(r'id="lifecycle-([a-z-]+)"', offered) == ["approve", "send-back"]
    assert head.send(page, "lifecycle-approve", {}).status_code == 302
    assert trip_of(suite, page)["awaiting"] == "mayor-office"
    assert page not in head.get("/trips?view=waiting").text

    eventually(lambda: "Trip request approved at one step: Trade fair in Plovdiv" in mayor_office.get("/inbox").text,
               message="the mayor's office told in its inbox")
    assert page in mayor_office.get("/trips?view=waiting").text
    assert mayor_office.send(page, "lifecycle-approve", {}).status_code == 302
    trip = trip_of(suite, page)
    assert trip["status"] == "approved"
    assert [(one["step"], one["decided_by"]) for one in trip["decisions"]] == [
        ("department-head", "hristo"), ("mayor-office", "maria")]
    # The traveller's organiser who watches the trip is told; a department head may watch their department's.
    eventually(lambda: "Trip request approved: Trade fair in Plovdiv" in tanya.get("/inbox").text,
               message="tanya told in her inbox")
    assert head.send(page, "watch", {}).status_code == 302


def test_a_request_sent_back_with_a_reason_is_recalled_cancelled_and_reopened_by_its_organiser(suite, console,
                                                                                             tanya):
    page = ask_for_a_trip(tanya)
    tanya.send(page, "lifecycle-submit", {})
    head = signed_in(console, "hristo", ["department-head"])
    without_reason = head.send(page, "lifecycle-send-back", {"reason": ""})
    assert without_reason.status_code == 422
    assert 'aria-describedby="e-send-back-reason"' in without_reason.text
    assert head.send(page, "lifecycle-send-back", {"reason": "Add the fair's programme"}).status_code == 302
    returned = tanya.get(page).text
    assert "Add the fair&#39;s programme" in returned
    assert re.findall(r'id="lifecycle-([a-z-]+)"', returned) == ["submit", "cancel"]
    tanya.send(page, "lifecycle-submit", {})
    assert tanya.send(page, "lifecycle-recall", {}).status_code == 302
    assert tanya.send(page, "lifecycle-cancel", {"reason": "The fair moved online"}).status_code == 302
    assert tanya.send(page, "lifecycle-reopen", {"reason": "It is in person after all"}).status_code == 302
    assert trip_of(suite, page)["status"] == "draft"


def test_the_trips_pages_are_in_russian_and_bulgarian(console, suite, tanya):
    page = ask_for_a_trip(tanya)
    for language, word in (("ru", "Мои заявки"), ("bg", "Моите заявки")):
        person = Person(console.url(""))
        person.client.cookies.set("chancery_lang", language)
        person.sign_in("tanya", ["travel"], department=DEPARTMENT)
        assert word in person.get("/trips").text
        assert person.get(page).status_code == 200



def approved_trip(suite, console, tanya, **changes) -> str:
    """A staff member's request taken through its department head's approval."""
    page = ask_for_a_trip(tanya, **changes)
    papers_in_order(suite, tanya, page)
    assert tanya.send(page, "lifecycle-submit", {}).status_code == 302
    head = signed_in(console, "hristo", ["department-head"])
    assert head.send(page, "lifecycle-approve", {}).status_code == 302
    return page


def test_the_budget_shows_the_limits_per_country_from_the_rates_table_and_records_a_cost(suite, tanya):
    rate = suite.call("POST", "trips", "/api/v1/daily-rates", {"country": "RS", "currency": "EUR", "per_diem": "60",
                                                              "accommodation_per_night": "120",
                                                              "valid_from": "2027-01-01"}, roles="travel")
    assert rate.status == 201, rate.body
    page = ask_for_a_trip(tanya, country="RS", city="Novi Sad")
    budget = tanya.get(f"{page}/budget").text
    assert re.search(r"<td>RS</td><td>4</td><td>3</td>\s*<td>€240\.00</td><td>€360\.00</td>", budget), budget
    recorded = tanya.send(f"{page}/budget", "cost", {"kind": "expected", "category": "transport",
                                                            "amount": "210.50", "currency": "EUR"})
    assert recorded.status_code == 302, recorded.text
    costs = suite.call("GET", "trips", f"/api/v1{page}/costs").body["items"]
    assert [(one["kind"], one["category"], one["amount"]) for one in costs] == [("expected", "transport", "210.50")]
    refused = tanya.send(f"{page}/budget", "cost", {"kind": "expected", "category": "transport",
                                                           "amount": "a lot", "currency": "EUR"})
    assert refused.status_code == 422
    assert 'aria-describedby="e-cost-amount"' in refused.text


def test_documents_are_recorded_per_traveller_and_the_travel_order_opens_as_pdf(suite, tanya):
    page = ask_for_a_trip(tanya)
    traveller = trip_of(suite, page)["travellers"][0]["id"]
    recorded = tanya.send(f"{page}/documents", f"record-{traveller}", {"kind": "insurance", "status": "obtained",
                                                                        "valid_until": "2027-12-31"})
    assert recorded.status_code == 302, recorded.text
    checklist = suite.call("GET", "trips", f"/api/v1{page}/documents").body["travellers"][0]["items"]
    assert {"kind": "insurance", "status": "obtained"}.items() <= next(
        item for item in checklist if item["kind"] == "insurance").items()
    order = tanya.get(f"{page}/travel-order/bg")
    assert order.status_code == 200 and order.headers["content-type"] == "application/pdf"
    assert order.content.startswith(b"%PDF")
    unready = tanya.get(f"{page}/documents").text
    assert "Some documents are still missing." in unready


def test_the_report_after_the_trip_is_written_with_its_follow_ups(suite, console, tanya):
    page = approved_trip(suite, console, tanya)
    written = tanya.send(f"{page}/report", "write", {
        "outcomes": "Two investors will visit the zone", "agreements": "",
        "follow_ups": "2027-11-01; Economic Development Department; Send the zone's brochure"})
    assert written.status_code == 302, written.text
    report = suite.call("GET", "trips", f"/api/v1{page}/report").body
    assert [(one["due_on"], one["title"]) for one in report["follow_ups"]] == [
        ("2027-11-01", "Send the zone's brochure")]
    assert tanya.send(f"{page}/report", "submit", {}).status_code == 302
    assert suite.call("GET", "trips", f"/api/v1{page}/report").body["status"] == "submitted"


def test_coordination_shows_another_departments_trip_to_the_same_place(suite, console, tanya):
    page = ask_for_a_trip(tanya, country="HU", city="Szeged")
    other = ask_for_a_trip(tanya, title="Culture days in Szeged", department="Culture Department", country="HU",
                           city="Szeged", starts_on="2027-09-22", ends_on="2027-09-25")
    assert other
    shown = tanya.get(f"{page}/coordination").text
    assert "Culture days in Szeged" in shown and "Culture Department" in shown


OFFICIAL = "Elena Petrova"


def test_an_officials_calendar_shows_the_visit_they_host_their_meeting_and_their_trip_in_one_week(suite, console):
    visit = suite.call("POST", "visits", "/api/v1/visits", {
        "delegation_name": "Delegation of Lyon", "country": "FR", "city": "Lyon", "starts_on": "2027-11-08",
        "ends_on": "2027-11-09", "purpose": "Talks on trams", "host_official": OFFICIAL}, roles="protocol")
    meeting = suite.call("POST", "visits", "/api/v1/meetings", {
        "title": "Reception of the Consul of Japan", "official": OFFICIAL, "guests": ["Consul of Japan"],
        "country": "JP", "starts_at": "2027-11-10T11:00:00", "ends_at": "2027-11-10T11:30:00",
        "time_zone": "Europe/Sofia", "venue": "City Hall"}, roles="protocol")
    trip = suite.call("POST", "trips", "/api/v1/trips", {
        "title": "Smart city fair", "purpose": "Present the city", "department": "Office of the Mayor",
        "destinations": [{"country": "ES", "city": "Barcelona"}], "starts_on": "2027-11-12", "ends_on": "2027-11-14",
        "funding": "city", "travellers": [{"full_name": OFFICIAL, "job_title": "Deputy Mayor",
                                           "category": "deputy_mayor", "department": "Office of the Mayor"}]},
        roles="travel")
    assert (visit.status, meeting.status, trip.status) == (201, 201, 201), (visit.body, meeting.body, trip.body)
    mayor_office = signed_in(console, "maria", ["mayor-office"])

    chooser = mayor_office.get("/officials/calendar").text
    assert f'<option value="{OFFICIAL}">' in chooser

    week = mayor_office.get("/officials/calendar", params={"official": OFFICIAL, "view": "week",
                                                          "on": "2027-11-10"}).text
    assert f'/visits/{visit.body["id"]}"' in week and "Delegation of Lyon" in week
    assert "Reception of the Consul of Japan" in week and 'datetime="2027-11-10T11:00:00+02:00"' in week
    assert f'/trips/{trip.body["id"]}"' in week and "Smart city fair" in week
    following = mayor_office.get("/officials/calendar", params={"official": OFFICIAL, "view": "week",
                                                               "on": "2027-11-17"}).text
    assert "Smart city fair" not in following and "Delegation of Lyon" not in following
    other = mayor_office.get("/officials/calendar", params={"official": "Ivan Sergeev", "view": "week",
                                                           "on": "2027-11-10"}).text
    assert "Smart city fair" not in other and "Reception of the Consul of Japan" not in other


def test_an_officials_feed_links_open_their_visits_and_trips_in_a_calendar_client_without_a_token(suite, console):
    mayor_office = signed_in(console, "maria", ["mayor-office"])
    page = f"/officials/calendar?official={OFFICIAL}&view=week&on=2027-11-10"
    answer = mayor_office.send(page, "feed-links", {})
    assert answer.status_code == 200, answer.text
    links = re.findall(r'<ul class="feed-links">.*?</ul>', answer.text, re.S)[0]
    urls = [unescape(url) for url in re.findall(r'href="([^"]+)"', links)]
    assert len(urls) == 2
    feeds = [httpx.get(url, timeout=10) for url in urls]  # as a calendar client: no Authorization header
    assert [feed.status_code for feed in feeds] == [200, 200]
    assert "Reception of the Consul of Japan" in feeds[0].text and "Smart city fair" in feeds[1].text


def row_ids(html: str, form: str) -> list[str]:
    return re.findall(rf'<form method="post" id="{form}-([0-9a-f-]{{36}})"', html)


def test_a_drafts_destinations_travellers_and_programme_are_changed_and_removed_and_no_empty_chain_is_shown(
        suite, tanya):
    page = ask_for_a_trip(tanya, title="Fair in Ruse")
    shown = tanya.get(page).text
    assert "Approval chain" not in shown  # a draft has none yet
    details = {name: REQUEST[name] for name in ("purpose", "department", "starts_on", "ends_on", "funding")}
    edited = tanya.send(page, "edit-form", {**details, "title": "Fair in Ruse",
                                            "destinations": "Ruse, BG\nGiurgiu, ro"})
    assert edited.status_code == 302, edited.text
    assert trip_of(suite, page)["destinations"] == [{"city": "Ruse", "country": "BG"},
                                                    {"city": "Giurgiu", "country": "RO"}]
    [traveller] = trip_of(suite, page)["travellers"]
    changed = tanya.send(page, f"change-{traveller['id']}", {"job_title": "Senior expert"})
    assert changed.status_code == 302, changed.text
    assert trip_of(suite, page)["travellers"][0]["job_title"] == "Senior expert"
    added = [tanya.send(page, "add-legs", {"origin": "Sofia", "departs_at": "2027-09-20T08:00",
                                           "departs_time_zone": "Europe/Sofia", "destination": "Ruse",
                                           "arrives_at": "2027-09-20T12:00", "arrives_time_zone": "Europe/Sofia",
                                           "mode": "rail"}),
             tanya.send(page, "add-meetings", {"title": "Port authority", "counterparts": "Its director",
                                               "location": "Ruse port", "starts_at": "2027-09-21T10:00",
                                               "ends_at": "2027-09-21T11:00", "time_zone": "Europe/Sofia"})]
    assert [one.status_code for one in added] == [302, 302], [one.text for one in added]
    shown = tanya.get(page).text
    [leg_id, meeting_id] = [one for one in row_ids(shown, "change") if one != traveller["id"]]
    assert tanya.send(page, f"change-{leg_id}", {"arrives_at": "2027-09-20T12:30"}).status_code == 302
    [leg] = suite.call("GET", "trips", f"/api/v1{page}/legs").body["items"]
    assert (leg["arrives_at"], leg["version"]) == ("2027-09-20T12:30:00+03:00", 2)
    assert tanya.send(page, f"remove-{meeting_id}", {}).status_code == 302
    assert tanya.send(page, f"remove-{leg_id}", {}).status_code == 302
    assert [suite.call("GET", "trips", f"/api/v1{page}/{what}").body["items"] for what in ("legs", "meetings")] == [
        [], []]
    shown = tanya.get(page).text
    assert f'id="remove-{traveller["id"]}"' in shown, shown[-4000:]
    assert tanya.send(page, f"remove-{traveller['id']}", {}, opened=shown).status_code == 302
    assert trip_of(suite, page)["travellers"] == []


def test_a_leg_changed_meanwhile_names_what_changed_and_keeps_what_was_typed(suite, tanya):
    page = ask_for_a_trip(tanya, title="Fair in Vidin")
    added = tanya.send(page, "add-legs", {"origin": "Sofia", "departs_at": "2027-09-20T08:00",
                                          "departs_time_zone": "Europe/Sofia", "destination": "Vidin",
                                          "arrives_at": "2027-09-20T12:00", "arrives_time_zone": "Europe/Sofia",
                                          "mode": "road"})
    assert added.status_code == 302, added.text
    opened = tanya.get(page).text
    [leg_id] = [one for one in row_ids(opened, "change") if one not in {t["id"] for t in trip_of(suite, page)[
        "travellers"]}]
    assert tanya.send(page, f"change-{leg_id}", {"destination": "Vidin port"}).status_code == 302
    stale = tanya.send(page, f"change-{leg_id}", {"carrier_reference": "BUS 12"}, opened=opened)
    assert stale.status_code == 422
    assert "Someone changed this meanwhile" in stale.text and "BUS 12" in stale.text


def test_a_cost_recorded_in_error_is_removed_and_travel_staff_set_and_correct_a_countrys_daily_rates(suite, tanya):
    page = ask_for_a_trip(tanya, title="Fair in Burgas", city="Burgas")
    budget = f"{page}/budget"
    assert tanya.send(budget, "rate", {"country": "BG", "currency": "EUR", "per_diem": "55.00",
                                       "accommodation_per_night": "120.00", "valid_from": "2027-01-01"}
                      ).status_code == 302
    [rate_id] = re.findall(r'id="correct-rate-([0-9a-f-]{36})"', tanya.get(budget).text)[:1]
    assert tanya.send(budget, f"correct-rate-{rate_id}", {"per_diem": "58.00"}).status_code == 302
    rates = suite.call("GET", "trips", "/api/v1/daily-rates?country=BG").body["items"]
    assert "58.00" in {str(rate["per_diem"]) for rate in rates}
    assert tanya.send(budget, "cost", {"kind": "expected", "category": "transport", "amount": "80.00",
                                       "currency": "EUR"}).status_code == 302
    [cost_id] = re.findall(r'id="remove-cost-([0-9a-f-]{36})"', tanya.get(budget).text)
    assert tanya.send(budget, f"remove-cost-{cost_id}", {}).status_code == 302
    assert suite.call("GET", "trips", f"/api/v1{page}/costs").body["items"] == []


def test_a_trip_asked_for_as_confidential_is_absent_for_a_colleague_until_its_organiser_makes_it_open(console,
                                                                                                      tanya):
    page = ask_for_a_trip(tanya, title="Talks in Skopje, confidential", confidentiality="confidential")
    assert "Confidential</span>" in tanya.get(page).text
    ivo = signed_in(console, "ivo", ["travel"])
    assert "Talks in Skopje, confidential" not in ivo.get("/trips?view=all").text
    assert ivo.get(page).status_code == 404
    opened = tanya.send(page, "marking-form", {"confidentiality": "open"})
    assert opened.status_code == 302, opened.text
    assert "Talks in Skopje, confidential" in ivo.get("/trips?view=all").text
