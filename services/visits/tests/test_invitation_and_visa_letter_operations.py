"""The invitation inbox and visa letters on an in-memory unit of work."""

from datetime import UTC, date, datetime

import pytest

from services.visits.domain.invitation import Location, Outcome
from services.visits.operations.invitations import (
    accept,
    assign,
    receive,
    receive_document,
    report_overdue_invitations,
    review,
)
from services.visits.operations.visa_letters import PersonalDataPurged, draft_letter, move_letter, purge_personal_data
from services.visits.store.models import OfficialFunction, Visit
from services.visits.tests.records import a_member, a_visit, recording_uow
from shared.kit.lifecycle import IllegalTransition
from shared.kit.refusals import Invalid

INVITATION = {"title": "Forum of Danube cities", "inviting_party": "City of Vienna", "country": "AT",
              "city": "Sofia", "location": Location.IN_CITY, "starts_on": date(2027, 5, 20),
              "ends_on": date(2027, 5, 21), "received_on": date(2027, 1, 20), "summary": None, "partner_id": None}
ANSWER = {"official": "Mayor of Sofia", "note": None, "becomes": None, "function": None}
FUNCTION = {"kind": "symposium", "starts_at": datetime(2027, 5, 20, 10), "ends_at": datetime(2027, 5, 20, 13),
            "time_zone": "Europe/Sofia", "venue": "Sofia Tech Park", "press_open": False}


@pytest.fixture
def uow():
    return recording_uow()


def test_the_same_document_sent_again_changes_nothing(uow):
    first = receive_document(uow, INVITATION, "doc-1")
    assert receive_document(uow, INVITATION, "doc-1") is None
    assert uow.event_types() == ["chancery.visits.invitation.received.v1"] and first.source == "city-docs"


def test_an_unread_invitation_cannot_be_accepted(uow):
    invitation = receive(uow, INVITATION, "api")
    with pytest.raises(IllegalTransition) as refused:
        accept(uow, invitation.id, ANSWER, {}, None)
    assert refused.value.allowed == ["review", "assign"] and invitation.status == "received"


def test_accepted_in_the_city_it_becomes_a_draft_visit_with_its_own_event(uow):
    invitation = receive(uow, INVITATION, "city-docs", "doc-1")
    review(uow, invitation.id, frozenset({1}))
    accept(uow, invitation.id, ANSWER, {}, frozenset({2}))
    visit = uow.session.get(Visit, invitation.visit_id)
    assert visit.status == "draft" and visit.host_official == "Mayor of Sofia"
    assert uow.event_types()[-2:] == ["chancery.visits.visit.created.v1", "chancery.visits.invitation.accepted.v1"]
    assert uow.events[-1][2]["assigned_official"] == "Mayor of Sofia"


def reviewed(uow):
    invitation = receive(uow, INVITATION, "api")
    return review(uow, invitation.id, None)


@pytest.mark.parametrize(("details", "field"), [
    ({"starts_at": datetime(2027, 6, 1, 10), "ends_at": datetime(2027, 6, 1, 11)}, "function.starts_at"),
    ({"time_zone": "Mars/Olympus"}, "function.time_zone")])
def test_what_is_wrong_with_the_function_an_invitation_becomes_is_named_under_function(uow, details, field):
    with pytest.raises(Invalid) as refused:
        accept(uow, reviewed(uow).id, {**ANSWER, "becomes": Outcome.FUNCTION, "function": {**FUNCTION, **details}},
               {}, None)
    assert refused.value.field == field


def test_accepted_as_a_function_the_official_takes_part(uow):
    invitation = reviewed(uow)
    accept(uow, invitation.id, {**ANSWER, "becomes": Outcome.FUNCTION, "function": FUNCTION}, {}, None)
    assert uow.session.get(OfficialFunction, invitation.function_id).officials == ["Mayor of Sofia"]


def test_an_invitation_past_its_deadline_is_reported_overdue_once(uow):
    invitation = receive(uow, INVITATION, "api")
    assign(uow, invitation.id, "Department of Culture", "department", date(2027, 2, 10), {}, None)
    later = datetime(2027, 2, 12, tzinfo=UTC)
    report_overdue_invitations(uow, later)
    report_overdue_invitations(uow, later)
    assert uow.event_types().count("chancery.visits.invitation.overdue.v1") == 1
    assert uow.events[-1][2]["overdue"] is True


def letter_fields(member, **fields):
    return {"member_id": member.id, "language": "en", "consulate": "Embassy of Bulgaria",
            "passport_number": "EA1234567", "date_of_birth": date(1971, 8, 23), "place_of_birth": "Lyon",
            "passport_expires_on": date(2031, 5, 1), **fields}


def test_a_passport_expiring_before_the_visit_ends_is_refused(uow):
    visit = a_visit(uow)
    with pytest.raises(Invalid) as refused:
        draft_letter(uow, visit.id, letter_fields(a_member(uow, visit), passport_expires_on=date(2027, 3, 11)))
    assert refused.value.field == "passport_expires_on"


def test_an_issued_letter_has_a_registry_number_and_its_events_no_personal_data(uow):
    visit = a_visit(uow)
    letter = draft_letter(uow, visit.id, letter_fields(a_member(uow, visit)))
    for action in ("submit", "approve", "issue"):
        move_letter(uow, visit.id, letter.id, action, None, None)
    assert letter.registry_number == "VL-2027-00001" and letter.issued_on == date(2027, 2, 1)
    assert all("passport_number" not in str(data) for _, _, data in uow.events)


def test_a_purged_letter_is_not_issued(uow):
    visit = a_visit(uow)
    letter = draft_letter(uow, visit.id, letter_fields(a_member(uow, visit)))
    move_letter(uow, visit.id, letter.id, "submit", None, None)
    move_letter(uow, visit.id, letter.id, "approve", None, None)
    purge_personal_data(uow, datetime(2027, 5, 1, tzinfo=UTC), 30)
    assert letter.passport_number is None and uow.event_types()[-1] == "chancery.visits.visa-letter.purged.v1"
    with pytest.raises(PersonalDataPurged):
        move_letter(uow, visit.id, letter.id, "issue", None, None)
