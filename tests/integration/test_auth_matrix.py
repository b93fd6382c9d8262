"""The permission matrix walked on the real suite: every route under /api of every service, read from its
/openapi.json, refuses every kind of bad token with 401 and every role outside its declaration with 403; the
only exceptions are named here (ANONYMOUS: the public OCDS feed, decision 0038)."""

import base64
import json
import time
import uuid
from dataclasses import dataclass

import jwt
import pytest

from shared.cli import main as cli_main
from shared.config import load_settings
from shared.http.auth import ROLES
from shared.permissions import PUBLIC_PATHS, api_routes, may_call, public_api_routes
from shared.suite import SERVICES, app_of
from tests.support.openapi import fill_path
from tests.support.processes import REPO, Suite, http

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
BODY_METHODS = {"POST", "PUT", "PATCH"}
# The routes under /api that anyone may call without a token, by name; every other one needs a token.
ANONYMOUS = {("contracts", "GET", "/api/v1/ocds/releases"), ("contracts", "GET", "/api/v1/ocds/releases/<release_id>"),
             ("contracts", "GET", "/api/v1/ocds/records")}


@dataclass(frozen=True)
class Route:
    service: str
    method: str
    rule: str  # as Flask writes it: /api/v1/visits/<visit_id>
    url_path: str  # with a value for every path parameter (tests/support/openapi.py)
    allowed: tuple[str, ...] | None

    def __str__(self) -> str:
        return f"{self.service} {self.method} {self.rule}"


def flask_rule(openapi_path: str) -> str:
    return openapi_path.replace("{", "<").replace("}", ">")


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    # Live streams end at once: the walk calls each route as every role, one after another.
    with Suite(SERVICES, tmp_path_factory.mktemp("auth-matrix"),
               extra_env={"CHANCERY_WEB_WORKERS": "1", "NOTIFICATIONS_STREAM_SECONDS": "0.2"}) as suite:
        yield suite


@pytest.fixture(scope="module")
def documents(suite) -> dict[str, dict]:
    answers = {service: http("GET", suite.url(service, "/openapi.json")) for service in SERVICES}
    assert {service: answer.status for service, answer in answers.items()} == {s: 200 for s in SERVICES}
    return {service: answer.json for service, answer in answers.items()}


@pytest.fixture(scope="module")
def routes(documents) -> list[Route]:
    """Every operation under /api of every service's OpenAPI document, with the roles the code allows."""
    found = []
    for service, document in documents.items():
        declared = {(method, rule): allowed for method, rule, allowed in api_routes(app_of(service))}
        for path, operations in document["paths"].items():
            if not path.startswith("/api/"):
                continue
            for method, operation in operations.items():
                key = (method.upper(), flask_rule(path))
                if (service, *key) in ANONYMOUS:
                    continue
                found.append(Route(service, key[0], key[1], fill_path(path, operation), declared.get(key)))
    return found


def send(suite, route: Route, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    body = {} if route.method in BODY_METHODS else None
    return http(route.method, suite.url(route.service, route.url_path), body, headers=headers)


def is_problem(answer, status: int) -> bool:
    return (answer.status == status and answer.headers.get("content-type") == PROBLEM
            and isinstance(answer.json, dict) and answer.json.get("status") == status)


# --- tokens that must all be refused ---

SETTINGS = load_settings("visits")


def claims(**changes) -> dict:
    now = int(time.time())
    return {"sub": "mallory", "roles": ["admin"], "iss": SETTINGS.jwt_issuer, "aud": SETTINGS.jwt_audience,
            "iat": now, "nbf": now, "exp": now + 600, **changes}


def signed(**changes) -> str:
    return "Bearer " + jwt.encode(claims(**changes), SETTINGS.jwt_secret, algorithm="HS256")


def unsigned() -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"Bearer {part({'alg': 'none', 'typ': 'JWT'})}.{part(claims())}."


BAD_AUTHORIZATIONS = {
    "no token": lambda: None,
    "an expired token": lambda: signed(iat=int(time.time()) - 7200, nbf=int(time.time()) - 7200,
                                       exp=int(time.time()) - 60),
    "a token signed with another secret": lambda: "Bearer " + jwt.encode(
        claims(), "another-secret-that-is-long-enough-for-hs256", algorithm="HS256"),
    "a token with alg none": unsigned,
    "a token not yet valid": lambda: signed(nbf=int(time.time()) + 3600),
    "a token from another issuer": lambda: signed(iss="https://elsewhere.example"),
    "a token for another audience": lambda: signed(aud="another-application"),
    "a token without an expiry": lambda: "Bearer " + jwt.encode(
        {k: v for k, v in claims().items() if k != "exp"}, SETTINGS.jwt_secret, algorithm="HS256"),
    "something that is not a JWT": lambda: "Bearer not.a.jwt",
    "basic credentials": lambda: "Basic " + base64.b64encode(b"admin:admin").decode(),
}


def test_the_openapi_documents_list_exactly_the_routes_the_code_declares(routes):
    documented = {(route.service, route.method, route.rule) for route in routes} | ANONYMOUS
    declared = {(service, method, rule) for service in SERVICES for method, rule, _ in api_routes(app_of(service))}
    declared |= {(service, method, rule) for service in SERVICES for method, rule in public_api_routes(app_of(service))}
    assert documented == declared
    assert len(routes) >= len(SERVICES)


def test_every_api_route_declares_who_may_call_it(routes):
    assert [str(route) for route in routes if not route.allowed] == []


@pytest.mark.parametrize("kind", list(BAD_AUTHORIZATIONS))
def test_every_api_route_answers_401_problem_json_to(suite, routes, kind):
    authorization = BAD_AUTHORIZATIONS[kind]()
    failures = []
    for route in routes:
        answer = send(suite, route, authorization)
        if not is_problem(answer, 401) or not answer.headers.get("www-authenticate", "").startswith("Bearer"):
            failures.append(f"{route}: {answer.status} {answer.body}")
    assert failures == []


def test_every_role_outside_a_routes_declaration_gets_403_and_every_role_inside_gets_past_it(suite, routes):
    tokens = {role: "Bearer " + suite.token(role, sub=f"matrix-{role}") for role in ROLES}
    failures = []
    for route in routes:
        for role, authorization in tokens.items():
            answer = send(suite, route, authorization)
            if may_call(route.allowed, role):
                if answer.status in (401, 403) or answer.status >= 500:
                    failures.append(f"{route} as {role}: allowed but got {answer.status} {answer.body}")
            elif not is_problem(answer, 403):
                failures.append(f"{route} as {role}: expected 403, got {answer.status} {answer.body}")
    assert failures == []


def test_some_role_is_refused_on_every_route_that_is_not_for_all_staff(routes):
    for_some = [route for route in routes if set(route.allowed or ()) != set(ROLES)]
    assert for_some, "the walk would prove nothing about 403"
    assert all(any(not may_call(route.allowed, role) for role in ROLES) for route in for_some)


@pytest.mark.parametrize("service", SERVICES)
def test_an_unknown_api_path_asks_for_a_token_before_saying_it_does_not_exist(suite, service):
    assert is_problem(http("GET", suite.url(service, f"/api/v1/{uuid.uuid4()}")), 401)


# --- the public endpoints ---

def test_the_routes_open_without_a_token_are_exactly_those_named_here():
    opened = {(service, method, rule) for service in SERVICES for method, rule in public_api_routes(app_of(service))}
    assert opened == ANONYMOUS


def test_the_anonymous_routes_answer_without_a_token_and_ignore_a_bad_one(suite, documents):
    for service, method, rule in sorted(ANONYMOUS):
        path = rule.replace("<", "{").replace(">", "}")
        url = suite.url(service, fill_path(path, documents[service]["paths"][path][method.lower()]))
        for authorization in (None, BAD_AUTHORIZATIONS["a token signed with another secret"]()):
            answer = http(method, url, headers={"Authorization": authorization} if authorization else {})
            assert answer.status in (200, 404) and answer.status != 401, (rule, answer.status, answer.body)


@pytest.mark.parametrize("service", SERVICES)
def test_health_readiness_metrics_the_openapi_document_and_the_docs_answer_without_a_token(suite, service):
    for path in PUBLIC_PATHS:
        answer = http("GET", suite.url(service, path))
        assert answer.status == 200, (service, path, answer.body)
    assert http("GET", suite.url(service, "/healthz")).json == {"status": "alive", "service": service}
    assert http("GET", suite.url(service, "/readyz")).json["checks"] == {"database": "ok", "broker": "ok"}
    assert "chancery_http_requests_total" in http("GET", suite.url(service, "/metrics")).body


@pytest.mark.parametrize("service", SERVICES)
def test_the_openapi_document_is_openapi_3_1_with_bearer_security_on_every_api_operation(documents, service):
    document = documents[service]
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"]
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer",
                                                                   "bearerFormat": "JWT"}
    for path, operations in document["paths"].items():
        assert path.startswith("/api/"), path
        for method, operation in operations.items():
            public = (service, method.upper(), flask_rule(path)) in ANONYMOUS
            assert operation["security"] == ([] if public else [{"bearer": []}]), (method, path)
            if public:
                continue
            for status in ("401", "403", "422"):
                assert PROBLEM in operation["responses"][status]["content"], (method, path, status)


# --- the written matrix ---

def test_docs_permissions_md_is_exactly_what_chancery_permissions_prints(capsys):
    assert cli_main(["permissions"]) == 0
    assert (REPO / "docs" / "permissions.md").read_text() == capsys.readouterr().out
