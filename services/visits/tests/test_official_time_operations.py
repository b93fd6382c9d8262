"""The officials' time abroad as trips' events tell it (decision 0131): a trip's newest version only, and the
meetings, functions and agenda items it refuses or lets through with an audited override."""

from datetime import UTC, datetime

import pytest

from services.visits.domain.officials import NameTaken, OfficialBusy
from services.visits.operations import functions, officials
from services.visits.store.models import TripAbsence
from services.visits.tests.records import NOW, a_function, a_meeting, a_visit, an_agenda_item, recording_uow
from shared.kit.withholding import Viewer, may_know

TRIP_ID = "3c9a7f2e-5b1d-4e8a-9f6c-2d4b8a1e7c30"


def trip(version: int, status: str = "approved", **fields) -> dict:
    return {"id": TRIP_ID, "title": "Mayor's visit to Vienna", "status": status, "countries": ["AT"],
            "starts_on": "2027-03-14", "ends_on": "2027-03-16", "version": version,
            "officials": [{"official_id": "sub-mayor", "name": "Ivan Sergeev"}], **fields}


@pytest.fixture
def uow():
    uow = recording_uow()
    officials.register_official(uow, {"id": "sub-mayor", "display_name": "Ivan Sergeev", "offices": ["Mayor"],
                                      "aliases": ["Mayor of Sofia"]}, {})
    return uow


def test_a_trip_event_older_than_the_trip_kept_changes_nothing(uow):
    officials.note_trip(uow, trip(3))
    officials.note_trip(uow, trip(2, "cancelled", title="An older title"))
    officials.note_trip(uow, trip(3, "cancelled"))
    kept = uow.session.get(TripAbsence, TRIP_ID)
    assert (kept.status, kept.title, kept.version) == ("approved", "Mayor's visit to Vienna", 3)
    officials.note_trip(uow, trip(4, "cancelled"))
    assert uow.session.get(TripAbsence, TRIP_ID).status == "cancelled"


def test_a_meeting_of_an_alias_of_an_official_abroad_is_refused_naming_the_trip(uow):
    officials.note_trip(uow, trip(3))
    with pytest.raises(OfficialBusy) as refused:
        a_meeting(uow)  # "Mayor of Sofia" on 15 March
    assert refused.value.slug == "official-busy"
    assert [found["trip_id"] for found in refused.value.extensions["trips"]] == [TRIP_ID]
    assert "Mayor's visit to Vienna" in str(refused.value)


def test_a_trip_not_approved_holds_nobody(uow):
    officials.note_trip(uow, trip(2, "submitted"))
    assert a_meeting(uow).official == "Mayor of Sofia"


def test_a_function_placed_over_a_trip_with_a_reason_keeps_the_reason_and_the_trip_in_the_audit_trail(uow):
    officials.note_trip(uow, trip(3))
    function = a_function(uow, officials=["ivan sergeev"], starts_at=datetime(2027, 3, 16, 10),
                          ends_at=datetime(2027, 3, 16, 12), override_reason="He opens it by video link")
    [(action, record, record_id, changes)] = [audit for audit in uow.audits if audit[0].startswith("official-busy")]
    assert (action, record, record_id) == ("official-busy.overridden", "function", function.id)
    assert changes["reason"] == "He opens it by video link" and changes["trips"][0]["trip_id"] == TRIP_ID
    with pytest.raises(OfficialBusy):
        functions.update_function(uow, function.id, {"title": "Opening"}, {}, None)


def test_an_agenda_item_on_the_day_after_the_trip_is_free(uow):
    officials.note_trip(uow, trip(3, starts_on="2027-03-08", ends_on="2027-03-09"))
    visit = a_visit(uow)
    assert an_agenda_item(uow, visit, []).host_participants == ["Mayor of Sofia"]


def test_no_two_officials_answer_to_one_name(uow):
    with pytest.raises(NameTaken):
        officials.register_official(uow, {"id": "sub-deputy", "display_name": "Petar Ivanov", "offices": [],
                                          "aliases": ["mayor of  SOFIA"]}, {})


SECRET = {"confidential": True, "embargoed": False, "embargoed_until": None,
          "need_to_know": {"people": ["vera"], "roles": ["mayor-office"]}}


def viewing(uow, subject: str, *roles: str) -> None:
    uow.session.info["viewer"] = Viewer(subject, frozenset(roles), NOW)


def test_a_confidential_trip_refuses_a_meeting_naming_only_its_id_to_whoever_may_not_know_of_it(uow):
    officials.note_trip(uow, trip(3, **SECRET))
    viewing(uow, "olga", "protocol")
    with pytest.raises(OfficialBusy) as refused:
        a_meeting(uow)
    assert refused.value.extensions["trips"] == [{"trip_id": TRIP_ID, "official": "Ivan Sergeev",
                                                  "starts_on": "2027-03-14", "ends_on": "2027-03-16"}]
    assert "Vienna" not in str(refused.value) and TRIP_ID in str(refused.value)
    viewing(uow, "mira", "mayor-office")
    with pytest.raises(OfficialBusy) as told:
        a_meeting(uow)
    assert "Mayor's visit to Vienna" in str(told.value)


def test_a_withheld_trips_release_fills_in_its_title_and_a_late_withheld_event_does_not_undo_it(uow):
    officials.note_trip(uow, trip(3, **SECRET))
    viewing(uow, "olga", "protocol")
    kept = uow.session.get(TripAbsence, TRIP_ID)
    assert not may_know(kept, uow.session.info["viewer"])

    officials.note_trip(uow, trip(3))  # trips' released event: the same version, no marking
    officials.note_trip(uow, trip(3, **SECRET, title="A late withheld event"))
    kept = uow.session.get(TripAbsence, TRIP_ID)
    assert may_know(kept, uow.session.info["viewer"]) and kept.title == "Mayor's visit to Vienna"


def test_an_embargoed_trip_is_known_to_everyone_once_its_embargo_passes(uow):
    officials.note_trip(uow, trip(3, confidential=False, embargoed=True, embargoed_until="2027-01-01T10:00:00Z",
                                  need_to_know={"people": ["vera"], "roles": []}))
    kept = uow.session.get(TripAbsence, TRIP_ID)
    before, after = (Viewer("olga", frozenset({"protocol"}), moment)
                     for moment in (datetime(2027, 1, 1, 9, tzinfo=UTC), datetime(2027, 1, 1, 11, tzinfo=UTC)))
    assert (may_know(kept, before), may_know(kept, after)) == (False, True)
