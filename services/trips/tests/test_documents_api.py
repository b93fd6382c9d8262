"""Travellers' documents: the checklist, the approval rule, and passport data encrypted, masked, audited, purged."""

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from services.trips.domain.documents import add_months
from services.trips.tasks import PERIODIC_TASKS
from services.trips.tests.support import MAYOR, PASSPORT, STAFF, act, assert_problem, create, put_papers
from shared.periodic import PeriodicRunner


@pytest.fixture
def trip(trips):
    return create(trips, travellers=[STAFF])


def traveller_path(trip) -> str:
    return f"/api/v1/trips/{trip['id']}/travellers/{trip['travellers'][0]['id']}"


def checklist(trips, trip) -> dict:
    response = trips.call("GET", f"/api/v1/trips/{trip['id']}/documents", roles="department-head",
                          department=STAFF["department"])
    assert response.status_code == 200, response.json
    return response.json


def test_a_new_travellers_checklist_lists_every_document_as_missing(trips, trip):
    body = checklist(trips, trip)
    assert body["ready_for_departure"] is False
    [traveller] = body["travellers"]
    assert [(item["kind"], item["status"]) for item in traveller["items"]] == [
        ("passport", "missing"), ("visa", "missing"), ("insurance", "missing"), ("travel_order", "missing")]
    assert all(item["problem"] for item in traveller["items"])


def test_an_international_trip_is_not_approved_while_documents_are_missing_and_is_once_they_are_in_order(trips):
    trip = create(trips, travellers=[MAYOR, STAFF])
    act(trips, trip["id"], "submit")
    assert act(trips, trip["id"], "approve", roles="department-head").json["awaiting"] == "mayor-office"
    problem = assert_problem(act(trips, trip["id"], "approve", roles="mayor-office"), 409)
    assert {(m["traveller_id"], m["kind"]) for m in problem["missing_documents"]} == {
        (t["id"], kind) for t in trip["travellers"] for kind in ("passport", "visa", "insurance", "travel_order")}
    assert problem["allowed_actions"] == ["approve", "send-back", "recall", "cancel"]
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}", roles="travel").json["status"] == "submitted"
    put_papers(trips, trip)
    assert checklist(trips, trip)["ready_for_departure"] is True
    assert act(trips, trip["id"], "approve", roles="mayor-office").json["status"] == "approved"


def test_a_passport_must_stay_valid_six_months_after_the_return(trips, trip):
    put_papers(trips, trip)
    needed = add_months(date.fromisoformat(trip["ends_on"]), 6)
    short = {**PASSPORT, "expires_on": (needed - timedelta(days=1)).isoformat()}
    assert trips.call("PUT", f"{traveller_path(trip)}/passport", short, roles="travel").status_code == 200
    [passport] = [item for item in checklist(trips, trip)["travellers"][0]["items"] if item["kind"] == "passport"]
    assert needed.isoformat() in passport["problem"]
    act(trips, trip["id"], "submit")
    assert assert_problem(act(trips, trip["id"], "approve", roles="department-head"), 409)["missing_documents"] == [
        {"traveller_id": trip["travellers"][0]["id"], "kind": "passport", "problem": passport["problem"]}]


def test_months_are_added_to_the_end_of_a_shorter_month():
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 5, 23), 6) == date(2027, 11, 23)


def test_insurance_ending_before_the_trip_does_is_a_problem(trips, trip):
    response = trips.call("PUT", f"{traveller_path(trip)}/documents/insurance",
                          {"status": "obtained", "valid_until": "2027-05-21"}, roles="travel")
    [insurance] = [item for item in response.json["travellers"][0]["items"] if item["kind"] == "insurance"]
    assert "2027-05-21" in insurance["problem"]


def test_only_a_visa_can_be_marked_not_required(trips, trip):
    response = trips.call("PUT", f"{traveller_path(trip)}/documents/insurance", {"status": "not_required"},
                          roles="travel")
    assert_problem(response, 422, field="status")
    assert_problem(trips.call("PUT", f"{traveller_path(trip)}/documents/passport", {"status": "obtained"},
                              roles="travel"), 422, field="kind")


def test_a_document_changed_with_a_stale_if_match_is_412(trips, trip):
    path = f"{traveller_path(trip)}/documents/visa"
    trips.call("PUT", path, {"status": "requested"}, roles="travel")
    assert_problem(trips.call("PUT", path, {"status": "obtained"}, roles="travel", headers={"If-Match": '"7"'}), 412)
    assert trips.call("PUT", path, {"status": "obtained"}, roles="travel",
                      headers={"If-Match": '"1"'}).status_code == 200


# --- passport data ---

def stored_passport(trips, traveller_id: str) -> str | None:
    database = trips.app.extensions["chancery"].database
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT passport_number FROM trip_travellers WHERE id = :id"),
                                  {"id": traveller_id}).scalar_one()


def test_a_passport_number_is_stored_encrypted(trips, trip):
    trips.call("PUT", f"{traveller_path(trip)}/passport", PASSPORT, roles="travel")
    stored = stored_passport(trips, trip["travellers"][0]["id"])
    assert stored and PASSPORT["number"] not in stored


def test_travel_staff_read_the_passport_and_the_read_is_audited_others_see_it_masked(trips, trip):
    trips.call("PUT", f"{traveller_path(trip)}/passport", PASSPORT, roles="travel")
    masked = trips.call("GET", f"{traveller_path(trip)}/passport", roles="mayor-office").json
    assert masked["masked"] is True
    assert masked["number"] == "•••••••67" and masked["date_of_birth"] == "••••••••02"
    clear = trips.call("GET", f"{traveller_path(trip)}/passport", roles="travel", sub="vera").json
    assert clear["number"] == PASSPORT["number"] and clear["date_of_birth"] == PASSPORT["date_of_birth"]
    reads = trips.call("GET", "/api/v1/audit-records?action=personal-data.read", roles="auditor").json["items"]
    assert [(record["actor"], record["record_id"]) for record in reads] == [("vera", trip["travellers"][0]["id"])]


def test_no_passport_number_or_birth_date_reaches_events_audit_records_or_logs(trips, trip, caplog):
    caplog.set_level(logging.DEBUG)
    trips.call("PUT", f"{traveller_path(trip)}/passport", PASSPORT, roles="travel")
    trips.call("GET", f"{traveller_path(trip)}/passport", roles="travel")
    service = trips.app.extensions["chancery"]
    with service.database.read_session() as session:
        events = session.execute(select(service.spec.tables.outbox.c.data)).scalars().all()
        audit = session.execute(select(service.spec.tables.audit.c.changes)).scalars().all()
    written = str(events) + str(audit) + caplog.text
    assert "passport" in str(events)  # the passport event is there, without its data
    assert PASSPORT["number"] not in written and PASSPORT["date_of_birth"] not in written


def test_passport_data_is_purged_after_the_retention_period_and_the_purge_is_audited(trips, trip):
    trips.call("PUT", f"{traveller_path(trip)}/passport", PASSPORT, roles="travel")
    service = trips.app.extensions["chancery"]
    [task] = [task for task in PERIODIC_TASKS if task.name == "purge-passport-data"]
    retention = service.settings.pii_retention_days
    ended = date.fromisoformat(trip["ends_on"])
    runner = PeriodicRunner(service, PERIODIC_TASKS)
    assert runner.run_once(task, datetime.combine(ended + timedelta(days=retention), datetime.min.time(), UTC))
    assert stored_passport(trips, trip["travellers"][0]["id"]) is not None
    assert runner.run_once(task, datetime.combine(ended + timedelta(days=retention + 1), datetime.min.time(), UTC))
    assert stored_passport(trips, trip["travellers"][0]["id"]) is None
    passport = trips.call("GET", f"{traveller_path(trip)}/passport", roles="travel").json
    assert passport["number"] is None and passport["expires_on"] == PASSPORT["expires_on"]
    purged = trips.call("GET", "/api/v1/audit-records?action=personal-data.purged", roles="auditor").json["items"]
    assert [record["record_id"] for record in purged] == [trip["travellers"][0]["id"]]


@pytest.mark.parametrize("number", ["12", "AB 123456", "ab123456"])
def test_a_malformed_passport_number_is_refused_naming_it(trips, trip, number):
    response = trips.call("PUT", f"{traveller_path(trip)}/passport", {**PASSPORT, "number": number}, roles="travel")
    assert_problem(response, 422, field="number")


def test_only_travel_staff_record_passports(trips, trip):
    assert_problem(trips.call("PUT", f"{traveller_path(trip)}/passport", PASSPORT, roles="mayor-office"), 403)
