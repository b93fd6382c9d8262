"""Trip requests through the API: one traveller or a delegation, destinations, dates, host, funding."""

import pytest
from sqlalchemy import func, select

from services.trips.api.trip_schemas import TRIP_EXAMPLE
from services.trips.store.models import Traveller, Trip
from services.trips.tests.support import MAYOR, STAFF, act, assert_problem, create, put_papers, trip_body


def counts(trips) -> dict[str, int]:
    service = trips.app.extensions["chancery"]
    tables = service.spec.tables
    with service.database.read_session() as session:
        return {"trips": session.scalar(select(func.count()).select_from(Trip)),
                "travellers": session.scalar(select(func.count()).select_from(Traveller)),
                **{table.name: session.scalar(select(func.count()).select_from(table))
                   for table in (tables.outbox, tables.audit)}}


def outbox(trips) -> list[dict]:
    service = trips.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        return [dict(row) for row in session.execute(select(table).order_by(table.c.position)).mappings()]


def test_a_delegation_request_is_created_as_a_draft_with_a_part_per_traveller(trips):
    response = trips.call("POST", "/api/v1/trips", trip_body(), roles="travel", sub="vera")
    assert response.status_code == 201, response.json
    body = response.json
    assert response.headers["Location"] == f"/api/v1/trips/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert body["status"] == "draft"
    assert body["created_by"] == "vera"
    assert [t["full_name"] for t in body["travellers"]] == ["Ivan Sergeev", "Anna Volkova"]
    assert all(t["id"] for t in body["travellers"])
    assert body["destinations"] == [{"country": "BG", "city": "Sofia"}]
    assert body["countries"] == ["BG"]
    assert body["funding"] == "shared"
    assert body["approval_chain"] == [] and body["awaiting"] is None
    assert body["decision_due_on"] == "2027-05-06"
    assert body["allowed_actions"] == ["submit", "cancel"]


def test_creating_a_request_writes_it_its_event_and_its_audit_record_together(trips):
    trip = create(trips, partner_id="b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c")
    assert counts(trips) == {"trips": 1, "travellers": 2, "outbox": 1, "audit_records": 1}
    [event] = outbox(trips)
    assert event["type"] == "chancery.trips.trip.created.v1"
    assert event["subject"] == trip["id"]
    assert event["data"]["country"] == "BG"
    assert event["data"]["partner_id"] == "b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c"
    assert event["data"]["traveller_count"] == 2
    assert event["data"]["traveller_categories"] == ["mayor", "staff"]


def test_only_the_officials_among_the_travellers_are_named_in_an_event(trips):
    create(trips)
    [event] = outbox(trips)
    assert "Volkova" not in str(event["data"])  # staff
    assert event["data"]["officials"] == [{"official_id": None, "name": "Ivan Sergeev"}]  # the mayor (decision 0131)


def test_a_trip_to_several_countries_lists_each_country_once_in_order(trips):
    trip = create(trips, destinations=[{"country": "AT", "city": "Vienna"}, {"country": "HU", "city": "Budapest"},
                                       {"country": "AT", "city": "Graz"}])
    assert trip["countries"] == ["AT", "HU"]
    assert [d["city"] for d in trip["destinations"]] == ["Vienna", "Budapest", "Graz"]


@pytest.mark.parametrize(("change", "field"), [
    ({"destinations": []}, "destinations"),
    ({"destinations": [{"country": "Bulgaria", "city": "Sofia"}]}, "destinations.0.country"),
    ({"travellers": []}, "travellers"),
    ({"travellers": [{**STAFF, "category": "intern"}]}, "travellers.0.category"),
    ({"funding": "sponsor"}, "funding"),
    ({"title": "  "}, "title"),
    ({"invitation_id": "not a uuid!"}, "invitation_id"),
    ({"budget": 10}, "budget"),
])
def test_a_request_with_a_bad_field_is_refused_naming_it_and_nothing_is_written(trips, change, field):
    response = trips.call("POST", "/api/v1/trips", trip_body(**change), roles="travel")
    assert_problem(response, 422, field=field)
    assert counts(trips) == {"trips": 0, "travellers": 0, "outbox": 0, "audit_records": 0}


def test_a_trip_ending_before_it_starts_is_refused(trips):
    response = trips.call("POST", "/api/v1/trips", trip_body(ends_on="2027-05-01"), roles="travel")
    assert "ends_on" in assert_problem(response, 422)["errors"][0]["message"]


def test_a_replayed_idempotency_key_creates_the_request_once(trips):
    headers = {"Idempotency-Key": "trip-42"}
    first = trips.call("POST", "/api/v1/trips", trip_body(), roles="travel", headers=headers)
    again = trips.call("POST", "/api/v1/trips", trip_body(), roles="travel", headers=headers)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert counts(trips)["trips"] == 1


def test_the_list_filters_by_country_status_department_and_partner_and_paginates(trips):
    create(trips, destinations=[{"country": "FR", "city": "Lyon"}], starts_on="2027-03-01", ends_on="2027-03-02")
    create(trips, destinations=[{"country": "AT", "city": "Vienna"}, {"country": "FR", "city": "Nice"}],
           starts_on="2027-04-01", ends_on="2027-04-03", department="Culture Department")
    create(trips, partner_id="p-1", starts_on="2027-05-01", ends_on="2027-05-02")

    def ids(query):
        response = trips.call("GET", f"/api/v1/trips?{query}", roles="mayor-office")
        assert response.status_code == 200, response.json
        return [item["starts_on"] for item in response.json["items"]]

    assert ids("country=FR&sort=starts_on") == ["2027-03-01", "2027-04-01"]
    assert ids("department=Culture%20Department") == ["2027-04-01"]
    assert ids("partner_id=p-1") == ["2027-05-01"]
    assert ids("status=draft") == ["2027-05-01", "2027-04-01", "2027-03-01"]
    assert ids("starts_from=2027-04-01&starts_until=2027-04-30") == ["2027-04-01"]
    assert ids("ends_from=2027-03-02&starts_until=2027-04-01&sort=starts_on") == ["2027-03-01", "2027-04-01"]
    assert ids("ends_from=2027-03-03&starts_until=2027-04-01") == ["2027-04-01"]
    page = trips.call("GET", "/api/v1/trips?page_size=2&page=2", roles="travel").json
    assert page["total"] == 3 and len(page["items"]) == 1


def test_a_trip_in_a_list_reads_as_the_trip_read_alone_with_its_destinations_travellers_and_decisions(trips):
    approved = create(trips, travellers=[STAFF], starts_on="2027-03-01", ends_on="2027-03-02",
                      destinations=[{"country": "AT", "city": "Vienna"}, {"country": "FR", "city": "Nice"}])
    put_papers(trips, approved)
    act(trips, approved["id"], "submit")
    act(trips, approved["id"], "approve", roles="department-head", sub="head-ir")
    create(trips, starts_on="2027-04-01", ends_on="2027-04-02")

    listed = trips.call("GET", "/api/v1/trips?page_size=1&sort=starts_on", roles="mayor-office").json
    following = trips.call("GET", listed["next"], roles="mayor-office").json
    for item in listed["items"] + following["items"]:
        assert item == trips.call("GET", f"/api/v1/trips/{item['id']}", roles="mayor-office").json
    assert [len(item["decisions"]) for item in listed["items"] + following["items"]] == [1, 0]
    assert listed["items"][0]["countries"] == ["AT", "FR"]


def test_the_list_filters_by_a_travellers_full_name(trips):
    create(trips, starts_on="2027-03-01", ends_on="2027-03-02")
    create(trips, starts_on="2027-04-01", ends_on="2027-04-02",
           travellers=[{**TRIP_EXAMPLE["travellers"][1], "full_name": "Petar Ivanov"}])

    def starts(name):
        response = trips.call("GET", "/api/v1/trips", roles="mayor-office", query_string={"traveller": name})
        assert response.status_code == 200, response.json
        return [item["starts_on"] for item in response.json["items"]]

    assert starts("Petar Ivanov") == ["2027-04-01"]
    assert starts("Ivan Sergeev") == ["2027-03-01"]
    assert starts("Ivan") == []


def test_sorting_by_an_unknown_field_is_refused_naming_sort(trips):
    assert_problem(trips.call("GET", "/api/v1/trips?sort=budget", roles="travel"), 422, field="sort")


def test_a_patch_changes_the_fields_sent_and_can_clear_an_optional_link(trips):
    trip = create(trips, partner_id="p-1")
    response = trips.call("PATCH", f"/api/v1/trips/{trip['id']}",
                          {"ends_on": "2027-05-24", "partner_id": None,
                           "destinations": [{"country": "BG", "city": "Plovdiv"}]},
                          roles="travel", headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.json
    assert response.headers["ETag"] == '"2"'
    assert response.json["ends_on"] == "2027-05-24"
    assert response.json["partner_id"] is None
    assert response.json["destinations"] == [{"country": "BG", "city": "Plovdiv"}]
    assert response.json["title"] == trip["title"]
    assert [e["type"] for e in outbox(trips)][-1] == "chancery.trips.trip.updated.v1"


def test_a_patch_with_a_stale_if_match_is_412_and_changes_nothing(trips):
    trip = create(trips)
    response = trips.call("PATCH", f"/api/v1/trips/{trip['id']}", {"title": "Other"}, roles="travel",
                          headers={"If-Match": '"7"'})
    assert_problem(response, 412)
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}", roles="travel").json["title"] == trip["title"]


def test_a_patch_cannot_erase_a_required_detail_with_null(trips):
    trip = create(trips)
    response = trips.call("PATCH", f"/api/v1/trips/{trip['id']}", {"purpose": None}, roles="travel")
    assert_problem(response, 422, field="purpose")


def test_a_patch_moving_the_end_before_the_start_is_refused_naming_ends_on(trips):
    trip = create(trips)
    response = trips.call("PATCH", f"/api/v1/trips/{trip['id']}", {"ends_on": "2027-01-01"}, roles="travel")
    assert_problem(response, 422, field="ends_on")


def test_travellers_are_added_and_removed_while_the_request_is_a_draft(trips):
    trip = create(trips, travellers=[MAYOR])
    added = trips.call("POST", f"/api/v1/trips/{trip['id']}/travellers", STAFF, roles="travel",
                       headers={"If-Match": '"1"'})
    assert added.status_code == 201, added.json
    assert added.headers["ETag"] == '"2"'
    assert added.headers["Location"].endswith(added.json["id"])
    removed = trips.call("DELETE", f"/api/v1/trips/{trip['id']}/travellers/{trip['travellers'][0]['id']}",
                         roles="travel", headers={"If-Match": '"2"'})
    assert removed.status_code == 200, removed.json
    assert [t["full_name"] for t in removed.json["travellers"]] == ["Anna Volkova"]


def test_a_travellers_part_is_changed_with_the_trips_version_audited_and_announced_naming_only_the_official(trips):
    trip = create(trips, travellers=[MAYOR])
    traveller = trip["travellers"][0]
    path = f"/api/v1/trips/{trip['id']}/travellers/{traveller['id']}"
    change = {"job_title": "First Deputy Mayor", "category": "deputy_mayor"}
    assert_problem(trips.call("PATCH", path, change, roles="travel", headers={"If-Match": '"2"'}), 412)
    assert_problem(trips.call("PATCH", path, {"category": None}, roles="travel"), 422, field="category")
    changed = trips.call("PATCH", path, change, roles="travel", headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.json
    assert changed.headers["ETag"] == '"2"'
    assert [(t["full_name"], t["job_title"], t["category"]) for t in changed.json["travellers"]] == [
        (traveller["full_name"], "First Deputy Mayor", "deputy_mayor")]
    event = outbox(trips)[-1]
    assert event["type"] == "chancery.trips.trip.updated.v1"
    assert event["data"]["traveller_categories"] == ["deputy_mayor"]
    assert event["data"]["officials"] == [{"official_id": None, "name": traveller["full_name"]}]  # decision 0130
    records = trips.call("GET", f"/api/v1/audit-records?record_id={trip['id']}", roles="auditor").json["items"]
    assert records[0]["changes"] == {"travellers": {"changed": traveller["id"], **change}}
    assert_problem(trips.call("PATCH", f"/api/v1/trips/{trip['id']}/travellers/nobody", change, roles="travel"), 404)
    assert_problem(trips.call("PATCH", path, change, roles="mayor-office"), 403)


def test_removing_a_traveller_who_is_not_on_the_trip_is_404(trips):
    trip = create(trips)
    response = trips.call("DELETE", f"/api/v1/trips/{trip['id']}/travellers/nobody", roles="travel")
    assert_problem(response, 404)


def test_a_submitted_request_cannot_be_edited_and_the_409_names_what_is_allowed(trips):
    trip = create(trips)
    trips.call("POST", f"/api/v1/trips/{trip['id']}/submit", {}, roles="travel")
    problem = assert_problem(trips.call("PATCH", f"/api/v1/trips/{trip['id']}", {"title": "Other"},
                                        roles="travel"), 409)
    assert problem["allowed_actions"] == ["approve", "send-back", "recall", "cancel"]
    assert_problem(trips.call("POST", f"/api/v1/trips/{trip['id']}/travellers", STAFF, roles="travel"), 409)


def test_reading_a_request_that_does_not_exist_is_404(trips):
    assert_problem(trips.call("GET", "/api/v1/trips/7c1e6a54-0000-4000-8000-000000000000", roles="travel"), 404)


@pytest.mark.parametrize("role", ["protocol", "procurement", "outreach", "auditor"])
def test_other_departments_cannot_see_trips(trips, role):
    assert_problem(trips.call("GET", "/api/v1/trips", roles=role), 403)


@pytest.mark.parametrize("role", ["mayor-office", "department-head", "protocol"])
def test_only_travel_staff_ask_for_trips(trips, role):
    assert_problem(trips.call("POST", "/api/v1/trips", trip_body(), roles=role), 403)


def test_every_trips_operation_documents_its_auth_and_validation_problems(trips):
    document = trips.client.get("/openapi.json").json
    operations = [op for path, item in document["paths"].items() if path.startswith("/api/")
                  for op in item.values()]
    assert len(operations) >= 50
    for operation in operations:
        for status in ("401", "403", "422"):
            assert "application/problem+json" in operation["responses"][status]["content"], operation["summary"]
        assert operation["security"] == [{"bearer": []}]
