"""Attacks on RS256 tokens verified against the identity provider's JWKS, as production runs: a real visits
process whose CHANCERY_JWKS_URL points at a key set served by this test. (The HS256 development mode is walked
route by route in tests/integration/test_auth_matrix.py.)"""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.processes import Suite, http

pytestmark = pytest.mark.integration
ISSUER, AUDIENCE, KEY_ID = "https://id.city.example/realms/staff", "chancery", "city-2026"
PROBLEM = "application/problem+json"
PATH = "/api/v1/visits"

PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = PROVIDER_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)


class KeySet(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    provider = ThreadingHTTPServer(("127.0.0.1", 0), KeySet)
    threading.Thread(target=provider.serve_forever, daemon=True).start()
    env = {"CHANCERY_JWKS_URL": f"http://127.0.0.1:{provider.server_port}/jwks", "CHANCERY_JWT_ISSUER": ISSUER,
           "CHANCERY_JWT_AUDIENCE": AUDIENCE, "CHANCERY_WEB_WORKERS": "1"}
    try:
        with Suite(("visits",), tmp_path_factory.mktemp("jwks"), extra_env=env) as suite:
            yield suite
    finally:
        provider.shutdown()


def claims(**changes) -> dict:
    now = int(time.time())
    return {"sub": "mallory", "roles": ["protocol"], "iss": ISSUER, "aud": AUDIENCE,
            "iat": now, "nbf": now, "exp": now + 600, **changes}


def rs256(key=PROVIDER_KEY, kid=KEY_ID, **changes) -> str:
    return jwt.encode(claims(**changes), key, algorithm="RS256", headers={"kid": kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict, secret: bytes | None) -> str:
    """A token built by hand, as an attacker would: PyJWT itself refuses to HMAC-sign with a public key."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims()).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret else b""
    return f"{signing_input}.{b64(signature)}"


def get(suite, token: str):
    return http("GET", suite.url("visits", PATH), token=token)


def test_a_token_signed_by_the_identity_provider_is_accepted(visits):
    assert get(visits, rs256()).status == 200


REFUSED = {
    "alg none": lambda: hand_made({"alg": "none", "typ": "JWT", "kid": KEY_ID}, None),
    "HS256 signed with the provider's public key": lambda: hand_made({"alg": "HS256", "typ": "JWT", "kid": KEY_ID},
                                                                     PUBLIC_PEM),
    "a key the provider does not publish": lambda: rs256(key=STRANGER_KEY),
    "an unknown key id": lambda: rs256(key=STRANGER_KEY, kid="not-a-city-key"),
    "expired": lambda: rs256(iat=int(time.time()) - 7200, nbf=int(time.time()) - 7200, exp=int(time.time()) - 60),
    "not yet valid": lambda: rs256(nbf=int(time.time()) + 3600),
    "another issuer": lambda: rs256(iss="https://id.elsewhere.example"),
    "another audience": lambda: rs256(aud="another-application"),
}


@pytest.mark.parametrize("attack", REFUSED)
def test_a_forged_or_stale_token_is_refused_with_401_problem_json(visits, attack):
    answer = get(visits, REFUSED[attack]())
    assert answer.status == 401, answer.json
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json["status"] == 401


def test_a_genuine_token_with_no_role_is_refused_with_403_problem_json(visits):
    answer = get(visits, rs256(roles=[]))
    assert (answer.status, answer.headers["content-type"]) == (403, PROBLEM)


def test_a_genuine_token_with_only_roles_chancery_does_not_know_is_refused_with_403(visits):
    assert get(visits, rs256(roles=["superuser", "root"])).status == 403
