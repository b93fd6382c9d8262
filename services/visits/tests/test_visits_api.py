"""The visits API through the Flask test client, on a fresh SQLite file and without any network."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from services.visits.store.models import Visit

VISIT = {"delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
         "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning anniversary",
         "host_official": "Deputy Mayor for Culture"}
PROBLEM = "application/problem+json"


@pytest.fixture
def visits(service_app):
    return service_app("visits")


def create(visits, sub="olga", **changes):
    response = visits.call("POST", "/api/v1/visits", {**VISIT, **changes}, roles="protocol", sub=sub)
    assert response.status_code == 201, response.json
    return response


def act(visits, visit_id, action, body=None, etag=None, roles="protocol"):
    headers = {"If-Match": etag} if etag else {}
    return visits.call("POST", f"/api/v1/visits/{visit_id}/{action}", {} if body is None else body,
                       roles=roles, headers=headers)


def counts(visits) -> dict[str, int]:
    """How many rows the visits database holds, table by table."""
    service = visits.app.extensions["chancery"]
    tables = service.spec.tables
    with service.database.read_session() as session:
        return {"visits": session.scalar(select(func.count()).select_from(Visit)),
                **{table.name: session.scalar(select(func.count()).select_from(table))
                   for table in (tables.outbox, tables.audit, tables.idempotency)}}


def outbox_types(visits) -> list[str]:
    service = visits.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        return list(session.scalars(select(table.c.type).order_by(table.c.position)))


def audit_records(visits, **filters):
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    response = visits.call("GET", f"/api/v1/audit-records?page_size=200&{query}", roles="auditor", sub="aud")
    assert response.status_code == 200, response.json
    return response.json["items"]


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.json
    assert response.mimetype == PROBLEM
    assert response.json["status"] == status
    assert response.json["title"]
    assert response.json["type"]
    if field:
        assert field in {error["field"] for error in response.json["errors"]}, response.json
    return response.json


# --- creating and reading ---

def test_creating_a_visit_answers_201_with_its_location_etag_and_draft_status(visits):
    response = create(visits, sub="olga")
    body = response.json
    assert response.headers["Location"] == f"/api/v1/visits/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["created_by"] == "olga"
    assert {name: body[name] for name in VISIT} == VISIT


def test_a_created_visit_reads_back_with_the_same_etag(visits):
    created = create(visits)
    read = visits.call("GET", created.headers["Location"], roles="mayor-office")
    assert read.status_code == 200
    assert read.json == created.json
    assert read.headers["ETag"] == created.headers["ETag"]


def test_creating_a_visit_writes_the_visit_its_event_and_its_audit_record_together(visits):
    created = create(visits, sub="olga")
    assert counts(visits) == {"visits": 1, "outbox": 1, "audit_records": 1, "idempotency_keys": 0}
    assert outbox_types(visits) == ["chancery.visits.visit.created.v1"]
    [record] = audit_records(visits)
    assert record["actor"] == "olga"
    assert record["roles"] == "protocol"
    assert record["action"] == "visit.created"
    assert record["record_id"] == created.json["id"]
    assert record["changes"]["delegation_name"] == VISIT["delegation_name"]
    assert record["request_id"]


def test_audit_record_times_are_iso_8601(visits):
    create(visits)
    [record] = audit_records(visits)
    assert "T" in record["at"]
    assert datetime.fromisoformat(record["at"]).tzinfo is not None


def test_reading_a_visit_that_does_not_exist_is_404(visits):
    assert_problem(visits.call("GET", "/api/v1/visits/7c1e6a54-0000-4000-8000-000000000000"), 404)


def test_a_visit_id_longer_than_a_uuid_is_refused_naming_the_path_parameter(visits):
    assert_problem(visits.call("GET", "/api/v1/visits/" + "x" * 37), 422, field="visit_id")


@pytest.mark.parametrize(("change", "field"), [
    ({"country": "France"}, "country"),
    ({"country": "fr"}, "country"),
    ({"starts_on": "10.03.2027"}, "starts_on"),
    ({"delegation_name": "   "}, "delegation_name"),
    ({"purpose": 42}, "purpose"),
    ({"budget": 1000}, "budget"),
])
def test_a_visit_with_a_bad_field_is_refused_naming_it_and_nothing_is_written(visits, change, field):
    response = visits.call("POST", "/api/v1/visits", {**VISIT, **change}, roles="protocol")
    assert_problem(response, 422, field=field)
    assert counts(visits) == {"visits": 0, "outbox": 0, "audit_records": 0, "idempotency_keys": 0}


@pytest.mark.parametrize(("change", "field"), [
    ({"city": "Ly\u0000on"}, "city"),
    ({"purpose": "Talks\u0000"}, "purpose"),
    ({"city": "L" * 201}, "city"),
    ({"host_official": "H" * 201}, "host_official"),
    ({"delegation_name": "D" * 301}, "delegation_name"),
])
def test_text_the_database_could_not_store_is_refused_naming_the_field(visits, change, field):
    response = visits.call("POST", "/api/v1/visits", {**VISIT, **change}, roles="protocol")
    assert_problem(response, 422, field=field)
    assert counts(visits)["visits"] == 0


def test_a_visit_ending_before_it_starts_is_refused(visits):
    response = visits.call("POST", "/api/v1/visits", {**VISIT, "ends_on": "2027-03-01"}, roles="protocol")
    problem = assert_problem(response, 422)
    assert "ends_on" in problem["errors"][0]["message"]


def test_a_missing_field_is_named(visits):
    body = {name: value for name, value in VISIT.items() if name != "city"}
    assert_problem(visits.call("POST", "/api/v1/visits", body, roles="protocol"), 422, field="city")


def test_a_body_that_is_not_an_object_is_refused(visits):
    assert_problem(visits.call("POST", "/api/v1/visits", [VISIT], roles="protocol"), 422, field="body")


def test_malformed_json_is_400_naming_the_body(visits):
    response = visits.client.post("/api/v1/visits", data='{"country": "FR",', content_type="application/json",
                                  headers=visits.auth("protocol"))
    assert_problem(response, 400, field="body")


def test_json_nested_too_deep_to_parse_is_400_not_a_crash(visits):
    response = visits.client.post("/api/v1/visits", data="[" * 100_000 + "]" * 100_000,
                                  content_type="application/json", headers=visits.auth("protocol"))
    assert_problem(response, 400, field="body")


def test_a_body_that_is_not_json_is_415(visits):
    response = visits.client.post("/api/v1/visits", data="country=FR", headers=visits.auth("protocol"),
                                  content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415)


def test_a_body_over_the_configured_limit_is_413(service_app):
    visits = service_app("visits", CHANCERY_MAX_BODY_BYTES="2048")
    response = visits.call("POST", "/api/v1/visits", {**VISIT, "purpose": "x" * 4000}, roles="protocol")
    assert_problem(response, 413)
    assert counts(visits)["visits"] == 0


def test_a_method_a_route_does_not_have_is_405_naming_the_allowed_methods(visits):
    response = visits.call("DELETE", "/api/v1/visits")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


# --- listing ---

def test_a_list_is_paginated_with_the_total(visits):
    for day in range(10, 15):
        create(visits, starts_on=f"2027-04-{day}", ends_on=f"2027-04-{day}")
    pages = [visits.call("GET", f"/api/v1/visits?page_size=2&page={page}&sort=starts_on").json
             for page in (1, 2, 3, 4)]
    assert [page["total"] for page in pages] == [5, 5, 5, 5]
    assert [len(page["items"]) for page in pages] == [2, 2, 1, 0]
    starts = [item["starts_on"] for page in pages for item in page["items"]]
    assert starts == [f"2027-04-{day}" for day in range(10, 15)]


def test_a_visit_in_a_list_reads_as_the_visit_read_alone(visits):
    proposed = create(visits).json
    act(visits, proposed["id"], "propose")
    create(visits, starts_on="2027-04-10", ends_on="2027-04-12")

    listed = visits.call("GET", "/api/v1/visits?page_size=1", roles="mayor-office").json
    following = visits.call("GET", listed["next"], roles="mayor-office").json
    for item in listed["items"] + following["items"]:
        assert item == visits.call("GET", f"/api/v1/visits/{item['id']}", roles="mayor-office").json
    assert [item["status"] for item in listed["items"] + following["items"]] == ["draft", "proposed"]


def test_a_page_size_above_the_maximum_is_clamped(visits):
    create(visits)
    page = visits.call("GET", "/api/v1/visits?page_size=100000").json
    assert page["page_size"] == 200


@pytest.mark.parametrize("page", ["0", "1000001", "100000000000000000000"])
def test_a_page_number_out_of_range_is_refused(visits, page):
    assert_problem(visits.call("GET", f"/api/v1/visits?page={page}"), 422, field="page")


def test_the_list_is_newest_start_first_by_default_and_sorts_by_any_sortable_field(visits):
    create(visits, country="DE", starts_on="2027-05-01", ends_on="2027-05-02")
    create(visits, country="AT", starts_on="2027-06-01", ends_on="2027-06-02")
    create(visits, country="FR", starts_on="2027-04-01", ends_on="2027-04-02")

    def countries(sort=None):
        query = f"?sort={sort}" if sort else ""
        return [item["country"] for item in visits.call("GET", f"/api/v1/visits{query}").json["items"]]

    assert countries() == ["AT", "DE", "FR"]
    assert countries("country") == ["AT", "DE", "FR"]
    assert countries("-country") == ["FR", "DE", "AT"]
    assert countries("starts_on") == ["FR", "DE", "AT"]


def test_sorting_by_an_unknown_field_is_refused_naming_sort(visits):
    assert_problem(visits.call("GET", "/api/v1/visits?sort=-password"), 422, field="sort")


def test_an_unknown_query_parameter_is_refused(visits):
    assert_problem(visits.call("GET", "/api/v1/visits?colour=red"), 422, field="colour")


def test_the_list_filters_by_status_country_host_and_start_dates(visits):
    lyon = create(visits).json
    create(visits, country="DE", city="Berlin", host_official="Mayor", starts_on="2027-09-01",
           ends_on="2027-09-03")
    act(visits, lyon["id"], "confirm")

    def ids(query):
        response = visits.call("GET", f"/api/v1/visits?{query}", roles="protocol")
        assert response.status_code == 200, response.json
        return [item["city"] for item in response.json["items"]]

    assert ids("status=confirmed") == ["Lyon"]
    assert ids("status=draft") == ["Berlin"]
    assert ids("country=DE") == ["Berlin"]
    assert ids("host_official=Mayor") == ["Berlin"]
    assert ids("starts_from=2027-04-01") == ["Berlin"]
    assert ids("starts_until=2027-04-01") == ["Lyon"]
    assert ids("starts_from=2027-03-10&starts_until=2027-03-10") == ["Lyon"]


def test_the_list_filters_by_end_dates_so_a_period_asks_only_for_the_visits_that_overlap_it(visits):
    create(visits)  # Lyon: 10–12 March
    create(visits, country="DE", city="Berlin", starts_on="2027-01-20", ends_on="2027-03-25")
    create(visits, country="IT", city="Turin", starts_on="2027-02-01", ends_on="2027-02-28")

    def cities(query):
        response = visits.call("GET", f"/api/v1/visits?{query}&sort=starts_on", roles="protocol")
        assert response.status_code == 200, response.json
        return [item["city"] for item in response.json["items"]]

    assert cities("ends_from=2027-03-01&starts_until=2027-03-31") == ["Berlin", "Lyon"]
    assert cities("ends_from=2027-03-12") == ["Berlin", "Lyon"]
    assert cities("ends_until=2027-03-12") == ["Turin", "Lyon"]


def test_filtering_by_a_status_that_does_not_exist_is_refused(visits):
    assert_problem(visits.call("GET", "/api/v1/visits?status=postponed"), 422, field="status")


# --- changing ---

def test_a_patch_changes_only_the_fields_sent_and_gives_a_new_etag(visits):
    created = create(visits)
    response = visits.call("PATCH", created.headers["Location"], {"city": "Lyon Métropole"}, roles="protocol",
                           headers={"If-Match": created.headers["ETag"]})
    assert response.status_code == 200, response.json
    assert response.json["city"] == "Lyon Métropole"
    assert response.json["delegation_name"] == VISIT["delegation_name"]
    assert response.json["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert outbox_types(visits)[-1] == "chancery.visits.visit.updated.v1"
    assert audit_records(visits, action="visit.updated")[0]["changes"] == {"city": "Lyon Métropole"}


def test_a_patch_with_a_stale_if_match_is_412_and_changes_nothing(visits):
    created = create(visits)
    visits.call("PATCH", created.headers["Location"], {"city": "Villeurbanne"}, roles="protocol")
    before = counts(visits)
    response = visits.call("PATCH", created.headers["Location"], {"city": "Grenoble"}, roles="protocol",
                           headers={"If-Match": created.headers["ETag"]})
    assert_problem(response, 412)
    assert response.headers["ETag"] == '"2"'
    assert visits.call("GET", created.headers["Location"]).json["city"] == "Villeurbanne"
    assert counts(visits) == before


def test_if_match_accepts_any_of_several_etags_and_the_wildcard(visits):
    created = create(visits)
    location = created.headers["Location"]
    listed = visits.call("PATCH", location, {"city": "A"}, roles="protocol", headers={"If-Match": '"7", "1"'})
    assert listed.status_code == 200, listed.json
    wildcard = visits.call("PATCH", location, {"city": "B"}, roles="protocol", headers={"If-Match": "*"})
    assert wildcard.status_code == 200, wildcard.json


@pytest.mark.parametrize("field", ["delegation_name", "starts_on", "country", "purpose"])
def test_a_patch_cannot_erase_a_field_with_null(visits, field):
    created = create(visits)
    before = counts(visits)
    response = visits.call("PATCH", created.headers["Location"], {field: None}, roles="protocol")
    assert_problem(response, 422, field=field)
    assert counts(visits) == before


def test_a_patch_that_moves_the_end_before_the_start_is_refused_naming_ends_on(visits):
    created = create(visits)
    response = visits.call("PATCH", created.headers["Location"], {"ends_on": "2027-03-09"}, roles="protocol")
    assert_problem(response, 422, field="ends_on")
    assert visits.call("GET", created.headers["Location"]).json["ends_on"] == VISIT["ends_on"]


def test_an_empty_patch_changes_nothing_and_records_nothing(visits):
    created = create(visits)
    before = counts(visits)
    response = visits.call("PATCH", created.headers["Location"], {}, roles="protocol")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert counts(visits) == before


def test_patching_an_unknown_field_is_refused(visits):
    created = create(visits)
    assert_problem(visits.call("PATCH", created.headers["Location"], {"status": "confirmed"}, roles="protocol"),
                   422, field="status")


# --- the lifecycle over HTTP ---

def test_a_visit_walks_its_lifecycle_with_an_event_and_an_audit_record_at_each_step(visits):
    created = create(visits)
    visit_id, etag = created.json["id"], created.headers["ETag"]
    for action, status in [("propose", "proposed"), ("invite", "invited"), ("confirm", "confirmed"),
                           ("start", "in_progress"), ("complete", "completed")]:
        response = act(visits, visit_id, action, etag=etag)
        assert response.status_code == 200, response.json
        assert response.json["status"] == status
        etag = response.headers["ETag"]
    assert etag == '"6"'
    assert outbox_types(visits) == [f"chancery.visits.visit.{past}.v1" for past in
                                    ("created", "proposed", "invited", "confirmed", "started", "completed")]
    actions = [record["action"] for record in audit_records(visits, record_id=visit_id, sort="id")]
    assert actions == ["visit.created", "visit.proposed", "visit.invited", "visit.confirmed", "visit.started",
                       "visit.completed"]


def test_a_transition_needs_no_body(visits):
    created = create(visits)
    response = visits.client.post(f"{created.headers['Location']}/confirm", headers=visits.auth("protocol"))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "confirmed"


def test_an_illegal_transition_is_409_naming_the_allowed_actions_and_changes_nothing(visits):
    visit_id = create(visits).json["id"]
    act(visits, visit_id, "confirm")
    before = counts(visits)
    problem = assert_problem(act(visits, visit_id, "invite"), 409)
    assert problem["allowed_actions"] == ["start", "cancel"]
    assert "confirmed" in problem["detail"]
    assert counts(visits) == before


def test_a_completed_visit_allows_no_action_at_all(visits):
    visit_id = create(visits).json["id"]
    for action in ("confirm", "start", "complete"):
        act(visits, visit_id, action)
    problem = assert_problem(act(visits, visit_id, "cancel", {"reason": "too late"}), 409)
    assert problem["allowed_actions"] == []


def test_cancelling_needs_a_reason_which_the_visit_keeps(visits):
    visit_id = create(visits).json["id"]
    assert_problem(act(visits, visit_id, "cancel"), 422, field="reason")
    assert_problem(act(visits, visit_id, "cancel", {"reason": "   "}), 422, field="reason")
    cancelled = act(visits, visit_id, "cancel", {"reason": "The delegation postponed its trip"})
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["status_reason"] == "The delegation postponed its trip"
    [record] = audit_records(visits, action="visit.cancelled")
    assert record["changes"] == {"status": ["draft", "cancelled"], "reason": "The delegation postponed its trip"}


def test_a_transition_with_a_stale_if_match_is_412(visits):
    created = create(visits)
    act(visits, created.json["id"], "propose")
    before = counts(visits)
    assert_problem(act(visits, created.json["id"], "invite", etag=created.headers["ETag"]), 412)
    assert counts(visits) == before


def test_a_transition_of_a_visit_that_does_not_exist_is_404(visits):
    assert_problem(act(visits, "7c1e6a54-0000-4000-8000-000000000000", "confirm"), 404)


# --- idempotency ---

def test_a_replayed_idempotency_key_answers_the_first_response_and_creates_the_visit_once(visits):
    headers = {"Idempotency-Key": "lyon-2027"}
    first = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", sub="olga", headers=headers)
    again = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", sub="olga", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert counts(visits) == {"visits": 1, "outbox": 1, "audit_records": 1, "idempotency_keys": 1}


def test_an_idempotency_key_reused_with_another_body_is_422_and_creates_nothing(visits):
    headers = {"Idempotency-Key": "lyon-2027"}
    visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", sub="olga", headers=headers)
    other = visits.call("POST", "/api/v1/visits", {**VISIT, "city": "Marseille"}, roles="protocol", sub="olga",
                        headers=headers)
    assert_problem(other, 422, field="Idempotency-Key")
    assert counts(visits)["visits"] == 1


def test_the_same_idempotency_key_from_two_users_creates_two_visits(visits):
    headers = {"Idempotency-Key": "lyon-2027"}
    olga = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", sub="olga", headers=headers)
    ivan = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", sub="ivan", headers=headers)
    assert olga.status_code == ivan.status_code == 201
    assert olga.json["id"] != ivan.json["id"]


def test_an_overlong_idempotency_key_is_refused(visits):
    response = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", headers={"Idempotency-Key": "k" * 201})
    assert_problem(response, 422, field="Idempotency-Key")
    assert counts(visits)["visits"] == 0


def test_a_request_refused_as_invalid_does_not_use_up_its_idempotency_key(visits):
    headers = {"Idempotency-Key": "first-try"}
    refused = visits.call("POST", "/api/v1/visits", {**VISIT, "country": "France"}, roles="protocol",
                          headers=headers)
    assert refused.status_code == 422
    accepted = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", headers=headers)
    assert accepted.status_code == 201, accepted.json


# --- who may do what ---

def test_the_mayors_office_reads_visits_but_cannot_change_them(visits):
    created = create(visits)
    assert visits.call("GET", "/api/v1/visits", roles="mayor-office").status_code == 200
    assert_problem(visits.call("POST", "/api/v1/visits", VISIT, roles="mayor-office"), 403)
    assert_problem(act(visits, created.json["id"], "confirm", roles="mayor-office"), 403)
    assert counts(visits)["visits"] == 1


def test_protocol_staff_cannot_read_the_audit_records(visits):
    assert_problem(visits.call("GET", "/api/v1/audit-records", roles="protocol"), 403)


def test_travel_staff_cannot_see_visits(visits):
    assert_problem(visits.call("GET", "/api/v1/visits", roles="travel"), 403)


def test_a_request_without_a_token_is_401_with_a_bearer_challenge(visits):
    response = visits.client.get("/api/v1/visits")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_audit_records_filter_by_actor_and_record(visits):
    olga = create(visits, sub="olga").json
    create(visits, sub="ivan")
    assert [record["actor"] for record in audit_records(visits, actor="ivan")] == ["ivan"]
    assert [record["record_id"] for record in audit_records(visits, record_id=olga["id"])] == [olga["id"]]


# --- operations and documentation ---

def test_the_app_answers_health_without_a_token_and_reports_the_broker_it_cannot_reach(visits):
    assert visits.client.get("/healthz").json == {"status": "alive", "service": "visits"}
    ready = visits.client.get("/readyz")
    assert_problem(ready, 503)
    assert ready.json["checks"] == {"database": "ok", "broker": "unreachable"}


def test_every_api_operation_documents_its_auth_and_validation_problems(visits):
    document = visits.client.get("/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert "ProblemDetails" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "422"):
                content = operation["responses"][status]["content"]
                assert list(content) == [PROBLEM], (method, path, status)
            assert operation["security"] == [{"bearer": []}]


def test_every_response_carries_a_request_id_and_echoes_the_callers(visits):
    response = visits.client.get("/healthz", headers={"X-Request-ID": "trace-me-42"})
    assert response.headers["X-Request-ID"] == "trace-me-42"
    assert visits.client.get("/healthz").headers["X-Request-ID"]


@pytest.mark.parametrize("offered", ["r" * 101, "line\tbreak", "<script>", "ünïcode"])
def test_a_request_id_too_long_or_odd_to_store_and_log_is_replaced_and_the_write_succeeds(visits, offered):
    response = visits.call("POST", "/api/v1/visits", VISIT, roles="protocol", headers={"X-Request-ID": offered})
    assert response.status_code == 201, response.json
    assert response.headers["X-Request-ID"] != offered
    assert audit_records(visits)[0]["request_id"] == response.headers["X-Request-ID"]
