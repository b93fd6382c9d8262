"""What waits across visits, for a desk: visa letters by status (always masked) and follow-ups due, every visit's
and meeting's at once, paginated and for the visits readers only."""

import pytest

from services.visits.tests.support import assert_problem, audit_actions, create_visit, post

LETTER = {"language": "en", "consulate": "Consular Section of the Embassy of Bulgaria in Paris",
          "passport_number": "FR1234567", "date_of_birth": "1970-01-02", "place_of_birth": "Lyon"}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


def visit_with_member(visits, name):
    visit = create_visit(visits, delegation_name=name)
    member = post(visits, f"/api/v1/visits/{visit['id']}/members", {
        "role": "head", "name_original": "Jean Dupont", "name_latin": "Jean Dupont", "country": "FR"})
    return visit, member


def letter(visits, visit, member, *actions):
    drafted = post(visits, f"/api/v1/visits/{visit['id']}/visa-letters", {**LETTER, "member_id": member["id"]})
    for action in actions:
        response = visits.call("POST", f"/api/v1/visits/{visit['id']}/visa-letters/{drafted['id']}/{action}")
        assert response.status_code == 200, response.json
    return drafted


def test_letters_in_review_of_every_visit_are_listed_masked_and_the_list_is_no_read_of_personal_data(visits):
    lyon, lyon_head = visit_with_member(visits, "Delegation of Lyon")
    nice, nice_head = visit_with_member(visits, "Delegation of Nice")
    waiting = [letter(visits, lyon, lyon_head, "submit"), letter(visits, nice, nice_head, "submit")]
    letter(visits, nice, nice_head)
    listed = visits.call("GET", "/api/v1/visa-letters?status=in_review", roles="mayor-office").json
    assert {item["id"] for item in listed["items"]} == {item["id"] for item in waiting}
    assert listed["total"] == 2
    assert {item["passport_number"] for item in listed["items"]} == {"•••••••67"}
    assert all(item["personal_data_masked"] for item in listed["items"])
    assert "personal-data.read" not in audit_actions(visits, waiting[0]["id"])
    one_visit = visits.call("GET", f"/api/v1/visa-letters?visit_id={nice['id']}", roles="protocol").json
    assert one_visit["total"] == 2


def test_the_list_of_letters_is_paginated_and_refuses_an_unknown_status_naming_the_field(visits):
    lyon, head = visit_with_member(visits, "Delegation of Lyon")
    for _ in range(3):
        letter(visits, lyon, head)
    page = visits.call("GET", "/api/v1/visa-letters?page_size=2&page=2").json
    assert (len(page["items"]), page["total"], page["page"]) == (1, 3, 2)
    assert_problem(visits.call("GET", "/api/v1/visa-letters?status=lost"), 422, "status")


def test_open_follow_ups_due_by_a_day_come_from_every_meeting_with_their_meeting_and_visit(visits):
    visit = create_visit(visits)
    meeting = post(visits, "/api/v1/meetings", {
        "title": "The Mayor receives the Deputy Mayor of Lyon", "official": "Mayor of Sofia", "guests": ["M. Durand"],
        "country": "FR", "visit_id": visit["id"], "starts_at": "2027-03-11T11:00:00",
        "ends_at": "2027-03-11T11:45:00", "time_zone": "Europe/Sofia"})
    other = post(visits, "/api/v1/meetings", {
        "title": "Call on the Ambassador", "official": "Deputy Mayor", "guests": ["H.E. A. B."], "country": "JP",
        "starts_at": "2027-03-12T11:00:00", "ends_at": "2027-03-12T11:45:00", "time_zone": "Europe/Sofia"})
    due = post(visits, f"/api/v1/meetings/{meeting['id']}/follow-ups",
               {"title": "Send the photos", "responsible_body": "Protocol", "due_on": "2027-03-20"})
    done = post(visits, f"/api/v1/meetings/{other['id']}/follow-ups",
                {"title": "Thank-you letter", "responsible_body": "Protocol", "due_on": "2027-03-19"})
    post(visits, f"/api/v1/meetings/{other['id']}/follow-ups",
         {"title": "Forum concept", "responsible_body": "Protocol", "due_on": "2027-06-01"})
    visits.call("POST", f"/api/v1/meetings/{other['id']}/follow-ups/{done['id']}/complete")
    listed = visits.call("GET", "/api/v1/follow-ups?done=false&due_until=2027-03-31", roles="mayor-office").json
    assert [(item["id"], item["meeting_title"], item["visit_id"]) for item in listed["items"]] == [
        (due["id"], meeting["title"], visit["id"])]
    assert visits.call("GET", f"/api/v1/follow-ups?visit_id={visit['id']}").json["total"] == 1
    assert visits.call("GET", "/api/v1/follow-ups?sort=-due_on").json["items"][0]["title"] == "Forum concept"


@pytest.mark.parametrize("path", ["/api/v1/visa-letters", "/api/v1/follow-ups"])
def test_the_lists_across_visits_are_the_visits_readers_only(visits, path):
    assert_problem(visits.call("GET", path, roles="travel"), 403)
    assert visits.call("GET", path, roles="mayor-office").status_code == 200
    assert visits.client.get(path).status_code == 401
