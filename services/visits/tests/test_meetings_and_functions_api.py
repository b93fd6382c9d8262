"""Meetings with foreign guests (briefing, talking points, outcome, follow-ups, minutes with revisions) and
official functions (invitees with RSVP, press accreditation)."""

import pytest

from services.visits.tests.support import assert_problem, audit_actions, create_visit, outbox, post

MEETING = {"title": "The Mayor receives the Ambassador of Japan", "official": "Mayor of Sofia",
           "guests": ["H.E. Kenji Sato, Ambassador of Japan"], "country": "JP", "partner_id": "partner-osaka",
           "starts_at": "2027-03-15T11:00:00", "ends_at": "2027-03-15T11:45:00", "time_zone": "Europe/Sofia",
           "briefing_notes": "The Embassy supports the school exchange; do not raise the visa question.",
           "talking_points": ["Thank the Embassy for the cherry trees", "Propose a tech forum in 2028"]}
FORUM = {"kind": "coordinating_meeting", "title": "Annual coordinating meeting of twin cities",
         "starts_at": "2027-11-20T10:00:00", "ends_at": "2027-11-20T17:00:00", "time_zone": "Europe/Sofia",
         "venue": "Sofia City Hall, Ceremonial Hall", "press_open": True}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


@pytest.fixture
def meeting(visits):
    return post(visits, "/api/v1/meetings", MEETING)


def test_a_planned_meeting_keeps_its_briefing_internal_and_its_event_says_who_met_whom(visits, meeting):
    assert meeting["status"] == "planned" and meeting["starts_at"] == "2027-03-15T09:00:00Z"
    assert meeting["talking_points"][1] == "Propose a tech forum in 2028"
    [event] = outbox(visits, "chancery.visits.meeting.")
    assert (event["data"]["official"], event["data"]["partner_id"], event["data"]["country"]) == (
        "Mayor of Sofia", "partner-osaka", "JP")
    assert "visa question" not in repr(event) and "cherry" not in repr(event)


def test_a_held_meeting_records_its_outcome_and_cannot_be_held_or_cancelled_again(visits, meeting):
    path = f"/api/v1/meetings/{meeting['id']}"
    held = visits.call("POST", f"{path}/hold", {"outcome": "Agreed a tech forum in spring 2028"}, roles="protocol",
                       headers={"If-Match": '"1"'})
    assert (held.json["status"], held.json["outcome"]) == ("held", "Agreed a tech forum in spring 2028")
    assert assert_problem(visits.call("POST", f"{path}/hold", {"outcome": "x"}, roles="protocol"),
                          409)["allowed_actions"] == []
    assert_problem(visits.call("POST", f"{path}/cancel", roles="protocol"), 409)
    assert audit_actions(visits, meeting["id"]) == ["meeting.planned", "meeting.held"]


def test_follow_ups_are_listed_by_due_date_and_completed_once(visits, meeting):
    path = f"/api/v1/meetings/{meeting['id']}/follow-ups"
    later = post(visits, path, {"title": "Draft the forum concept", "responsible_body": "Directorate of "
                                "International Relations", "due_on": "2027-05-01"})
    post(visits, path, {"title": "Thank-you letter", "responsible_body": "Protocol", "due_on": "2027-03-20"})
    assert [f["title"] for f in visits.call("GET", path).json["items"]] == ["Thank-you letter",
                                                                           "Draft the forum concept"]
    done = visits.call("POST", f"{path}/{later['id']}/complete", roles="protocol")
    assert done.json["done_at"] is not None
    assert_problem(visits.call("POST", f"{path}/{later['id']}/complete", roles="protocol"), 409)
    events = outbox(visits, "chancery.visits.meeting-follow-up.")
    assert [e["type"].split(".")[-2] for e in events] == ["added", "added", "completed"]
    assert events[0]["data"]["partner_id"] == "partner-osaka"


def test_minutes_are_kept_in_revisions_and_a_stale_edit_is_refused(visits, meeting):
    path = f"/api/v1/meetings/{meeting['id']}"
    assert_problem(visits.call("PUT", f"{path}/minutes", {"text": "too early"}, roles="protocol"), 409)
    visits.call("POST", f"{path}/hold", {"outcome": "Agreed"}, roles="protocol")
    first = visits.call("PUT", f"{path}/minutes", {"text": "1. Greetings. 2. The forum."}, roles="protocol",
                        headers={"If-Match": '"0"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"1"'
    second = visits.call("PUT", f"{path}/minutes", {"text": "1. Greetings. 2. The tech forum, spring 2028.",
                                                    "note": "date agreed"}, roles="protocol",
                         headers={"If-Match": '"1"'})
    assert second.json["number"] == 2
    stale = visits.call("PUT", f"{path}/minutes", {"text": "an edit of the first revision"}, roles="protocol",
                        headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert visits.call("GET", f"{path}/minutes").json["text"] == "1. Greetings. 2. The tech forum, spring 2028."
    history = visits.call("GET", f"{path}/minutes/revisions", roles="mayor-office").json["items"]
    assert [(r["number"], r["note"]) for r in history] == [(1, None), (2, "date agreed")]
    assert "Greetings" not in repr(outbox(visits, "chancery.visits.meeting-minutes."))


def test_a_meeting_with_times_that_make_no_sense_is_refused(visits):
    assert_problem(visits.call("POST", "/api/v1/meetings", {**MEETING, "ends_at": "2027-03-15T10:00:00"},
                               roles="protocol"), 422, "ends_at")
    assert_problem(visits.call("POST", "/api/v1/meetings", {**MEETING, "time_zone": "Mars/Olympus"},
                               roles="protocol"), 422, "time_zone")


def test_meetings_are_listed_by_official_and_date(visits, meeting):
    post(visits, "/api/v1/meetings", {**MEETING, "official": "Deputy Mayor for Culture",
                                      "starts_at": "2027-04-01T10:00:00", "ends_at": "2027-04-01T11:00:00"})
    mayor = visits.call("GET", "/api/v1/meetings?official=Mayor%20of%20Sofia", roles="mayor-office").json
    assert [m["id"] for m in mayor["items"]] == [meeting["id"]]
    april = visits.call("GET", "/api/v1/meetings?on_or_after=2027-04-01").json["items"]
    assert [m["official"] for m in april] == ["Deputy Mayor for Culture"]


# --- official functions ---

def test_invitees_answer_and_the_counts_follow(visits):
    forum = post(visits, "/api/v1/functions", FORUM)
    path = f"/api/v1/functions/{forum['id']}"
    answers = {"Mayor of Skopje": "accepted", "Mayor of Belgrade": "tentative", "Mayor of Bucharest": "declined"}
    for name, answer in answers.items():
        invitee = post(visits, f"{path}/invitees", {"name": name, "country": "MK"})
        recorded = visits.call("PUT", f"{path}/invitees/{invitee['id']}/rsvp", {"rsvp": answer}, roles="protocol")
        assert recorded.json["rsvp"] == answer and recorded.json["responded_at"]
    post(visits, f"{path}/invitees", {"name": "Mayor of Athens"})
    counts = visits.call("GET", f"{path}/participants", roles="mayor-office").json["rsvp_counts"]
    assert counts == {"pending": 1, "accepted": 1, "declined": 1, "tentative": 1}
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.function-invitee.")].count(
        "responded") == 3


def test_someone_is_invited_only_to_the_function_as_the_caller_saw_it_when_they_name_its_version(visits):
    forum = post(visits, "/api/v1/functions", FORUM)
    path = f"/api/v1/functions/{forum['id']}"
    moved = visits.call("PATCH", path, {"venue": "Sofia City Hall, Hall 3"}, roles="protocol",
                        headers={"If-Match": '"1"'})
    assert moved.status_code == 200, moved.json
    stale = visits.call("POST", f"{path}/invitees", {"name": "Mayor of Skopje"}, roles="protocol",
                        headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert visits.call("GET", f"{path}/participants", roles="protocol").json["invitees"] == []
    post(visits, f"{path}/invitees", {"name": "Mayor of Skopje"}, headers={"If-Match": '"2"'})
    post(visits, f"{path}/invitees", {"name": "Mayor of Athens"})


def test_an_answer_cannot_be_set_back_to_pending(visits):
    forum = post(visits, "/api/v1/functions", FORUM)
    invitee = post(visits, f"/api/v1/functions/{forum['id']}/invitees", {"name": "Mayor of Skopje"})
    refused = visits.call("PUT", f"/api/v1/functions/{forum['id']}/invitees/{invitee['id']}/rsvp",
                          {"rsvp": "pending"}, roles="protocol")
    assert_problem(refused, 422, "rsvp")


def test_an_invitee_answers_until_the_day_of_the_function_and_not_on_it(visits):
    past = post(visits, "/api/v1/functions", {**FORUM, "starts_at": "2020-11-20T10:00:00",
                                              "ends_at": "2020-11-20T17:00:00"})
    invitee = post(visits, f"/api/v1/functions/{past['id']}/invitees", {"name": "Mayor of Skopje"})
    late = visits.call("PUT", f"/api/v1/functions/{past['id']}/invitees/{invitee['id']}/rsvp", {"rsvp": "accepted"},
                       roles="protocol")
    assert assert_problem(late, 409)["type"].endswith("/rsvp-closed")
    assert outbox(visits, "chancery.visits.function-invitee.responded") == []


def test_press_accreditation_is_approved_or_rejected_with_a_reason_once(visits):
    forum = post(visits, "/api/v1/functions", FORUM)
    path = f"/api/v1/functions/{forum['id']}/accreditations"
    bnt = post(visits, path, {"journalist": "Elena Petrova", "outlet": "BNT", "country": "BG"})
    unknown = post(visits, path, {"journalist": "J. Doe", "outlet": "Unknown blog", "country": "BG"})
    approved = visits.call("POST", f"{path}/{bnt['id']}/decide", {"approve": True}, roles="protocol")
    assert (approved.json["status"], approved.json["decided_by"]) == ("approved", "tester")
    assert_problem(visits.call("POST", f"{path}/{unknown['id']}/decide", {"approve": False}, roles="protocol"),
                   422, "reason")
    rejected = visits.call("POST", f"{path}/{unknown['id']}/decide", {"approve": False, "reason": "not a media "
                           "outlet registered in Bulgaria"}, roles="protocol")
    assert rejected.json["status"] == "rejected"
    assert_problem(visits.call("POST", f"{path}/{bnt['id']}/decide", {"approve": False, "reason": "x"},
                               roles="protocol"), 409)
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.press-accreditation.")] == [
        "requested", "requested", "approved", "rejected"]


def test_a_function_closed_to_the_press_accredits_nobody(visits):
    closed = post(visits, "/api/v1/functions", {**FORUM, "kind": "round_table", "press_open": False})
    refused = visits.call("POST", f"/api/v1/functions/{closed['id']}/accreditations",
                          {"journalist": "Elena Petrova", "outlet": "BNT", "country": "BG"}, roles="protocol")
    assert_problem(refused, 409)


def test_a_functions_events_carry_its_partner_and_a_visits_function_takes_the_visits_partner(visits):
    visit = create_visit(visits, starts_on="2027-11-19", ends_on="2027-11-21", partner_id="partner-lyon")
    forum = post(visits, "/api/v1/functions", {**FORUM, "visit_id": visit["id"]})
    own = post(visits, "/api/v1/functions", {**FORUM, "venue": "Sofia Tech Park", "partner_id": "partner-osaka"})
    assert (forum["partner_id"], own["partner_id"]) == ("partner-lyon", "partner-osaka")
    post(visits, f"/api/v1/functions/{forum['id']}/invitees", {"name": "Mayor of Lyon"})
    post(visits, f"/api/v1/functions/{forum['id']}/accreditations", {"journalist": "Elena Petrova", "outlet": "BNT",
                                                                      "country": "BG"})
    for prefix in ("function.", "function-invitee.", "press-accreditation."):
        assert outbox(visits, f"chancery.visits.{prefix}")[0]["data"]["partner_id"] == "partner-lyon"
    listed = visits.call("GET", "/api/v1/functions?partner_id=partner-osaka").json["items"]
    assert [f["id"] for f in listed] == [own["id"]]


def test_a_meeting_is_refused_when_its_official_is_already_in_an_agenda_item_or_a_function(visits):
    visit = create_visit(visits, starts_on="2027-11-20", ends_on="2027-11-21")
    item = post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", {
        "kind": "meeting", "title": "Talks with Lyon", "starts_at": "2027-11-21T10:00:00",
        "ends_at": "2027-11-21T11:00:00", "time_zone": "Europe/Sofia", "host_participants": ["Mayor  of sofia"]})
    post(visits, "/api/v1/functions", {**FORUM, "officials": ["Mayor of Sofia"]})
    at_forum = visits.call("POST", "/api/v1/meetings", {**MEETING, "starts_at": "2027-11-20T16:30:00",
                                                        "ends_at": "2027-11-20T17:30:00"}, roles="protocol")
    problem = assert_problem(at_forum, 409)
    assert problem["detail"].startswith("Mayor of Sofia is already in the function “Annual coordinating meeting")
    assert [(c["record"], c["reason"]) for c in problem["clashes"]] == [("function", "official")]
    in_talks = visits.call("POST", "/api/v1/meetings", {**MEETING, "starts_at": "2027-11-21T10:30:00",
                                                        "ends_at": "2027-11-21T11:30:00"}, roles="protocol")
    assert assert_problem(in_talks, 409)["clashes"][0] == {
        "item_id": item["id"], "record": "agenda-item", "visit_id": visit["id"], "title": "Talks with Lyon",
        "starts_at": "2027-11-21T08:00:00Z", "ends_at": "2027-11-21T09:00:00Z", "reason": "official",
        "who": "Mayor of Sofia"}
    held_as_the_item = post(visits, "/api/v1/meetings", {**MEETING, "visit_id": visit["id"], "agenda_item_id":
                                                         item["id"], "starts_at": "2027-11-21T10:00:00",
                                                         "ends_at": "2027-11-21T11:00:00"})
    assert held_as_the_item["status"] == "planned"
    assert [e["type"] for e in outbox(visits, "chancery.visits.meeting.")] == ["chancery.visits.meeting.planned.v1"]


def test_a_function_is_refused_when_its_venue_or_an_official_is_taken_and_a_cancelled_meeting_frees_them(visits):
    post(visits, "/api/v1/functions", FORUM)
    same_hall = visits.call("POST", "/api/v1/functions", {**FORUM, "kind": "press_conference", "title": "Press",
                                                          "starts_at": "2027-11-20T16:00:00",
                                                          "ends_at": "2027-11-20T18:00:00"}, roles="protocol")
    assert assert_problem(same_hall, 409)["clashes"][0]["reason"] == "venue"
    meeting = post(visits, "/api/v1/meetings", {**MEETING, "venue": "Mayor's office",
                                                "starts_at": "2027-11-20T18:00:00", "ends_at": "2027-11-20T19:00:00"})
    press = {**FORUM, "kind": "press_conference", "title": "Press", "venue": "Press centre",
             "officials": ["Mayor of Sofia"], "starts_at": "2027-11-20T18:30:00", "ends_at": "2027-11-20T19:30:00"}
    assert assert_problem(visits.call("POST", "/api/v1/functions", press, roles="protocol"),
                          409)["clashes"][0]["item_id"] == meeting["id"]
    visits.call("POST", f"/api/v1/meetings/{meeting['id']}/cancel", roles="protocol", headers={"If-Match": '"1"'})
    assert post(visits, "/api/v1/functions", press)["officials"] == ["Mayor of Sofia"]


def test_a_planned_meeting_moves_unless_that_clashes_and_a_held_one_stays_where_it_was(visits, meeting):
    post(visits, "/api/v1/functions", {**FORUM, "starts_at": "2027-03-15T14:00:00", "ends_at": "2027-03-15T16:00:00",
                                       "officials": ["Mayor of Sofia"]})
    path = f"/api/v1/meetings/{meeting['id']}"
    onto_the_forum = visits.call("PATCH", path, {"starts_at": "2027-03-15T15:00:00", "ends_at": "2027-03-15T15:45:00"},
                                 roles="protocol", headers={"If-Match": '"1"'})
    assert assert_problem(onto_the_forum, 409)["clashes"][0]["record"] == "function"
    moved = visits.call("PATCH", path, {"starts_at": "2027-03-15T17:00:00", "ends_at": "2027-03-15T17:45:00",
                                        "venue": "Mayor's office"}, roles="protocol", headers={"If-Match": '"1"'})
    assert (moved.json["starts_at"], moved.json["venue"], moved.json["version"]) == (
        "2027-03-15T15:00:00Z", "Mayor's office", 2)
    assert outbox(visits, "chancery.visits.meeting.updated")[0]["data"]["starts_at"] == "2027-03-15T15:00:00Z"
    visits.call("POST", f"{path}/hold", {"outcome": "Agreed"}, roles="protocol")
    assert_problem(visits.call("PATCH", path, {"starts_at": "2027-03-15T18:00:00"}, roles="protocol"), 409)
    assert visits.call("PATCH", path, {"talking_points": ["Thank the Embassy"]}, roles="protocol").status_code == 200


def test_an_agenda_item_is_refused_when_it_takes_a_venue_a_meeting_holds(visits):
    visit = create_visit(visits, starts_on="2027-03-15", ends_on="2027-03-16")
    post(visits, "/api/v1/meetings", {**MEETING, "venue": "Hall 2",
                                      "starts_at": "2027-03-15T14:00:00", "ends_at": "2027-03-15T15:00:00"})
    refused = visits.call("POST", f"/api/v1/visits/{visit['id']}/agenda-items", {
        "kind": "site_visit", "title": "Tour", "starts_at": "2027-03-15T14:30:00", "ends_at": "2027-03-15T15:30:00",
        "time_zone": "Europe/Sofia", "venue": "hall 2"}, roles="protocol")
    assert assert_problem(refused, 409)["detail"].startswith("hall 2 is already taken by the meeting “The Mayor")


def test_a_function_moves_in_its_venues_time_unless_that_clashes_and_a_cancelled_one_frees_its_hall(visits):
    forum = post(visits, "/api/v1/functions", {**FORUM, "officials": ["Mayor of Sofia"]})
    path = f"/api/v1/functions/{forum['id']}"
    post(visits, "/api/v1/meetings", {**MEETING, "starts_at": "2027-11-21T09:00:00", "ends_at": "2027-11-21T10:00:00"})
    onto_the_meeting = visits.call("PATCH", path, {"starts_at": "2027-11-21T09:30:00",
                                                   "ends_at": "2027-11-21T12:00:00"},
                                   roles="protocol", headers={"If-Match": '"1"'})
    assert assert_problem(onto_the_meeting, 409)["clashes"][0]["record"] == "meeting"
    past_its_end = visits.call("PATCH", path, {"starts_at": "2027-11-21T11:00:00"}, roles="protocol",
                               headers={"If-Match": '"1"'})  # it would still end on the 20th
    assert_problem(past_its_end, 422, "ends_at")
    moved = visits.call("PATCH", path, {"starts_at": "2027-11-21T11:00:00", "ends_at": "2027-11-21T17:00:00",
                                        "venue": "Sofia City Hall, Hall 1"}, roles="protocol",
                        headers={"If-Match": '"1"'})
    assert (moved.json["starts_at"], moved.json["venue"], moved.json["version"]) == (
        "2027-11-21T09:00:00Z", "Sofia City Hall, Hall 1", 2)
    assert_problem(visits.call("POST", f"{path}/cancel", {"reason": "x"}, roles="protocol",
                               headers={"If-Match": '"1"'}), 412)
    assert_problem(visits.call("POST", f"{path}/cancel", {}, roles="protocol"), 422, "reason")
    cancelled = visits.call("POST", f"{path}/cancel", {"reason": "the guests cannot come"}, roles="protocol",
                            headers={"If-Match": '"2"'})
    assert (cancelled.json["status"], cancelled.json["status_reason"]) == ("cancelled", "the guests cannot come")
    assert_problem(visits.call("POST", f"{path}/invitees", {"name": "Mayor of Skopje"}, roles="protocol"), 409)
    assert_problem(visits.call("POST", f"{path}/cancel", {"reason": "again"}, roles="protocol"), 409)
    same_hall = post(visits, "/api/v1/functions", {**FORUM, "venue": "Sofia City Hall, Hall 1",
                                                   "starts_at": "2027-11-21T11:00:00", "ends_at": "2027-11-21T12:00:00",
                                                   "officials": ["Mayor of Sofia"]})
    assert same_hall["status"] == "scheduled"
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.function.")] == [
        "scheduled", "updated", "cancelled", "scheduled"]
    assert [f["id"] for f in visits.call("GET", "/api/v1/functions?status=cancelled").json["items"]] == [forum["id"]]


def test_the_mayors_office_reads_meetings_and_functions_but_travel_staff_see_nothing(visits, meeting):
    assert visits.call("GET", f"/api/v1/meetings/{meeting['id']}", roles="mayor-office").status_code == 200
    assert_problem(visits.call("POST", "/api/v1/meetings", MEETING, roles="mayor-office"), 403)
    assert_problem(visits.call("GET", "/api/v1/meetings", roles="travel"), 403)
    assert_problem(visits.call("GET", "/api/v1/functions", roles="travel"), 403)


def test_an_open_follow_up_changes_or_is_removed_with_an_event_each_and_a_done_one_no_longer_changes(visits, meeting):
    path = f"/api/v1/meetings/{meeting['id']}/follow-ups"
    letter = post(visits, path, {"title": "Thank-you letter", "responsible_body": "Protocol", "due_on": "2027-03-20"})
    concept = post(visits, path, {"title": "Draft the forum concept", "responsible_body": "Culture",
                                  "due_on": "2027-05-01"})
    moved = visits.call("PATCH", f"{path}/{letter['id']}", {"due_on": "2027-03-25"}, roles="protocol",
                        headers={"If-Match": '"1"'})
    assert (moved.json["due_on"], moved.json["version"]) == ("2027-03-25", 2)
    assert_problem(visits.call("PATCH", f"{path}/{letter['id']}", {"title": None}, roles="protocol"), 422, "title")
    assert_problem(visits.call("DELETE", f"{path}/{letter['id']}", roles="protocol", headers={"If-Match": '"1"'}),
                   412)
    assert visits.call("DELETE", f"{path}/{letter['id']}", roles="protocol",
                       headers={"If-Match": '"2"'}).status_code == 204
    visits.call("POST", f"{path}/{concept['id']}/complete", roles="protocol")
    assert_problem(visits.call("PATCH", f"{path}/{concept['id']}", {"due_on": "2027-06-01"}, roles="protocol"), 409)
    assert [f["id"] for f in visits.call("GET", path).json["items"]] == [concept["id"]]
    events = outbox(visits, "chancery.visits.meeting-follow-up.")
    assert [e["type"].split(".")[-2] for e in events] == ["added", "added", "updated", "removed", "completed"]
    assert events[3]["data"]["follow_up"]["id"] == letter["id"]
