"""The HTTP contract of a real visits service (gunicorn and worker) on SQLite and PostgreSQL: bad input gets
the right problem naming the field and leaves the database as it was; Idempotency-Key creates once."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from services.visits.app import SPEC
from services.visits.store.models import Visit
from shared.db import make_engine
from tests.support.processes import VISIT, http

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
TABLES = {"visits": Visit.__table__, "outbox": SPEC.tables.outbox, "audit_records": SPEC.tables.audit,
          "idempotency_keys": SPEC.tables.idempotency}


def database_counts(suite) -> dict[str, int]:
    engine = make_engine(suite.database_urls["visits"], immediate=False)
    try:
        with engine.connect() as connection:
            return {name: connection.scalar(select(func.count()).select_from(table)) for name, table in TABLES.items()}
    finally:
        engine.dispose()


def snapshot(suite) -> dict[str, int]:
    """What the API and the database say is stored: visits listed, audit records, and the rows of each table."""
    listed = suite.call("GET", "visits", "/api/v1/visits?page_size=1", roles="protocol")
    audited = suite.call("GET", "visits", "/api/v1/audit-records?page_size=1", roles="auditor")
    assert listed.status == audited.status == 200
    return {"listed visits": listed.json["total"], "audit records": audited.json["total"],
            **database_counts(suite)}


def post_raw(suite, path, raw: bytes, headers=None, roles="protocol"):
    return http("POST", suite.url("visits", path), raw=raw, token=suite.token(roles), headers=headers)


def assert_problem(response, status, fields=()):
    assert response.status == status, response.body
    assert response.headers["content-type"] == PROBLEM
    assert response.json["status"] == status
    named = {error["field"] for error in response.json.get("errors", [])}
    assert set(fields) <= named, response.json
    return response.json


def create(suite, **changes):
    response = suite.call("POST", "visits", "/api/v1/visits", {**VISIT, **changes}, roles="protocol")
    assert response.status == 201, response.body
    return response


def without(*names):
    return {name: value for name, value in VISIT.items() if name not in names}


BAD_CREATIONS = {
    "malformed JSON": (b'{"delegation_name": "Lyon", "country": ', 400, ["body"]),
    "a JSON array": (json.dumps([VISIT]).encode(), 422, ["body"]),
    "an empty object": (b"{}", 422, ["delegation_name", "country", "city", "starts_on", "ends_on", "purpose",
                                     "host_official"]),
    "missing fields": (json.dumps(without("city", "starts_on")).encode(), 422, ["city", "starts_on"]),
    "wrongly typed fields": (json.dumps({**VISIT, "country": 250, "starts_on": "next Tuesday",
                                         "purpose": ["talks"]}).encode(), 422, ["country", "starts_on", "purpose"]),
    "unknown fields": (json.dumps({**VISIT, "budget": 10000, "is_secret": True}).encode(), 422,
                       ["budget", "is_secret"]),
    "a NUL character, which PostgreSQL cannot store": (json.dumps({**VISIT, "city": "Ly\u0000on"}).encode(), 422,
                                                       ["city"]),
    "a city longer than its column": (json.dumps({**VISIT, "city": "L" * 201}).encode(), 422, ["city"]),
    "a 2 MiB body": (json.dumps({**VISIT, "purpose": "x" * (2 * 1024 * 1024)}).encode(), 413, []),
}


@pytest.mark.parametrize("case", list(BAD_CREATIONS))
def test_a_bad_creation_gets_a_problem_naming_the_fields_and_stores_nothing(visits_suite, case):
    raw, status, fields = BAD_CREATIONS[case]
    before = snapshot(visits_suite)
    assert_problem(post_raw(visits_suite, "/api/v1/visits", raw), status, fields)
    assert snapshot(visits_suite) == before


def test_clients_sending_oversized_bodies_at_once_each_read_their_413_rather_than_a_broken_pipe(visits_suite):
    raw, _, _ = BAD_CREATIONS["a 2 MiB body"]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: post_raw(visits_suite, "/api/v1/visits", raw), range(12)))
    assert [answer.status for answer in answers] == [413] * 12, [a.body for a in answers if a.status != 413]


def test_a_body_that_is_not_json_is_415_and_stores_nothing(visits_suite):
    before = snapshot(visits_suite)
    response = post_raw(visits_suite, "/api/v1/visits", b"city=Lyon",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_problem(response, 415)
    assert snapshot(visits_suite) == before


@pytest.mark.parametrize(("query", "field"), [
    ("page=100000000000000000000", "page"),
    ("host_official=a%00b", "host_official"),
    ("status=postponed", "status"),
    ("sort=-password", "sort"),
    ("colour=red", "colour"),
])
def test_a_bad_list_query_gets_a_problem_naming_the_parameter(visits_suite, query, field):
    assert_problem(visits_suite.call("GET", "visits", f"/api/v1/visits?{query}", roles="protocol"), 422, [field])


def test_a_request_id_too_long_for_the_audit_column_is_replaced_and_the_write_succeeds(visits_suite):
    response = visits_suite.call("POST", "visits", "/api/v1/visits", VISIT, roles="protocol",
                                 headers={"X-Request-ID": "r" * 150})
    assert response.status == 201, response.body
    assert response.headers["x-request-id"] != "r" * 150


@pytest.mark.parametrize(("change", "fields"), [
    ({"starts_on": 20270310}, ["starts_on"]),
    ({"colour": "blue"}, ["colour"]),
    ({"host_official": None}, ["host_official"]),
    ({"ends_on": "2020-01-01"}, ["ends_on"]),
])
def test_a_bad_change_gets_a_problem_naming_the_field_and_changes_nothing(visits_suite, change, fields):
    created = create(visits_suite)
    before = snapshot(visits_suite)
    response = visits_suite.call("PATCH", "visits", created.headers["location"], change, roles="protocol",
                                 headers={"If-Match": created.headers["etag"]})
    assert_problem(response, 422, fields)
    assert snapshot(visits_suite) == before
    assert visits_suite.call("GET", "visits", created.headers["location"]).json == created.json


def test_a_change_with_a_stale_if_match_is_412_and_changes_nothing(visits_suite):
    created = create(visits_suite)
    changed = visits_suite.call("PATCH", "visits", created.headers["location"], {"city": "Villeurbanne"},
                                roles="protocol", headers={"If-Match": created.headers["etag"]})
    assert changed.status == 200, changed.body
    before = snapshot(visits_suite)
    for method, path, body in [("PATCH", created.headers["location"], {"city": "Grenoble"}),
                               ("POST", created.headers["location"] + "/confirm", {})]:
        response = visits_suite.call(method, "visits", path, body, roles="protocol",
                                     headers={"If-Match": created.headers["etag"]})
        assert_problem(response, 412)
        assert response.headers["etag"] == changed.headers["etag"]
    assert snapshot(visits_suite) == before
    assert visits_suite.call("GET", "visits", created.headers["location"]).json == changed.json


def test_an_illegal_transition_is_409_naming_the_allowed_actions_and_changes_nothing(visits_suite):
    created = create(visits_suite)
    before = snapshot(visits_suite)
    problem = assert_problem(visits_suite.call("POST", "visits", created.headers["location"] + "/complete", {},
                                               roles="protocol"), 409)
    assert problem["allowed_actions"] == ["propose", "confirm", "cancel"]
    assert snapshot(visits_suite) == before


def test_a_replayed_idempotency_key_gives_the_same_visit_once(visits_suite):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {**VISIT, "host_official": f"Host-{key['Idempotency-Key']}"}
    before = snapshot(visits_suite)
    first = visits_suite.call("POST", "visits", "/api/v1/visits", body, roles="protocol", headers=key)
    again = visits_suite.call("POST", "visits", "/api/v1/visits", body, roles="protocol", headers=key)
    assert first.status == again.status == 201, (first.body, again.body)
    assert again.json == first.json
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    after = snapshot(visits_suite)
    assert {name: after[name] - before[name] for name in after} == {
        "listed visits": 1, "audit records": 1, "visits": 1, "outbox": 1, "audit_records": 1, "idempotency_keys": 1}


def test_an_idempotency_key_reused_with_another_body_is_422_and_stores_nothing(visits_suite):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    create(visits_suite)
    visits_suite.call("POST", "visits", "/api/v1/visits", VISIT, roles="protocol", headers=key)
    before = snapshot(visits_suite)
    response = visits_suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "city": "Marseille"},
                                 roles="protocol", headers=key)
    assert_problem(response, 422, ["Idempotency-Key"])
    assert snapshot(visits_suite) == before


def test_concurrent_requests_with_one_idempotency_key_create_one_visit_and_all_get_it(visits_suite):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    host = f"Host-{key['Idempotency-Key']}"
    token = visits_suite.token("protocol")

    def send(_):
        return http("POST", visits_suite.url("visits", "/api/v1/visits"), {**VISIT, "host_official": host},
                    token=token, headers=key)

    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(send, range(6)))
    assert [response.status for response in responses] == [201] * 6, [r.body for r in responses]
    assert len({response.json["id"] for response in responses}) == 1
    listed = visits_suite.call("GET", "visits", f"/api/v1/visits?host_official={host}", roles="protocol")
    assert listed.json["total"] == 1
