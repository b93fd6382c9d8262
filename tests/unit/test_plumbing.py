"""The shared plumbing on its own: configuration, topic patterns, the event envelope and catalog, problem
details, backoff, token verification (HS256 and RS256 from a JWKS) and the app's error mapping."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module

import jsonschema
import jsonschema_rs
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from services.visits.events import CATALOG as VISIT_EVENTS
from shared import launcher
from shared.bus.backoff import Backoff
from shared.bus.consumer import topic_matches
from shared.bus.envelope import EventCatalog, UnknownEventType, cloud_event, parse_cloud_event
from shared.bus.relay import ConfirmingPublisher
from shared.bus.topology import Topology
from shared.config import DEVELOPMENT_JWT_SECRET, DEVELOPMENT_PII_KEY, ConfigurationError, load_settings
from shared.http.auth import Principal, TokenVerifier, allow, mint_development_token
from shared.http.problems import (
    PROBLEM_TYPE_BASE,
    Problem,
    blank_problem_response,
    problem_response,
    validation_problem,
)
from shared.permissions import may_call
from shared.suite import SERVICES
from tests.support.cloudevents_sdk import MODES, sdk_event

PRODUCTION = {"CHANCERY_ENV": "production", "CHANCERY_JWT_SECRET": "a-real-secret-from-the-vault-0123456789",
              "CHANCERY_JWKS_URL": "https://idp.city.example/jwks.json",
              "CHANCERY_PII_KEYS": "Jm9NnL8b0y1eW0Yb8i3qk3o6mYz0bq8Qm3u6l1Zc2Xs=",
              "CHANCERY_CALENDAR_SECRET": "another-real-secret-from-the-vault-0123"}


# --- configuration ---

def test_production_refuses_the_development_secret():
    with pytest.raises(ConfigurationError, match="development JWT secret"):
        load_settings("visits", {**PRODUCTION, "CHANCERY_JWT_SECRET": DEVELOPMENT_JWT_SECRET})


def test_production_refuses_to_run_without_a_jwks_url():
    with pytest.raises(ConfigurationError, match="CHANCERY_JWKS_URL"):
        load_settings("visits", {**PRODUCTION, "CHANCERY_JWKS_URL": ""})


def test_the_rate_limit_is_the_default_when_unset_and_off_when_set_empty(monkeypatch):
    monkeypatch.delenv("CHANCERY_RATE_LIMIT", raising=False)
    assert load_settings("visits").rate_limit == "20/second;600/minute"
    assert load_settings("visits", {"CHANCERY_RATE_LIMIT": ""}).rate_limit == ""


@pytest.mark.parametrize(("variable", "value"), [("CHANCERY_PII_KEYS", ""),
                                                  ("CHANCERY_PII_KEYS", DEVELOPMENT_PII_KEY),
                                                  ("CHANCERY_CALENDAR_SECRET", "")])
def test_production_refuses_the_development_or_a_missing_personal_data_key_and_calendar_secret(variable, value):
    with pytest.raises(ConfigurationError, match=variable):
        load_settings("visits", {**PRODUCTION, variable: value})


def test_production_starts_with_its_own_secret_and_a_jwks_url():
    settings = load_settings("visits", PRODUCTION)
    assert settings.is_production
    assert settings.jwks_url == PRODUCTION["CHANCERY_JWKS_URL"]


def test_development_uses_the_local_secret_and_no_jwks():
    settings = load_settings("visits", {"CHANCERY_ENV": "development", "CHANCERY_JWT_SECRET": "",
                                        "CHANCERY_JWKS_URL": ""})
    assert settings.jwt_secret == DEVELOPMENT_JWT_SECRET
    assert not settings.is_production


def test_an_environment_other_than_development_gets_no_secret_by_default():
    settings = load_settings("visits", {"CHANCERY_ENV": "test", "CHANCERY_JWT_SECRET": "",
                                        "CHANCERY_JWKS_URL": "https://login.city.example/jwks",
                                        "CHANCERY_PII_KEYS": PRODUCTION["CHANCERY_PII_KEYS"],
                                        "CHANCERY_CALENDAR_SECRET": "a-calendar-secret-of-the-test-environment"})
    assert settings.jwt_secret == ""


def test_each_service_reads_its_own_database_url_and_port():
    settings = load_settings("trips", {"TRIPS_DATABASE_URL": "postgresql+psycopg://db/trips", "TRIPS_PORT": "9102",
                                       "VISITS_DATABASE_URL": "sqlite:///elsewhere.db"})
    assert settings.database_url == "postgresql+psycopg://db/trips"
    assert settings.port == 9102


def test_an_empty_variable_means_the_default():
    settings = load_settings("visits", {"CHANCERY_MAX_BODY_BYTES": "", "CHANCERY_RETRY_DELAYS_SECONDS": ""})
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.retry_delays_seconds == (1.0, 5.0, 30.0)


def test_exchange_and_queue_names_take_the_namespace_as_a_prefix():
    assert load_settings("visits", {"CHANCERY_NAMESPACE": "t42"}).name("chancery.events") == "t42.chancery.events"
    assert load_settings("visits", {"CHANCERY_NAMESPACE": ""}).name("chancery.events") == "chancery.events"


# --- topic patterns ---

@pytest.mark.parametrize(("pattern", "key", "matches"), [
    ("chancery.visits.visit.confirmed.v1", "chancery.visits.visit.confirmed.v1", True),
    ("chancery.visits.visit.confirmed.v1", "chancery.visits.visit.cancelled.v1", False),
    ("chancery.visits.#", "chancery.visits.visit.confirmed.v1", True),
    ("chancery.visits.#", "chancery.visits", True),
    ("chancery.visits.#", "chancery.trips.trip.approved.v1", False),
    ("chancery.*.visit.confirmed.v1", "chancery.visits.visit.confirmed.v1", True),
    ("chancery.*.confirmed.v1", "chancery.visits.visit.confirmed.v1", False),
    ("chancery.visits.visit.*.v1", "chancery.visits.visit.confirmed.v1", True),
    ("chancery.visits.visit.*.v1", "chancery.visits.visit.confirmed.v2", False),
    ("#", "anything.at.all", True),
    ("#", "", True),
    ("#.v1", "chancery.visits.visit.confirmed.v1", True),
    ("#.v1", "chancery.visits.visit.confirmed.v2", False),
    ("chancery.#.v1", "chancery.v1", True),
    ("*", "chancery.visits", False),
    ("*.*", "chancery.visits", True),
    ("chancery.visits", "chancery.visits.visit", False),
])
def test_topic_patterns_follow_amqp_rules_where_star_is_one_word_and_hash_any_number(pattern, key, matches):
    assert topic_matches(pattern, key) is matches


# --- the CloudEvent envelope and the catalog ---

VISIT_DATA = {"id": "0b9ec6d4-8a8c-4b8b-bf43-3f1d6e0c2f10", "delegation_name": "Lyon", "country": "FR",
              "city": "Lyon", "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning",
              "host_official": "Deputy Mayor", "status": "confirmed", "status_reason": None, "version": 2}


def test_a_cloud_event_carries_the_required_attributes_and_a_utc_time():
    occurred = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    event = cloud_event(service="visits", event_id="e-1", event_type="chancery.visits.visit.confirmed.v1",
                        subject="v-1", occurred_at=occurred, data={"a": 1})
    assert event == {"specversion": "1.0", "id": "e-1", "source": "/chancery/visits",
                     "type": "chancery.visits.visit.confirmed.v1", "time": "2027-03-01T09:30:00Z",
                     "subject": "v-1", "datacontenttype": "application/json", "data": {"a": 1}}


def test_a_cloud_event_survives_the_wire():
    event = cloud_event(service="visits", event_id=str(uuid.uuid4()), event_type="chancery.visits.visit.created.v1",
                        subject="v-1", occurred_at=datetime.now(UTC), data=VISIT_DATA)
    assert parse_cloud_event(json.dumps(event).encode()) == event


@pytest.mark.parametrize(("body", "complaint"), [
    (b"\xff\xfe not json", "not JSON"),
    (b"{\"specversion\": ", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"specversion": "1.0", "id": "x", "source": "/chancery/visits"}', "type"),
    (b'{"id": "x", "source": "s", "type": "t"}', "specversion"),
    (b'{"specversion": "0.3", "id": "x", "source": "s", "type": "t"}', "specversion"),
])
def test_a_message_that_is_not_a_cloud_event_is_refused_saying_why(body, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_cloud_event(body)


# Whole milliseconds: the SDK's AMQP binding sends `time` as an AMQP timestamp, no finer.
SDK_TIME = datetime(2027, 3, 1, 8, 0, 5, 123000, tzinfo=UTC)
PARTNER_UPDATED = "chancery.inbound.partner.updated.v1"


@pytest.mark.parametrize("mode", MODES)
def test_an_event_the_official_sdk_sends_in_structured_or_binary_mode_reads_as_the_same_cloud_event(mode):
    event = sdk_event(PARTNER_UPDATED, "/city/registry", "REG-P-1", {"registry_id": "REG-P-1"}, SDK_TIME)
    message = MODES[mode](event)
    assert parse_cloud_event(message.body, message.headers, message.content_type) == {
        "specversion": "1.0", "id": event.get_id(), "source": "/city/registry", "type": PARTNER_UPDATED,
        "subject": "REG-P-1", "time": "2027-03-01T08:00:05.123000Z", "datacontenttype": "application/json",
        "data": {"registry_id": "REG-P-1"}}


BINARY = {"ce-specversion": "1.0", "ce-id": "x", "ce-source": "/city/registry", "ce-type": PARTNER_UPDATED}


@pytest.mark.parametrize(("headers", "content_type", "body", "complaint"), [
    ({k: v for k, v in BINARY.items() if k != "ce-id"}, "application/json", b"{}", "attributes: id"),
    ({**BINARY, "ce-specversion": "0.3"}, "application/json", b"{}", "specversion"),
    (BINARY, "application/xml", b"<partner/>", "only JSON data"),
    (BINARY, "application/json", b"<partner/>", "data is not JSON"),
])
def test_a_binary_mode_message_that_is_not_a_cloud_event_with_json_data_is_refused_saying_why(
        headers, content_type, body, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_cloud_event(body, headers, content_type)


def test_the_catalog_accepts_data_that_follows_the_schema():
    VISIT_EVENTS.validate("chancery.visits.visit.confirmed.v1", VISIT_DATA)


def test_the_catalog_refuses_an_event_type_it_does_not_list():
    with pytest.raises(UnknownEventType):
        VISIT_EVENTS.validate("chancery.visits.visit.teleported.v1", VISIT_DATA)


@pytest.mark.parametrize("broken", [
    {"status": "postponed"},
    {"country": "France"},
    {"version": 0},
    {"unexpected": True},
])
def test_the_catalog_refuses_data_that_breaks_the_schema(broken):
    with pytest.raises(jsonschema_rs.ValidationError):
        VISIT_EVENTS.validate("chancery.visits.visit.confirmed.v1", {**VISIT_DATA, **broken})


def test_the_catalog_refuses_data_missing_a_required_field():
    data = {name: value for name, value in VISIT_DATA.items() if name != "status"}
    with pytest.raises(jsonschema_rs.ValidationError):
        VISIT_EVENTS.validate("chancery.visits.visit.confirmed.v1", data)


@pytest.mark.parametrize("event_type", [
    "chancery.trips.trip.approved.v1",  # another service's type
    "chancery.visits.visit.confirmed",  # no major version
    "visits.visit.confirmed.v1",
    "chancery.visits.Visit.confirmed.v1",
])
def test_a_catalog_refuses_a_type_that_breaks_the_naming_rule(tmp_path, event_type):
    with pytest.raises(ValueError, match="does not follow"):
        EventCatalog("visits", tmp_path, {event_type: "x.json"})


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_catalog_schema_is_a_valid_json_schema(service):
    catalog = import_module(f"services.{service}.events").CATALOG
    for event_type in catalog.types:
        jsonschema.Draft202012Validator.check_schema(catalog.schema(event_type))


# --- problem details ---

problems_app = Flask(__name__)


def test_a_problem_is_rendered_as_rfc_9457_problem_json():
    with problems_app.test_request_context("/api/v1/visits/42"):
        response = Problem("illegal-transition", "cannot start a draft", headers={"Retry-After": "1"},
                           allowed_actions=["confirm"]).to_response()
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert json.loads(response.get_data()) == {
        "type": PROBLEM_TYPE_BASE + "illegal-transition", "title": "Transition not allowed", "status": 409,
        "instance": "/api/v1/visits/42", "detail": "cannot start a draft", "allowed_actions": ["confirm"]}


def test_a_problem_of_no_registered_type_is_about_blank_titled_by_its_status_and_without_detail_omits_it():
    with problems_app.test_request_context("/x"):
        body = json.loads(blank_problem_response(402, None, {}).get_data())
    assert body == {"type": "about:blank", "title": "Payment Required", "status": 402, "instance": "/x"}


def test_a_problem_extension_cannot_replace_the_title_or_status_of_its_type():
    with problems_app.test_request_context("/x"), pytest.raises(TypeError, match="title"):
        Problem("conflict", "taken", title="Already written").to_response()


def test_a_problem_of_an_unregistered_type_cannot_be_raised():
    with pytest.raises(KeyError):
        Problem("something-nobody-registered")


def test_a_problem_keeps_non_ascii_text_readable():
    with problems_app.test_request_context("/x"):
        response = problem_response("validation", "Проверьте поля")
    assert "Проверьте поля".encode() in response.get_data()


class Nested(BaseModel):
    name: str
    members: list[int]


def test_a_validation_problem_names_every_offending_field_with_its_path():
    with pytest.raises(ValidationError) as invalid:
        Nested.model_validate({"members": [1, "two"]})
    with problems_app.test_request_context("/x"):
        body = json.loads(validation_problem(invalid.value).get_data())
    assert body["status"] == 422
    assert {error["field"] for error in body["errors"]} == {"name", "members.1"}
    assert all(error["message"] and error["code"] for error in body["errors"])
    assert body["detail"] == "Check these fields: members.1, name"


# --- backoff ---

def test_backoff_doubles_up_to_its_ceiling_and_starts_again_after_a_reset():
    backoff = Backoff(first=0.5, ceiling=5)
    assert [backoff.next() for _ in range(6)] == [0.5, 1, 2, 4, 5, 5]
    backoff.reset()
    assert backoff.next() == 0.5


# --- development tokens (HS256) ---

DEVELOPMENT = {"CHANCERY_ENV": "development", "CHANCERY_JWT_SECRET": "", "CHANCERY_JWKS_URL": "",
               "CHANCERY_JWT_ISSUER": "", "CHANCERY_JWT_AUDIENCE": ""}


@pytest.fixture
def development():
    return load_settings("visits", DEVELOPMENT)


def claims(settings, **changes):
    now = int(time.time())
    return {"sub": "olga", "roles": ["protocol"], "iss": settings.jwt_issuer, "aud": settings.jwt_audience,
            "iat": now, "nbf": now, "exp": now + 600, **changes}


def bearer(token: str) -> str:
    return f"Bearer {token}"


def test_a_minted_development_token_is_verified_with_its_subject_and_roles(development):
    token = mint_development_token(development, "olga", ["protocol", "auditor"])
    principal = TokenVerifier(development).verify(bearer(token))
    assert principal == Principal("olga", frozenset({"protocol", "auditor"}))


def test_a_development_token_carries_the_department_its_holder_belongs_to(development):
    token = mint_development_token(development, "boris", ["department-head"], department="Culture Department")
    assert TokenVerifier(development).verify(bearer(token)).department == "Culture Department"
    assert TokenVerifier(development).verify(bearer(mint_development_token(development, "olga", []))).department \
        is None


def test_minting_refuses_a_role_that_does_not_exist(development):
    with pytest.raises(ValueError, match="unknown roles"):
        mint_development_token(development, "olga", ["superuser"])


def test_production_mints_no_development_tokens():
    with pytest.raises(RuntimeError):
        mint_development_token(load_settings("visits", PRODUCTION), "olga", ["admin"])


@pytest.mark.parametrize(("authorization", "complaint"), [
    (None, "bearer token"),
    ("", "bearer token"),
    ("Basic b2xnYTpzZWNyZXQ=", "bearer token"),
    ("Bearer", "bearer token"),
    ("Bearer not-a-jwt", "refused"),
])
def test_a_missing_or_malformed_authorization_is_401(development, authorization, complaint):
    with pytest.raises(Problem) as refused:
        TokenVerifier(development).verify(authorization)
    assert refused.value.status == 401
    assert complaint in refused.value.detail
    assert refused.value.headers["WWW-Authenticate"].startswith("Bearer")


# Times are offsets from the moment the test runs, not from collection: a long suite run must not turn a
# token that is not yet valid into a valid one.
@pytest.mark.parametrize("change", [
    {"exp": -60},
    {"nbf": +600},
    {"iss": "someone-else"},
    {"aud": "another-app"},
    {"roles": "admin"},
    {"sub": None},
    {"department": ["Culture", "Sport"]},
    {"department": "d" * 201},
])
def test_a_token_with_a_bad_claim_is_401(development, change):
    now = int(time.time())
    change = {name: now + value if name in ("exp", "nbf") else value for name, value in change.items()}
    payload = {name: value for name, value in claims(development, **change).items() if value is not None}
    token = jwt.encode(payload, development.jwt_secret, algorithm="HS256")
    with pytest.raises(Problem) as refused:
        TokenVerifier(development).verify(bearer(token))
    assert refused.value.status == 401


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "aud"])
def test_a_token_missing_a_required_claim_is_401(development, missing):
    payload = {name: value for name, value in claims(development).items() if name != missing}
    token = jwt.encode(payload, development.jwt_secret, algorithm="HS256")
    with pytest.raises(Problem):
        TokenVerifier(development).verify(bearer(token))


def test_roles_chancery_does_not_know_are_dropped_from_the_principal(development):
    token = jwt.encode(claims(development, roles=["protocol", "domain-users", "vpn"]), development.jwt_secret,
                       algorithm="HS256")
    assert TokenVerifier(development).verify(bearer(token)).roles == frozenset({"protocol"})


def test_a_subject_longer_than_the_actor_columns_is_401(development):
    token = jwt.encode(claims(development, sub="s" * 201), development.jwt_secret, algorithm="HS256")
    with pytest.raises(Problem, match="subject"):
        TokenVerifier(development).verify(bearer(token))


def test_a_token_signed_with_another_secret_is_401(development):
    token = jwt.encode(claims(development), "another-secret-of-at-least-32-bytes!", algorithm="HS256")
    with pytest.raises(Problem, match="Signature"):
        TokenVerifier(development).verify(bearer(token))


def test_an_unsigned_token_is_401(development):
    token = jwt.encode(claims(development), None, algorithm="none")
    with pytest.raises(Problem):
        TokenVerifier(development).verify(bearer(token))


def test_without_a_secret_or_jwks_every_token_is_refused():
    # No environment starts so (tests/unit/test_settings.py); the verifier still refuses every token.
    keyless = load_settings("visits", DEVELOPMENT).model_copy(update={"jwt_secret": ""})
    token = jwt.encode(claims(keyless), DEVELOPMENT_JWT_SECRET, algorithm="HS256")
    with pytest.raises(Problem):
        TokenVerifier(keyless).verify(bearer(token))


# --- production tokens (RS256 from the identity provider's JWKS) ---

def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class IdentityProvider:
    """A JWKS endpoint on 127.0.0.1, as the city's identity provider serves it."""

    def __init__(self):
        self.key, self.kid, self.fetches = rsa_key(), "city-key-1", 0
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}).encode()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                provider.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def jwks_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"

    def sign(self, payload: dict, key=None, kid: str | None = "") -> str:
        headers = {"kid": self.kid if kid == "" else kid} if kid is not None else {}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers=headers)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def identity_provider():
    provider = IdentityProvider()
    yield provider
    provider.close()


@pytest.fixture
def production(identity_provider):
    return load_settings("visits", {**PRODUCTION, "CHANCERY_JWKS_URL": identity_provider.jwks_url,
                                    "CHANCERY_JWT_ISSUER": "https://idp.city.example",
                                    "CHANCERY_JWT_AUDIENCE": "chancery"})


def test_production_verifies_an_rs256_token_with_the_key_from_the_jwks(identity_provider, production):
    token = identity_provider.sign(claims(production, sub="mayor", roles=["mayor-office"]))
    principal = TokenVerifier(production).verify(bearer(token))
    assert principal == Principal("mayor", frozenset({"mayor-office"}))


def test_the_jwks_is_fetched_once_for_many_requests(identity_provider, production):
    verifier = TokenVerifier(production)
    before = identity_provider.fetches
    for sub in ("a", "b", "c", "d"):
        verifier.verify(bearer(identity_provider.sign(claims(production, sub=sub))))
    assert identity_provider.fetches - before == 1


def test_production_refuses_a_token_signed_by_a_key_not_in_the_jwks(identity_provider, production):
    token = identity_provider.sign(claims(production), key=rsa_key())
    with pytest.raises(Problem) as refused:
        TokenVerifier(production).verify(bearer(token))
    assert refused.value.status == 401


@pytest.mark.parametrize("kid", ["someone-elses-key", None])
def test_production_refuses_a_token_naming_no_key_or_an_unknown_one(identity_provider, production, kid):
    token = identity_provider.sign(claims(production), kid=kid)
    with pytest.raises(Problem):
        TokenVerifier(production).verify(bearer(token))


def test_production_refuses_development_tokens(production):
    token = jwt.encode(claims(production), DEVELOPMENT_JWT_SECRET, algorithm="HS256")
    with pytest.raises(Problem):
        TokenVerifier(production).verify(bearer(token))


def test_production_refuses_an_hs256_token_keyed_with_the_public_key(identity_provider, production):
    public_pem = identity_provider.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = {"alg": "HS256", "typ": "JWT", "kid": identity_provider.kid}
    signing_input = ".".join(jwt.utils.base64url_encode(json.dumps(part).encode()).decode()
                             for part in (header, claims(production)))
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{jwt.utils.base64url_encode(signature).decode()}"
    with pytest.raises(Problem):
        TokenVerifier(production).verify(bearer(token))


@pytest.mark.parametrize("change", [{"aud": "another-app"}, {"iss": "chancery-development"},
                                    {"exp": int(time.time()) - 5}])
def test_production_checks_the_issuer_audience_and_expiry_of_rs256_tokens(identity_provider, production, change):
    token = identity_provider.sign(claims(production, **change))
    with pytest.raises(Problem):
        TokenVerifier(production).verify(bearer(token))


# --- roles ---

def test_declaring_an_unknown_role_fails_at_import_time():
    with pytest.raises(ValueError, match="unknown roles"):
        allow("protocol", "janitor")


def test_admin_may_do_what_any_role_may_and_nobody_may_call_an_undeclared_route():
    assert Principal("root", frozenset({"admin"})).has_any(("protocol",))
    assert not Principal("olga", frozenset({"travel"})).has_any(("protocol",))
    assert may_call(("protocol",), "admin")
    assert not may_call(None, "admin")


# --- the app's error mapping and metrics ---

def _raise(error):
    def view():
        raise error
    return view


def test_a_route_under_api_without_a_role_declaration_is_refused_even_to_admins(service_app):
    trips = service_app("trips")
    trips.app.add_url_rule("/api/v1/undeclared", "undeclared", lambda: {"secret": True})
    response = trips.call("GET", "/api/v1/undeclared", roles="admin")
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_a_database_constraint_violation_answers_409_and_an_outage_503(service_app):
    trips = service_app("trips")
    conflict = IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
    outage = OperationalError("SELECT 1", {}, Exception("connection refused"))
    trips.app.add_url_rule("/api/v1/conflict", "conflict", allow("travel")(_raise(conflict)))
    trips.app.add_url_rule("/api/v1/outage", "outage", allow("travel")(_raise(outage)))
    conflicted = trips.call("GET", "/api/v1/conflict", roles="travel")
    assert conflicted.status_code == 409
    assert conflicted.json["type"].endswith("/conflict")
    unavailable = trips.call("GET", "/api/v1/outage", roles="travel")
    assert unavailable.status_code == 503
    assert unavailable.headers["Retry-After"] == "5"


def test_a_value_the_database_cannot_store_answers_422_not_503(service_app):
    trips = service_app("trips")
    too_long = DataError("INSERT", {}, Exception("value too long for type character varying(200)"))
    trips.app.add_url_rule("/api/v1/too-long", "too_long", allow("travel")(_raise(too_long)))
    response = trips.call("GET", "/api/v1/too-long", roles="travel")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_an_unexpected_error_is_500_with_the_request_id_and_no_internals(service_app):
    trips = service_app("trips")
    trips.app.add_url_rule("/api/v1/bug", "bug", allow("travel")(_raise(KeyError("db_password"))))
    response = trips.call("GET", "/api/v1/bug", roles="travel", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 500
    assert response.json["request_id"] == "req-7"
    assert "db_password" not in response.get_data(as_text=True)


def test_http_metrics_are_labelled_by_route_rule_not_by_path(service_app):
    visits = service_app("visits")
    visit_id = str(uuid.uuid4())
    visits.call("GET", f"/api/v1/visits/{visit_id}", roles="protocol")
    metrics = visits.client.get("/metrics").get_data(as_text=True)
    assert 'route="/api/v1/visits/<visit_id>"' in metrics
    assert visit_id not in metrics


def test_unknown_paths_share_one_metrics_label(service_app):
    visits = service_app("visits")
    visits.call("GET", f"/api/v1/{uuid.uuid4()}", roles="protocol")
    metrics = visits.client.get("/metrics").get_data(as_text=True)
    assert 'method="GET",route="unmatched",service="visits",status="404"' in metrics


@pytest.mark.parametrize("service", SERVICES)
def test_building_a_services_app_opens_no_network_connection(service_app, service):
    built = service_app(service)  # the no-network guard fails the test on any connection attempt
    assert built.client.get("/healthz").json == {"status": "alive", "service": service}
    assert built.client.get("/openapi.json").json["openapi"].startswith("3.1")


def test_the_no_network_guard_really_refuses_connections(no_network):
    with socket.socket() as sock, pytest.raises(OSError, match="must not connect"):
        sock.connect(("127.0.0.1", 5672))


@pytest.mark.parametrize("service", SERVICES)
def test_the_openapi_document_keeps_the_request_examples_the_schemas_declare(service):
    document = import_module(f"services.{service}.app").create_app().api_doc
    examples = [name for name, schema in document["components"]["schemas"].items() if schema.get("examples")]
    assert examples, f"{service}: no schema in /openapi.json carries its examples"


def test_a_query_model_builds_its_json_schema_once_and_hands_each_caller_a_copy(monkeypatch):
    from pydantic import BaseModel

    from shared.http.resources import PageQuery

    class Query(PageQuery):
        country: str | None = None

    first = Query.model_json_schema()
    first["properties"].clear()
    built = []
    monkeypatch.setattr(BaseModel, "model_json_schema", classmethod(lambda cls, *a, **k: built.append(cls) or {}))
    again = Query.model_json_schema()
    assert "country" in again["properties"] and "page_size" in again["properties"]
    assert built == []


def test_a_confirm_for_many_settles_only_the_batch_awaiting_it_however_many_were_published_before():
    publisher = ConfirmingPublisher(load_settings("visits"), Topology(load_settings("visits")))
    publisher._awaited = {1_000_001, 1_000_002, 1_000_003}  # the batch after a million messages on one channel
    publisher._on_ack(1_000_002, True)
    publisher._on_nack(1_000_003, False)
    assert (publisher._acked, publisher._failed, publisher._awaited) == ({1_000_001, 1_000_002}, {1_000_003}, set())


def test_the_launcher_writes_the_projects_bytecode_but_not_its_tests_even_where_python_writes_none(tmp_path,
                                                                                                 monkeypatch):
    service, tests = tmp_path / "services" / "visits", tmp_path / "services" / "visits" / "tests"
    for directory, module in ((tmp_path / "shared", "plumbing"), (service, "app"), (tests, "test_app")):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{module}.py").write_text("ANSWER = 42\n")
    monkeypatch.setattr(launcher, "PROJECT", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # as PYTHONDONTWRITEBYTECODE=1 sets it
    launcher.compile_project()
    compiled = {path.parent.parent.name for path in tmp_path.rglob("*.pyc")}
    assert compiled == {"shared", "visits"}
