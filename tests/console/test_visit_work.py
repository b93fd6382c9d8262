"""A visit's work at the console, on real processes: protocol, checklist, gifts, interpreters, visa letters,
meetings and functions, each a page of the visit with its forms; changes sent over a newer version name what
changed; refusals in the person's language beside their field; the desk's waiting lists with "and N more";
the calendar; preferences changed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.console.people import Person
from tests.support.processes import VISIT, http

pytestmark = pytest.mark.integration
SECTIONS = ("protocol", "checklist", "gifts", "interpreters", "visa-letters", "meetings", "report")
TODAY = date.today().isoformat()


@pytest.fixture(scope="module")
def olga(console):
    person = Person(console.url(""))
    assert person.sign_in("olga", ["protocol", "mayor-office"]).status_code == 302
    return person


def new_visit(person: Person, **changes) -> str:
    created = person.submit("/visits/new", "/visits/new", {**VISIT, **changes})
    assert created.status_code == 302, created.text
    return created.headers["location"]


def add_member(person: Person, page: str, name: str = "Jean Dupont") -> None:
    added = person.submit(page, f"{page}/members", {"role": "head", "name_original": name, "name_latin": name,
                                                    "country": "FR"})
    assert added.status_code == 302, added.text


def bump(suite, path: str, body: dict | None, version: str, method: str = "PATCH") -> None:
    """Someone else changes the record meanwhile, through the API."""
    answer = http(method, suite.url("visits", f"/api/v1{path}"), body, token=suite.token("protocol", sub="ivan"),
                  headers={"If-Match": f'"{version}"'})
    assert answer.status == 200, answer.json


def test_each_part_of_a_visit_is_a_page_of_its_own_in_english_russian_and_bulgarian(console, olga):
    page = new_visit(olga)
    add_member(olga, page)
    for section in SECTIONS:
        shown = olga.get(f"{page}/{section}")
        assert shown.status_code == 200, section
        assert 'aria-current="page"' in shown.text
    bulgarian = Person(console.url(""))
    bulgarian.client.cookies.set("chancery_lang", "bg")
    bulgarian.sign_in("boris", ["protocol"])
    assert "Протокол" in bulgarian.get(f"{page}/protocol").text
    assert "Чек-лист" in bulgarian.get(f"{page}/checklist").text
    assert olga.get(f"{page}/nowhere").status_code == 404


def test_a_visa_letter_is_requested_approved_issued_and_opened_with_the_passport_masked_on_the_page(console, olga):
    page = new_visit(olga)
    add_member(olga, page)
    letters = f"{page}/visa-letters"
    member = re.search(r'<option value="([0-9a-f-]{36})"', olga.get(letters).text).group(1)
    drafted = olga.send(letters, "draft", {"member_id": member, "language": "bg", "consulate": "Embassy in Paris",
                                           "passport_number": "FR7654321", "date_of_birth": "1970-01-02",
                                           "place_of_birth": "Lyon"})
    assert drafted.status_code == 302, drafted.text
    shown = olga.get(letters).text
    assert "FR7654321" not in shown and "•••••••21" in shown
    letter = re.search(r'id="letter-([0-9a-f-]{36})"', shown).group(1)
    assert olga.send(letters, f"submit-{letter}", {}).status_code == 302
    desk = olga.get("/").text
    assert f"#letter-{letter}" in desk and "Visa letters to approve" in desk
    assert olga.send(letters, f"approve-{letter}", {}).status_code == 302
    assert olga.send(letters, f"issue-{letter}", {}).status_code == 302
    assert re.search(r'class="letter-status">issued · VL-', olga.get(letters).text)
    pdf = olga.get(f"{letters}/{letter}/document")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_checklist_task_is_added_and_ticked_and_a_stale_tick_names_what_changed(console, suite, olga):
    page = new_visit(olga)
    checklist = f"{page}/checklist"
    assert olga.send(checklist, "add", {"title": "Order the flags", "owner": "olga", "due_on": TODAY}
                     ).status_code == 302
    task = re.search(r'id="task-([0-9a-f-]{36})"', olga.get(checklist).text).group(1)
    assert olga.send(checklist, f"complete-{task}", {}).status_code == 302
    assert "✓" in olga.get(checklist).text
    assert olga.send(checklist, "add", {"title": "Book the hall", "owner": "olga", "due_on": TODAY}
                     ).status_code == 302
    opened = olga.get(checklist).text
    second = re.search(r'id="complete-([0-9a-f-]{36})"', opened).group(1)  # the one still open
    visit_id = page.rsplit("/", 1)[-1]
    bump(suite, f"/visits/{visit_id}/checklist/{second}", {"due_on": "2030-01-01"}, "1")
    stale = olga.send(checklist, f"complete-{second}", {}, opened=opened)
    assert stale.status_code == 422
    assert "Someone changed this meanwhile (due on)" in stale.text


def test_gifts_interpreters_meetings_and_functions_are_recorded_and_answered_from_their_forms(console, olga):
    page = new_visit(olga)
    olga.submit(page, f"{page}/programme", {"kind": "meeting", "title": "Talks", "starts_at": "2027-03-10T10:00",
                                            "ends_at": "2027-03-10T11:00", "time_zone": "Europe/Sofia"})
    gift = olga.send(f"{page}/gifts", "add", {
        "direction": "received", "description": "Porcelain vase", "giver": "Mayor of Lyon", "recipient": "Mayor",
        "value_amount": "450.00", "value_currency": "EUR", "exchanged_on": "2027-03-10", "disposition": "pending"})
    assert gift.status_code == 302, gift.text
    assert "Porcelain vase" in olga.get(f"{page}/gifts").text
    interpreters = olga.get(f"{page}/interpreters").text
    item = re.search(r'name="agenda_item_id"[^>]*>\s*<option value="([0-9a-f-]{36})"', interpreters).group(1)
    need = olga.send(f"{page}/interpreters", "need", {"agenda_item_id": item, "language_pair": "fr-bg",
                                                      "mode": "consecutive", "interpreter_id": ""})
    assert need.status_code == 302, need.text
    assert "requested" in olga.get(f"{page}/interpreters").text  # nobody in the register covers fr-bg
    meetings = f"{page}/meetings"
    planned = olga.send(meetings, "plan", {"title": "The Mayor receives the delegation", "official": "Mayor",
                                           "guests": "M. Durand, Mme Petit", "country": "FR",
                                           "starts_at": "2027-03-11T09:00", "ends_at": "2027-03-11T09:30",
                                           "time_zone": "Europe/Sofia", "venue": "City Hall"})
    assert planned.status_code == 302, planned.text
    scheduled = olga.send(meetings, "function", {"kind": "reception", "title": "Reception at City Hall",
                                                 "starts_at": "2027-03-11T19:00", "ends_at": "2027-03-11T21:00",
                                                 "time_zone": "Europe/Sofia", "venue": "City Hall, Hall 2"})
    assert scheduled.status_code == 302, scheduled.text
    function = re.search(r'id="function-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    assert olga.send(meetings, f"invite-{function}", {"name": "Consul of France"}).status_code == 302
    invitee = re.search(rf'id="rsvp-{function}-([0-9a-f-]{{36}})"', olga.get(meetings).text).group(1)
    assert olga.send(meetings, f"rsvp-{function}-{invitee}", {"rsvp": "accepted"}).status_code == 302
    assert re.search(r'<option value="accepted"\s+selected', olga.get(meetings).text)
    meeting = re.search(r'id="meeting-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    assert olga.send(meetings, f"add-follow-up-{meeting}", {"title": "Send the photos", "responsible_body": "Protocol",
                                                       "due_on": TODAY}).status_code == 302
    follow_up = re.search(r'id="follow-up-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    assert f"#follow-up-{follow_up}" in olga.get("/").text
    assert olga.send(meetings, f"follow-up-done-{meeting}-{follow_up}", {}).status_code == 302
    assert f"#follow-up-{follow_up}" not in olga.get("/").text
    moved = olga.send(meetings, f"move-{meeting}", {"starts_at": "2027-03-11T19:30", "ends_at": "2027-03-11T20:00",
                                                    "time_zone": "Europe/Sofia", "venue": "City Hall, Hall 2"})
    assert moved.status_code == 422  # the reception holds Hall 2 then: the clash beside the start
    assert re.search(r'id="e-move-[0-9a-f-]{36}-starts_at" role="alert">[^<]+<', moved.text)


def test_a_member_and_a_programme_item_changed_over_a_newer_version_name_what_changed(console, suite, olga):
    page = new_visit(olga)
    add_member(olga, page, "Jean Martin")
    olga.submit(page, f"{page}/programme", {"kind": "meeting", "title": "Talks", "starts_at": "2027-03-10T10:00",
                                            "ends_at": "2027-03-10T11:00", "time_zone": "Europe/Sofia"})
    shown = olga.get(page).text
    member = re.search(r'id="member-([0-9a-f-]{36})"', shown).group(1)
    item = re.search(r'id="item-([0-9a-f-]{36})"', shown).group(1)
    changed = olga.submit(page, f"{page}/members/{member}", {
        "version": "1", "role": "head", "name_original": "Jean Martin", "name_latin": "Jean Martin",
        "title": "Deputy Mayor", "country": "FR"})
    assert changed.status_code == 302 and "Deputy Mayor" in olga.get(page).text
    visit_id = page.rsplit("/", 1)[-1]
    bump(suite, f"/visits/{visit_id}/agenda-items/{item}", {"venue": "Boyana Residence"}, "1")
    stale = olga.submit(page, f"{page}/programme/{item}", {
        "version": "1", "was_venue": "", "was_title": "Talks", "kind": "meeting", "title": "Talks at City Hall",
        "starts_at": "2027-03-10T10:00", "ends_at": "2027-03-10T11:00", "time_zone": "Europe/Sofia", "venue": ""})
    assert stale.status_code == 422
    assert "Someone changed this meanwhile (venue)" in stale.text
    assert 'value="Talks at City Hall"' in stale.text


def test_an_answer_a_tick_and_an_invitation_sent_over_a_newer_version_name_what_changed_and_keep_what_was_typed(
        console, suite, olga):
    page = new_visit(olga)
    meetings = f"{page}/meetings"
    assert olga.send(meetings, "function", {"kind": "reception", "title": "Reception", "starts_at": "2027-03-11T19:00",
                                            "ends_at": "2027-03-11T21:00", "time_zone": "Europe/Sofia",
                                            "venue": "Hall 7"}).status_code == 302
    function = re.search(r'id="function-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    assert olga.send(meetings, f"invite-{function}", {"name": "Consul of Italy"}).status_code == 302
    assert olga.send(meetings, "plan", {"title": "Talks", "official": "Deputy Mayor for Sport", "guests": "M. Durand",
                                        "country": "FR", "starts_at": "2027-03-12T08:00", "ends_at": "2027-03-12T08:30",
                                        "time_zone": "Europe/Sofia", "venue": "Hall 8"}).status_code == 302
    meeting = re.search(r'id="meeting-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    assert olga.send(meetings, f"add-follow-up-{meeting}", {"title": "Send the photos", "responsible_body": "Protocol",
                                                            "due_on": TODAY}).status_code == 302
    opened = olga.get(meetings).text
    invitee = re.search(rf'id="rsvp-{function}-([0-9a-f-]{{36}})"', opened).group(1)
    follow_up = re.search(r'id="follow-up-([0-9a-f-]{36})"', opened).group(1)
    bump(suite, f"/functions/{function}/invitees/{invitee}/rsvp", {"rsvp": "declined"}, "1", method="PUT")
    bump(suite, f"/meetings/{meeting}/follow-ups/{follow_up}/complete", None, "1", method="POST")
    bump(suite, f"/functions/{function}", {"venue": "Hall 9"}, "1")
    answer = olga.send(meetings, f"rsvp-{function}-{invitee}", {"rsvp": "tentative"}, opened=opened)
    assert answer.status_code == 422
    assert "Someone changed this meanwhile (answer)" in answer.text
    assert re.search(r'<option value="tentative"\s+selected', answer.text)
    ticked = olga.send(meetings, f"follow-up-done-{meeting}-{follow_up}", {}, opened=opened)
    assert ticked.status_code == 422
    assert "Someone changed this meanwhile (done)" in ticked.text
    invited = olga.send(meetings, f"invite-{function}", {"name": "Consul of Spain"}, opened=opened)
    assert invited.status_code == 422
    assert "Someone changed this meanwhile (venue)" in invited.text and 'value="Consul of Spain"' in invited.text


def test_a_seating_plan_is_drawn_from_a_row_per_host_and_the_guests_ticked_and_its_ranks_read_in_bulgarian(
        console, olga):
    page = new_visit(olga)
    add_member(olga, page, "Jean Leroy")
    protocol = f"{page}/protocol"
    bulgarian = Person(console.url(""))
    bulgarian.client.cookies.set("chancery_lang", "bg")
    bulgarian.sign_in("boris", ["protocol"])
    form = bulgarian.get(protocol).text
    assert '<label for="f-seating-host_name_1">' in form and '<label for="f-seating-host_rank_2">' in form
    assert re.search(r'<option value="deputy_mayor"\s*>Заместник-кмет</option>', form)
    member = re.search(r'name="guest_ids" value="([0-9a-f-]{36})" checked', form).group(1)
    drawn = bulgarian.send(protocol, "seating", {
        "title": "Official lunch", "host_name_1": "Deputy Mayor for Culture", "host_rank_1": "deputy_mayor",
        "host_name_2": "Mayor of Sofia", "host_rank_2": "mayor", "principal": "2", "guest_ids": [member]})
    assert drawn.status_code == 302, drawn.text
    plan = bulgarian.get(protocol).text.split('<table class="seating">')[1].split("</table>")[0]
    assert re.search(r'<tr class="principal"><td>1</td><td>[^<]*</td><td>Mayor of Sofia</td><td>Кмет</td>', plan)
    assert "<td>Заместник-кмет</td>" in plan and "Jean Leroy" in plan
    assert "mayor<" not in plan


def test_this_weeks_programme_on_the_desk_says_how_many_more_with_a_link_to_the_list(console, olga):
    today = date.today()
    for number in range(12):
        new_visit(olga, delegation_name=f"Delegation {number} of this week", starts_on=today.isoformat(),
                  ends_on=(today + timedelta(days=1)).isoformat())
    desk = olga.get("/").text
    week = desk.split('id="h-week"')[1].split("</section>")[0]
    assert week.count("of this week</a>") == 10
    more = re.search(r'<a href="(/visits\?[^"]+)">and (\d+) more</a>', week)
    assert more and int(more.group(2)) >= 2
    listed = olga.get(more.group(1).replace("&amp;", "&")).text
    assert listed.count("of this week</a>") == 12


def test_a_lifecycle_action_over_a_newer_version_names_what_changed(console, suite, olga):
    page = new_visit(olga)
    opened = olga.get(page).text
    visit_id = page.rsplit("/", 1)[-1]
    bump(suite, f"/visits/{visit_id}", {"city": "Villeurbanne"}, "1")
    stale = olga.send(page, "lifecycle-propose", {}, opened=opened)
    assert stale.status_code == 422
    assert "Someone changed this meanwhile (city)" in stale.text


def test_a_refusal_is_shown_in_the_persons_language_beside_its_field(console, olga):
    page = new_visit(olga)
    bulgarian = Person(console.url(""))
    bulgarian.client.cookies.set("chancery_lang", "bg")
    bulgarian.sign_in("boris", ["protocol"])
    refused = bulgarian.send(f"{page}/checklist", "add", {"title": "Flags", "owner": "boris", "due_on": "someday"})
    assert refused.status_code == 422
    assert re.search(r'id="e-add-due_on" role="alert">Въведете дата\.<', refused.text)
    step = bulgarian.submit(page, f"{page}/complete", {"version": "1"})
    assert "Тази стъпка не е възможна сега" in step.text


def test_the_desk_lists_tasks_and_follow_ups_due_and_says_how_many_more_with_a_link(console, olga):
    page = new_visit(olga)
    for number in range(12):
        assert olga.send(f"{page}/checklist", "add", {"title": f"Task {number}", "owner": "olga",
                                                      "due_on": TODAY}).status_code == 302
    desk = olga.get("/").text
    more = re.search(r'<a href="/waiting/checklist-due">and (\d+) more</a>', desk)
    assert more and int(more.group(1)) >= 2
    whole = olga.get("/waiting/checklist-due").text
    assert whole.count("#task-") >= 12
    assert 'id="h-follow-ups-due"' in desk
    assert Person(console.url("")).get("/waiting/checklist-due").status_code == 302
    travel = Person(console.url(""))
    travel.sign_in("tom", ["travel"])
    assert travel.get("/waiting/checklist-due").status_code == 404


def test_the_calendar_shows_a_visit_on_each_of_its_days_by_month_and_by_week_however_long_ago_it_began(console, olga):
    new_visit(olga, delegation_name="Delegation of Turku", starts_on="2027-05-04", ends_on="2027-05-06")
    new_visit(olga, delegation_name="Long stay of Tartu", starts_on="2027-01-10", ends_on="2027-05-02")
    month = olga.get("/visits/calendar?on=2027-05-01").text
    assert month.count("Delegation of Turku") == 3
    assert month.count("Long stay of Tartu") == 7  # begun months before, still there from 26 April (drawn) to 2 May
    week = olga.get("/visits/calendar?view=week&on=2027-05-05").text
    assert week.count("Delegation of Turku") == 3 and week.count('<td class') == 7
    assert olga.get("/visits/calendar?on=nonsense").status_code == 200


def test_preferences_are_changed_from_the_notifications_page(console, olga):
    changed = olga.send("/inbox/subscriptions", "preferences-form", {
        "language": "bg", "time_zone": "Europe/Sofia", "email": "olga@city.example", "in_app": "immediate",
        "email_channel": "digest", "digest_at": "08:30", "quiet_start": "22:00", "quiet_end": "07:00"})
    assert changed.status_code == 302, changed.text
    shown = olga.get("/inbox/subscriptions").text
    assert 'value="olga@city.example"' in shown and re.search(r'<option value="digest"\s+selected', shown)
    refused = olga.send("/inbox/subscriptions", "preferences-form", {
        "language": "bg", "time_zone": "Mars/Olympus", "email": "", "in_app": "immediate", "email_channel": "off",
        "digest_at": "08:30", "quiet_start": "", "quiet_end": ""})
    assert refused.status_code == 422
    assert re.search(r'id="e-p-time_zone" role="alert">[^<]*Mars/Olympus', refused.text)


def interpreter_id(suite, name: str) -> str:
    listed = suite.call("GET", "visits", "/api/v1/interpreters?page_size=200").json["items"]
    return next(person["id"] for person in listed if person["name"] == name)


def test_the_interpreters_register_adds_changes_and_retires_and_refuses_a_bad_pair_beside_its_field(console, suite,
                                                                                                      olga):
    refused = olga.send("/interpreters", "add", {"name": "Mariya Ivanova", "pairs": "bg-en, Bulgarian",
                                                 "modes": "consecutive"})
    assert refused.status_code == 422
    assert re.search(r'id="e-add-pairs" role="alert">This is not in the expected form\.<', refused.text)
    added = olga.send("/interpreters", "add", {"name": "Mariya Ivanova", "pairs": "bg-en, bg-ru",
                                               "modes": "consecutive, simultaneous"})
    assert added.status_code == 302, added.text
    person = interpreter_id(suite, "Mariya Ivanova")
    assert suite.call("GET", "visits", f"/api/v1/interpreters/{person}").json["pairs"] == ["bg-en", "bg-ru"]
    assert olga.send("/interpreters", f"edit-{person}", {"name": "Mariya Ivanova", "pairs": "bg-en, bg-ru, bg-fr",
                                                         "modes": "consecutive"}).status_code == 302
    opened = olga.get("/interpreters").text
    bump(suite, f"/interpreters/{person}", {"pairs": ["bg-de"]}, "2")
    stale = olga.send("/interpreters", f"edit-{person}", {"name": "Mariya Petrova", "pairs": "bg-en, bg-ru, bg-fr",
                                                          "modes": "consecutive"}, opened=opened)
    assert stale.status_code == 422
    assert "Someone changed this meanwhile (language pairs)" in stale.text and 'value="Mariya Petrova"' in stale.text
    assert olga.send("/interpreters", f"active-{person}", {}).status_code == 302
    assert suite.call("GET", "visits", f"/api/v1/interpreters/{person}").json["active"] is False
    reader = Person(console.url(""))
    reader.client.cookies.set("chancery_lang", "ru")
    reader.sign_in("maria", ["mayor-office"])
    shown = reader.get("/interpreters").text
    assert "Mariya Ivanova" in shown and "Языковые пары" in shown and "больше не работает" in shown
    assert f'id="edit-{person}"' not in shown  # the mayor's office reads the register; protocol staff change it


def test_a_rank_of_the_rank_table_is_changed_in_three_languages_and_a_bad_template_is_refused_beside_it(console,
                                                                                                        suite, olga):
    page = olga.get("/protocol/rank-table").text
    position = re.search(r'<tr id="rank-(\d+)"><td>\d+</td><td><code>minister</code>', page).group(1)
    minister = {name.removeprefix("was_"): value for name, value in re.findall(
        r'name="(was_[a-z_]+)" value="([^"]*)"', re.search(rf'id="edit-{position}".*?</form>', page, re.S).group(0))}
    refused = olga.send("/protocol/rank-table", f"edit-{position}", {**minister, "address_ru": "Господин {title}"})
    assert refused.status_code == 422
    assert re.search(rf'id="e-edit-{position}-address_ru" role="alert">[^<]+<', refused.text)
    changed = olga.send("/protocol/rank-table", f"edit-{position}", {**minister, "label_bg": "Министър на държавата"})
    assert changed.status_code == 302, changed.text
    table = suite.call("GET", "visits", "/api/v1/protocol/rank-table").json
    assert next(rank for rank in table["ranks"] if rank["key"] == "minister")["labels"]["bg"] == "Министър на държавата"
    assert "Министър на държавата" in olga.get("/protocol/rank-table").text


def test_a_functions_press_accreditations_are_asked_for_refused_with_a_reason_and_accredited(console, suite, olga):
    page = new_visit(olga)
    meetings = f"{page}/meetings"
    assert olga.send(meetings, "function", {"kind": "press_conference", "title": "Press conference",
                                            "starts_at": "2027-03-12T12:00", "ends_at": "2027-03-12T13:00",
                                            "time_zone": "Europe/Sofia", "venue": "City Hall, Press room"}
                     ).status_code == 302
    function = re.search(r'id="function-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    press = f"/functions/{function}/press"
    assert press in olga.get(meetings).text
    journalist = {"journalist": "Anne Leroy", "outlet": "Le Progrès", "country": "FR"}
    closed = olga.send(press, "accredit", journalist)
    assert closed.status_code == 422
    assert '<p class="problem" role="alert">The function is closed to the press.</p>' in closed.text
    assert olga.send(press, "open", {}).status_code == 302
    assert olga.send(press, "accredit", journalist).status_code == 302
    assert olga.send(press, "accredit", {**journalist, "journalist": "Ivo Petrov", "country": "BG"}).status_code == 302
    shown = olga.get(press).text
    anne, ivo = (re.search(rf'id="accreditation-([0-9a-f-]{{36}})"><td>{name}', shown).group(1)
                 for name in ("Anne Leroy", "Ivo Petrov"))
    unexplained = olga.send(press, f"decide-{ivo}", {"reason": ""})
    assert unexplained.status_code == 422
    assert re.search(rf'id="e-decide-{ivo}-reason" role="alert">[^<]+<', unexplained.text)
    assert olga.send(press, f"decide-{ivo}", {"reason": "Not an accredited outlet"}).status_code == 302
    assert olga.send(press, f"approve-{anne}", {}).status_code == 302
    decided = suite.call("GET", "visits", f"/api/v1/functions/{function}/participants").json["accreditations"]
    assert {item["journalist"]: item["status"] for item in decided} == {"Anne Leroy": "approved",
                                                                        "Ivo Petrov": "rejected"}


def test_a_meetings_minutes_are_written_in_revisions_and_one_over_a_newer_revision_keeps_what_was_typed(console,
                                                                                                         suite, olga):
    page = new_visit(olga)
    meetings = f"{page}/meetings"
    assert olga.send(meetings, "plan", {"title": "Talks on tram cooperation", "official": "Mayor",
                                        "guests": "M. Durand", "country": "FR", "starts_at": "2027-03-10T15:00",
                                        "ends_at": "2027-03-10T16:00", "time_zone": "Europe/Sofia",
                                        "venue": ""}).status_code == 302
    meeting = re.search(r'id="meeting-([0-9a-f-]{36})"', olga.get(meetings).text).group(1)
    minutes = f"/meetings/{meeting}/minutes"
    assert minutes in olga.get(meetings).text
    assert "Minutes are written once the meeting has been held." in olga.get(minutes).text
    assert olga.send(minutes, "hold", {"outcome": "A joint tram study"}).status_code == 302
    assert olga.send(minutes, "revise", {"text": "1. Trams.", "note": ""}).status_code == 302
    assert olga.send(minutes, "revise", {"text": "1. Trams.\n2. Buses.", "note": "Buses added"}).status_code == 302
    shown = olga.get(minutes).text
    assert "Buses added" in shown and 'id="revision-1"' in shown
    opened = shown
    written = suite.call("PUT", "visits", f"/api/v1/meetings/{meeting}/minutes", {"text": "1. Trams only."},
                         roles="protocol", headers={"If-Match": '"2"'})
    assert written.status == 200, written.json
    stale = olga.send(minutes, "revise", {"text": "1. Trams.\n2. Buses.\n3. Bicycles."}, opened=opened)
    assert stale.status_code == 422
    assert "Someone changed this meanwhile (minutes)" in stale.text and "3. Bicycles." in stale.text
    revisions = suite.call("GET", "visits", f"/api/v1/meetings/{meeting}/minutes/revisions").json["items"]
    assert [revision["number"] for revision in revisions] == [1, 2, 3]


def test_a_visit_report_is_written_changed_keeping_its_follow_ups_and_submitted_from_the_visits_report_page(
        console, suite, olga):
    page = new_visit(olga)
    visit_id = page.rsplit("/", 1)[1]
    report = f"{page}/report"
    assert "The report is written once the visit has begun." in olga.get(report).text
    bump(suite, f"/visits/{visit_id}/confirm", {}, "1", method="POST")
    bump(suite, f"/visits/{visit_id}/start", {}, "2", method="POST")
    refused = olga.send(report, "write", {"outcome": "A tech forum", "agreements": "",
                                          "follow_ups": "soon; Maria Ivanova; ; Send the concept"})
    assert refused.status_code == 422 and "Send the concept" in refused.text  # what was typed is kept
    assert http("GET", suite.url("visits", f"/api/v1/visits/{visit_id}/report"),
                token=suite.token("protocol")).status == 404
    written = olga.send(report, "write", {"outcome": "A tech forum", "agreements": "",
                                          "follow_ups": "2027-04-15; Maria Ivanova; International Relations; "
                                                        "Send the concept\n2027-03-20; Petar Georgiev; ; Thank-you"})
    assert written.status_code == 302, written.text
    before = http("GET", suite.url("visits", f"/api/v1/visits/{visit_id}/report"), token=suite.token("protocol")).json
    changed = olga.send(report, "change", {"outcome": "A tech forum in 2028",
                                           "follow_ups": "2027-05-01; Maria Ivanova; International Relations; "
                                                         "Send the concept"})
    assert changed.status_code == 302, changed.text
    after = http("GET", suite.url("visits", f"/api/v1/visits/{visit_id}/report"), token=suite.token("protocol")).json
    assert [(f["id"], f["due_on"]) for f in after["follow_ups"]] == [(before["follow_ups"][0]["id"], "2027-05-01")]
    assert olga.send(report, "submit", {}).status_code == 302
    shown = olga.get(report).text
    assert "Its follow-ups are in the consolidated plan." in shown and 'id="revise"' in shown
    assert "Maria Ivanova" in shown and 'id="change"' not in shown


def test_a_visit_registered_confidential_at_the_console_is_absent_for_a_colleague_until_it_is_made_open(console,
                                                                                                         olga):
    name = "Delegation of Kyoto, a confidential visit"
    page = new_visit(olga, delegation_name=name, confidentiality="confidential", need_to_know_people="mila",
                     need_to_know_roles=["auditor"])
    shown = olga.get(page).text
    assert "Confidential</span>" in shown and 'value="mila"' in shown
    assert re.search(r'value="auditor" checked', shown)
    petar, mila = Person(console.url("")), Person(console.url(""))
    petar.sign_in("petar", ["protocol"])
    mila.sign_in("mila", ["protocol"])
    assert name not in petar.get("/visits").text and name in mila.get("/visits").text
    assert name not in petar.get("/visits/export/csv").text
    assert petar.get(page).status_code == 404

    opened = olga.submit(page, f"{page}/edit", {**VISIT, "delegation_name": name, "version": "1",
                                                "confidentiality": "open"})
    assert opened.status_code == 302, opened.text
    assert name in petar.get("/visits").text
    assert "Confidential</span>" not in petar.get(page).text


def test_a_meeting_planned_confidential_on_a_visits_page_is_shown_to_whoever_planned_it_and_not_to_a_colleague(
        console, olga):
    page = new_visit(olga)
    meetings = f"{page}/meetings"
    planned = olga.send(meetings, "plan", {"title": "Talks on the consulate's move", "official": "Mayor",
                                           "guests": "M. Durand", "country": "FR", "starts_at": "2027-03-12T15:00",
                                           "ends_at": "2027-03-12T16:00", "time_zone": "Europe/Sofia", "venue": "",
                                           "confidentiality": "confidential"})
    assert planned.status_code == 302, planned.text
    shown = olga.get(meetings).text
    assert "Talks on the consulate&#39;s move" in shown and "Confidential</span>" in shown
    petar = Person(console.url(""))
    petar.sign_in("petar", ["protocol"])
    assert "consulate" not in petar.get(meetings).text
