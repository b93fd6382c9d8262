"""Outcomes reach the plan (decision 0155): a visit report's follow-ups and a meeting's follow-ups are plan items,
an approved trip is one that moves with the trip; each item says where it came from and links back."""

import pytest

from services.outreach.tests.conftest import cloud_event
from shared.bus.consumer import PoisonMessage

VISIT_ID = "5b6c7d8e-3333-4000-8000-000000000001"
REPORT_ID = "5b6c7d8e-3333-4000-8000-000000000002"
FORUM, LETTER = "5b6c7d8e-3333-4000-8000-0000000000f1", "5b6c7d8e-3333-4000-8000-0000000000f2"
MEETING_ID = "5b6c7d8e-3333-4000-8000-0000000000a1"
TRIP_ID = "5b6c7d8e-3333-4000-8000-0000000000b1"


def report(*follow_ups, status="submitted"):
    return {"id": REPORT_ID, "visit_id": VISIT_ID, "delegation_name": "Delegation of the City of Lyon",
            "country": "FR", "partner_id": "partner-lyon", "status": status, "outcome": "A tech forum",
            "agreements": None, "follow_ups": list(follow_ups), "version": 3}


def follow_up(follow_up_id, title, due_on="2027-04-15", department="Directorate of International Relations",
              owner="Maria Ivanova"):
    return {"id": follow_up_id, "title": title, "owner": owner, "department": department, "due_on": due_on}


def trip(status, **changes):
    return {"id": TRIP_ID, "title": "Mayor's visit to Sofia", "department": "Mayor's Office", "country": "BG",
            "starts_on": "2027-05-20", "ends_on": "2027-05-23", "partner_id": "partner-sofia", "status": status,
            **changes}


def meeting_follow_up(done_at=None, **changes):
    return {"meeting_id": MEETING_ID, "partner_id": "partner-osaka", "country": "JP",
            "follow_up": {"id": FORUM, "title": "Send the tech forum concept", "responsible_body": "Culture",
                          "due_on": "2027-04-15", "done_at": done_at, **changes}}


def send(outreach, event_type, data, day):
    return outreach.deliver(cloud_event(event_type, data, time=f"2027-{day}T10:00:00Z"))


def items(outreach, source):
    response = outreach.call("GET", f"/api/v1/plan-items?source={source}&sort=due_on", roles="mayor-office")
    assert response.status_code == 200, response.json
    return response.json["items"]


SUBMITTED = "chancery.visits.visit-report.submitted.v1"


def test_a_submitted_visit_reports_follow_ups_are_plan_items_linking_back_to_the_report(outreach):
    send(outreach, "chancery.visits.visit-report.drafted.v1", report(follow_up(FORUM, "Forum"), status="draft"),
         "03-12")
    assert items(outreach, "visit_report") == []
    send(outreach, SUBMITTED, report(follow_up(FORUM, "Send the forum concept"),
                                     follow_up(LETTER, "Thank-you letter", "2027-03-20", department=None)), "03-13")
    letter, forum = items(outreach, "visit_report")
    assert (forum["activity"], forum["responsible_body"], forum["due_on"], forum["partner_id"]) == (
        "Send the forum concept", "Directorate of International Relations", "2027-04-15", "partner-lyon")
    assert letter["responsible_body"] == "Maria Ivanova"  # the owner, where the department is not known
    assert forum["origin"] == {"kind": "visit_report", "id": REPORT_ID, "service": "visits",
                               "href": f"/api/v1/visits/{VISIT_ID}/report"}


def test_a_resubmitted_report_moves_and_withdraws_its_items_and_a_late_or_redelivered_event_changes_nothing(
        outreach):
    first = cloud_event(SUBMITTED, report(follow_up(FORUM, "Forum"), follow_up(LETTER, "Letter")),
                        time="2027-03-13T10:00:00Z")
    assert outreach.deliver(first)
    send(outreach, SUBMITTED, report(follow_up(FORUM, "Forum", due_on="2027-06-01")), "03-20")
    before = items(outreach, "visit_report")
    writes = outreach.writes()
    assert outreach.deliver(first) is False  # redelivered: the inbox has it
    send(outreach, SUBMITTED, report(follow_up(FORUM, "Forum"), follow_up(LETTER, "Letter")), "03-14")  # late
    assert items(outreach, "visit_report") == before and outreach.writes() == writes
    withdrawn, moved = before  # by due date
    assert (moved["due_on"], moved["status"]) == ("2027-06-01", "planned")
    assert (withdrawn["status"], withdrawn["status_reason"]) == (
        "cancelled", "no longer among the visit report's follow-ups")


def test_a_meetings_follow_up_is_a_plan_item_completed_when_the_follow_up_is_done(outreach):
    send(outreach, "chancery.visits.meeting-follow-up.added.v1", meeting_follow_up(), "02-01")
    [planned] = items(outreach, "meeting_follow_up")
    assert (planned["activity"], planned["responsible_body"], planned["starts_on"], planned["status"]) == (
        "Send the tech forum concept", "Culture", None, "planned")
    assert planned["origin"] == {"kind": "meeting_follow_up", "id": FORUM, "service": "visits",
                                 "href": f"/api/v1/meetings/{MEETING_ID}"}
    send(outreach, "chancery.visits.meeting-follow-up.completed.v1",
         meeting_follow_up(done_at="2027-04-10T12:00:00Z"), "04-10")
    [done] = items(outreach, "meeting_follow_up")
    assert (done["status"], done["progress"]) == ("done", 100)


def test_a_meetings_follow_up_moved_moves_its_item_and_removed_withdraws_it(outreach):
    send(outreach, "chancery.visits.meeting-follow-up.added.v1", meeting_follow_up(), "02-01")
    send(outreach, "chancery.visits.meeting-follow-up.updated.v1", meeting_follow_up(due_on="2027-05-02"), "02-03")
    assert [i["due_on"] for i in items(outreach, "meeting_follow_up")] == ["2027-05-02"]
    send(outreach, "chancery.visits.meeting-follow-up.added.v1", meeting_follow_up(), "02-02")  # late
    assert [i["due_on"] for i in items(outreach, "meeting_follow_up")] == ["2027-05-02"]
    send(outreach, "chancery.visits.meeting-follow-up.removed.v1", meeting_follow_up(due_on="2027-05-02"), "02-04")
    [withdrawn] = items(outreach, "meeting_follow_up")
    assert (withdrawn["status"], withdrawn["status_reason"]) == (
        "cancelled", "the follow-up was removed from its meeting")


def test_an_approved_trip_is_a_plan_item_that_moves_and_is_withdrawn_and_restored_with_the_trip(outreach):
    for action, day in (("created", "01-10"), ("submitted", "01-11"), ("step-approved", "01-12")):
        send(outreach, f"chancery.trips.trip.{action}.v1", trip("submitted" if action != "created" else "draft"),
             day)
    assert items(outreach, "trip") == []
    send(outreach, "chancery.trips.trip.approved.v1", trip("approved"), "01-13")
    [planned] = items(outreach, "trip")
    assert (planned["activity"], planned["responsible_body"], planned["starts_on"], planned["due_on"],
            planned["origin"]["href"]) == ("Mayor's visit to Sofia", "Mayor's Office", "2027-05-20", "2027-05-23",
                                           f"/api/v1/trips/{TRIP_ID}")
    send(outreach, "chancery.trips.trip.updated.v1", trip("approved", starts_on="2027-06-01", ends_on="2027-06-04"),
         "02-01")
    assert [(i["starts_on"], i["due_on"]) for i in items(outreach, "trip")] == [("2027-06-01", "2027-06-04")]
    send(outreach, "chancery.trips.trip.cancelled.v1", trip("cancelled", starts_on="2027-06-01",
                                                            ends_on="2027-06-04"), "02-02")
    [withdrawn] = items(outreach, "trip")
    assert (withdrawn["status"], withdrawn["status_reason"]) == ("cancelled", "the trip was cancelled")
    send(outreach, "chancery.trips.trip.reopened.v1", trip("approved"), "02-03")
    assert items(outreach, "trip")[0]["status"] == "planned"


def test_a_confidential_trip_approved_becomes_a_plan_item_when_it_is_released(outreach):
    # outreach does not hear the withheld trip's events; its release carries the whole trip (decision 0190)
    send(outreach, "chancery.trips.trip.released.v1", trip("approved"), "01-20")
    [planned] = items(outreach, "trip")
    assert (planned["activity"], planned["status"]) == ("Mayor's visit to Sofia", "planned")


def test_a_closed_trip_completes_its_item_and_reopening_it_does_not_take_the_item_back(outreach):
    send(outreach, "chancery.trips.trip.approved.v1", trip("approved"), "01-13")
    send(outreach, "chancery.trips.trip.closed.v1", trip("closed"), "05-30")
    assert [(i["status"], i["progress"]) for i in items(outreach, "trip")] == [("done", 100)]
    send(outreach, "chancery.trips.trip.reopened.v1", trip("approved"), "06-01")
    assert items(outreach, "trip")[0]["status"] == "done"


@pytest.mark.parametrize("event_type, data", [
    (SUBMITTED, report({"id": FORUM, "title": "Forum", "owner": " ", "department": None, "due_on": "2027-04-15"})),
    ("chancery.visits.meeting-follow-up.added.v1", meeting_follow_up(due_on="soon")),
    ("chancery.trips.trip.approved.v1", trip("approved", department=None)),
])
def test_a_feeding_event_without_what_its_items_need_is_poison_and_changes_nothing(outreach, event_type, data):
    with pytest.raises(PoisonMessage):
        send(outreach, event_type, data, "03-13")
    assert outreach.call("GET", "/api/v1/plan-items", roles="mayor-office").json["total"] == 0
