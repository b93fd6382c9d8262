"""docker-compose.yml and the broker definitions it loads agree (no Docker engine needed)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import urlparse

import yaml

from shared.config import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DEFINITIONS = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())


def password_matches(password: str, password_hash: str) -> bool:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4-byte salt."""
    raw = base64.b64decode(password_hash)
    salt, digest = raw[:4], raw[4:]
    return hashlib.sha256(salt + password.encode()).digest() == digest


def test_each_service_container_connects_to_the_broker_as_its_own_user_with_the_definitions_password():
    users = {user["name"]: user for user in DEFINITIONS["users"]}
    for service in SERVICE_PORTS:
        for container in (service, f"{service}-worker", f"{service}-migrate"):
            url = urlparse(COMPOSE["services"][container]["environment"]["CHANCERY_AMQP_URL"])
            assert url.username == service and url.hostname == "rabbitmq", container
            assert password_matches(url.password, users[service]["password_hash"]), container


def test_every_broker_user_but_the_administrator_has_permissions_and_no_user_is_an_administrator_by_accident():
    permitted = {permission["user"] for permission in DEFINITIONS["permissions"]}
    for user in DEFINITIONS["users"]:
        assert user["name"] in permitted, user["name"]
        assert ("administrator" in user["tags"]) == (user["name"] == "guest"), user["name"]


def test_the_password_check_rejects_a_wrong_password():
    visits = next(user for user in DEFINITIONS["users"] if user["name"] == "visits")
    assert not password_matches("guest", visits["password_hash"])
