"""Every API operation of every service, read from its OpenAPI document and attacked on the real suite:
read-only fields smuggled into bodies, and malformed input on every path, body and parameter."""

import json
import re
from urllib.parse import urlencode

import pytest

from shared.suite import SERVICES
from tests.support.openapi import fill_path
from tests.support.processes import http

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
BODY_METHODS = {"post", "put", "patch"}
# Fields a client must never set: the service decides them.
READ_ONLY = ("id", "status", "created_at", "updated_at", "created_by", "owner", "approver", "approved_by",
             "decided_by", "version", "registry_number")
# What a leaking error answer would show: a traceback, a source path, SQL or the driver's names.
LEAKS = re.compile(r"Traceback|File \"|\.py\b|/work/|/site-packages/|\bSELECT\b|\bINSERT\b|\bUPDATE\b.*\bSET\b|"
                   r"sqlalchemy|psycopg|sqlite3|IntegrityError|OperationalError", re.IGNORECASE)


@pytest.fixture(scope="module")
def suite(every_service):
    return every_service


@pytest.fixture(scope="module")
def operations(suite) -> list[dict]:
    """(service, method, path with random ids, the request body's JSON Schema or None) of every API operation."""
    found = []
    for service in SERVICES:
        document = http("GET", suite.url(service, "/openapi.json")).json
        for path, methods in document["paths"].items():
            if not path.startswith("/api/"):
                continue
            for method, operation in methods.items():
                found.append({"service": service, "method": method, "path": path,
                              "url_path": fill_path(path, operation), "body": request_schema(document, operation)})
    return found


def request_schema(document: dict, operation: dict) -> dict | None:
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    while schema and "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def send(suite, operation: dict, body=None, raw: bytes | None = None, query: str = ""):
    return http(operation["method"].upper(), suite.url(operation["service"], operation["url_path"] + query), body,
                raw=raw, token=suite.token("admin", sub="attacker"))


def named(problem: dict) -> set[str]:
    return {error["field"].split(".")[-1] for error in problem.get("errors") or []}


def test_read_only_fields_sent_in_any_body_are_refused_with_422_naming_each_of_them(suite, operations):
    missed = []
    for operation in operations:
        schema = operation["body"]
        if operation["method"] not in BODY_METHODS or not schema or schema.get("type") != "object":
            continue
        smuggled = [name for name in READ_ONLY if name not in schema.get("properties", {})]
        answer = send(suite, operation, {name: "set-by-the-client" for name in smuggled})
        if answer.status != 422 or not set(smuggled) <= named(answer.json):
            missed.append(f"{operation['service']} {operation['method']} {operation['path']}: {answer.status}")
    assert not missed, "\n".join(missed)


MALFORMED = {
    "a body that is a list": dict(body=[1, 2, 3]),
    "a body of strings with NUL characters": dict(body={"title": "\x00" * 3, "name": "a\x00b", "id": "\x00"}),
    "a body nested too deep to parse": dict(raw=b"[" * 100_000 + b"]" * 100_000),
    "absurd query parameters": dict(query="?" + urlencode({"page": -1, "page_size": "abc", "sort": ";DROP TABLE visits",
                                                           "since": "yesterday", "status": "\x00"})),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_input_anywhere_gets_a_problem_json_without_traces_paths_or_sql(suite, operations, case):
    failures = []
    for operation in operations:
        answer = send(suite, operation, **MALFORMED[case])
        text = json.dumps(answer.json, ensure_ascii=False)
        if answer.status >= 500 or (answer.status >= 400 and (
                answer.headers.get("content-type") != PROBLEM or answer.json.get("status") != answer.status
                or LEAKS.search(text))):
            failures.append(f"{operation['service']} {operation['method']} {operation['path']}: "
                            f"{answer.status} {text[:300]}")
    assert not failures, "\n".join(failures)
