"""Every record type's event contents, built from real records by events/contents.py, follow its JSON Schema:
a schema and its builder that disagree fail here."""

from datetime import date

import pytest

from services.visits.app import SPEC
from services.visits.domain.invitation import Location, Outcome
from services.visits.domain.meetings import Rsvp
from services.visits.domain.protocol import DEFAULT_RANK_TABLE
from services.visits.domain.visa_letters import LetterStatus
from services.visits.events import RECORDS
from services.visits.operations import (
    checklist,
    delegation,
    functions,
    gifts,
    interpreters,
    invitations,
    meetings,
    officials,
    protocol,
    reports,
    visa_letters,
)
from services.visits.operations.visits import move_visit
from services.visits.tests.records import (
    GIFT,
    a_function,
    a_meeting,
    a_member,
    a_visit,
    an_agenda_item,
    recording_uow,
)

INVITATION = {"title": "Forum of Danube cities", "inviting_party": "City of Vienna", "country": "AT",
              "city": "Sofia", "location": Location.IN_CITY, "starts_on": date(2027, 5, 20),
              "ends_on": date(2027, 5, 21), "received_on": date(2027, 1, 20), "summary": None, "partner_id": None}


def the_visit_and_its_people(uow):
    visit = a_visit(uow)
    move_visit(uow, visit.id, "confirm", None, None)
    head = a_member(uow, visit)
    guest = a_member(uow, visit, role="member", name_latin="Anne Martin", rank=None)
    item = an_agenda_item(uow, visit, [head.id, guest.id])
    protocol.replace_rank_table(uow, DEFAULT_RANK_TABLE, None)
    protocol.generate_seating_plan(uow, visit.id, {"title": "Lunch", "agenda_item_id": item.id, "guest_ids": None,
                                                   "hosts": [{"name": "Mayor of Sofia", "rank": "mayor",
                                                              "principal": True}]}, {})
    protocol.set_flags(uow, visit.id, ["FR", "BG"], None)
    interpreter = interpreters.register_interpreter(uow, "Mariya Ivanova", ["fr-bg"], ["consecutive"], {})
    interpreters.add_need(uow, visit.id, {"agenda_item_id": item.id, "language_pair": "bg-fr",
                                          "mode": "consecutive", "interpreter_id": interpreter.id}, {})
    gifts.register_gift(uow, visit.id, GIFT, {})
    task = checklist.add_task(uow, visit.id, {"title": "Order the flags", "owner": "ivan",
                                              "due_on": date(2027, 3, 3)}, {})
    checklist.complete_task(uow, visit.id, task.id, None)
    letter = visa_letters.draft_letter(uow, visit.id, {
        "member_id": head.id, "language": "en", "consulate": "Embassy of Bulgaria",
        "passport_number": "EA1234567", "date_of_birth": date(1971, 8, 23), "place_of_birth": "Lyon",
        "passport_expires_on": date(2031, 5, 1)})
    for action in ("submit", "approve", "issue"):
        visa_letters.move_letter(uow, visit.id, letter.id, action, None, None)
    assert letter.status == LetterStatus.ISSUED
    delegation.remove_member(uow, visit.id, guest.id, None)
    move_visit(uow, visit.id, "start", None, None)
    reports.write_report(uow, visit.id, {"outcome": "A tech forum", "agreements": None, "follow_ups": [
        {"title": "Send the concept", "owner": "Maria Ivanova", "department": None, "due_on": date(2027, 4, 15)}]}, {})
    reports.move_report(uow, visit.id, "submit", None, None)


def the_meetings_functions_and_invitations(uow):
    official = officials.register_official(uow, {"id": "sub-mayor", "display_name": "Ivan Sergeev",
                                                 "offices": ["Mayor"], "aliases": ["Mayor of Sofia"]}, {})
    officials.update_official(uow, official.id, {"offices": ["Mayor", "Chair of the council"]}, {}, None)
    meeting = a_meeting(uow)
    meetings.hold_meeting(uow, meeting.id, "A tech forum in 2028", {}, None)
    follow_up = meetings.add_follow_up(uow, meeting.id, {"title": "Send the concept", "responsible_body": "IRD",
                                                         "due_on": date(2027, 4, 15)}, {})
    meetings.complete_follow_up(uow, meeting.id, follow_up.id, None)
    meetings.revise_minutes(uow, meeting.id, "The Mayor thanked the Embassy.", None, frozenset({0}))
    function = a_function(uow)
    invitee = functions.invite(uow, function.id, {"name": "Ivan Petrov", "organisation": None, "country": "BG"}, {},
                                None)
    functions.record_rsvp(uow, function.id, invitee.id, Rsvp.ACCEPTED, {}, None)
    accreditation = functions.request_accreditation(uow, function.id, {"journalist": "Ana", "outlet": "BNT",
                                                                       "country": "BG"}, {})
    functions.decide(uow, function.id, accreditation.id, True, None, {}, None)
    invitation = invitations.receive(uow, INVITATION, "api")
    invitations.assign(uow, invitation.id, "Mayor of Sofia", "official", date(2027, 4, 20), {}, None)
    invitations.accept(uow, invitation.id, {"official": None, "note": None, "becomes": Outcome.VISIT,
                                            "function": None}, {}, None)


@pytest.fixture(scope="module")
def events():
    uow = recording_uow()
    the_visit_and_its_people(uow)
    the_meetings_functions_and_invitations(uow)
    return uow.events


def test_an_engagement_names_the_registered_officials_its_names_stand_for(events):
    [planned] = [data for event_type, _, data in events if event_type == "chancery.visits.meeting.planned.v1"]
    assert planned["official_ids"] == ["sub-mayor"]


@pytest.mark.parametrize("record", list(RECORDS))
def test_each_record_types_events_are_built_from_its_records_and_follow_its_schema(events, record):
    built = [(event_type, data) for event_type, _, data in events if event_type.split(".")[2] == record]
    assert built, f"no {record} event was recorded"
    for event_type, data in built:
        SPEC.catalog.validate(event_type, data)


def test_a_removed_member_names_what_they_were_taken_off_and_others_do_not(events):
    members = {event_type.split(".")[3]: data for event_type, _, data in events if ".delegation-member." in event_type}
    assert set(members["removed"]["removed_from"]) == {"agenda_item_ids", "seating_plan_ids"}
    assert "removed_from" not in members["added"]
    assert "dietary_needs" not in members["added"]["member"]
