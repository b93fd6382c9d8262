"""Fixtures for the fast unit tests: any service's app on a fresh SQLite file, with no network at all."""

from __future__ import annotations

import importlib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_openapi3 import OpenAPI

from shared.config import Settings, load_settings
from shared.http.auth import mint_development_token
from shared.migrations import upgrade
from tests.support.problems import check_problem


class NetworkUsed(OSError):
    """A unit test (or the app under it) tried to open a network connection."""


@dataclass
class ServiceUnderTest:
    """One service's app, its test client and its settings; `call` sends a request as a user with roles."""

    name: str
    app: OpenAPI
    client: FlaskClient
    settings: Settings

    def token(self, roles: str = "admin", sub: str = "tester", department: str | None = None) -> str:
        return mint_development_token(self.settings, sub, [role for role in roles.split(",") if role],
                                      department=department)

    def auth(self, roles: str = "admin", sub: str = "tester", department: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(roles, sub, department)}"}

    def call(self, method: str, path: str, body=None, *, roles: str = "admin", sub: str = "tester",
             department: str | None = None, headers: dict[str, str] | None = None, **kwargs):
        all_headers = {**self.auth(roles, sub, department), **(headers or {})}
        if body is not None:
            kwargs["json"] = body
        answer = self.client.open(path, method=method, headers=all_headers, **kwargs)
        if answer.mimetype == "application/problem+json":  # never read a stream to its end to look for one
            check_problem(answer.status_code, answer.content_type, answer.get_json(silent=True))
        return answer


def unit_settings_overrides(name: str, tmp_path: Path) -> dict[str, str]:
    """Pin everything a developer's shell might set, so unit tests run the same everywhere."""
    return {
        "CHANCERY_ENV": "development",
        "CHANCERY_VAR_DIR": str(tmp_path),
        "CHANCERY_NAMESPACE": f"unit-{name}",
        "CHANCERY_JWT_SECRET": "",
        "CHANCERY_JWKS_URL": "",
        "CHANCERY_TRACES_EXPORTER": "none",
        "CHANCERY_LOG_LEVEL": "WARNING",
        "CHANCERY_RATE_LIMIT": "",  # tests drive the API faster than staff do; tests/security checks the limit
        # Nothing listens there; the no-network guard refuses it anyway.
        "CHANCERY_AMQP_URL": "amqp://guest:guest@127.0.0.1:1//",
        f"{name.upper()}_DATABASE_URL": f"sqlite:///{tmp_path / name}.db",
    }


@pytest.fixture
def no_network(monkeypatch) -> None:
    """Refuse every IP connection: unit tests and app creation must not need one."""
    def refuse(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkUsed(f"unit tests must not connect to {address}")
        return original_connect(sock, address)

    original_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


@pytest.fixture
def service_app(tmp_path, no_network) -> Callable[..., ServiceUnderTest]:
    """A factory: `service_app("visits", SOME_SETTING="x")` builds that service on a migrated SQLite file."""
    def build(name: str, **overrides: str) -> ServiceUnderTest:
        module = importlib.import_module(f"services.{name}.app")
        config = {**unit_settings_overrides(name, tmp_path), **overrides}
        settings = load_settings(name, config)
        upgrade(module.SPEC, settings)
        app = module.create_app(config)
        app.config["TESTING"] = True
        return ServiceUnderTest(name, app, app.test_client(), settings)
    return build


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, a package that starts its services once for all its modules kept whole."""
    if config.getoption("dist") != "loadfile":
        return None
    from tests.support.xdist_scopes import SharedServicePackages

    return SharedServicePackages(config, log)
