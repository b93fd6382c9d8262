"""`chancery seed`: demo data loaded through the running suite's own APIs.

Going through the APIs (not the databases) means the demo data carries its events, audit records and
the read models other services build from them, exactly as staff-entered data would. A service may name in
the suite manifest (`seed`) a module with `seed(client: SeedClient) -> None`; they run in the manifest's
`seed-order` (partners first: visits, trips and contracts refer to them). Every creating call sends an
Idempotency-Key derived from its `key`, so running the seed again returns the records the first run made
instead of duplicating.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from shared.config import load_settings
from shared.http.auth import mint_development_token
from shared.suite import SEED_ORDER, seed_module

SEED_USER = "demo-seed"
RATE_LIMITED_ATTEMPTS = 30


class SeedError(RuntimeError):
    """A seed call was refused; the message carries the service's problem detail."""


class SeedClient:
    def __init__(self, overrides: dict[str, str] | None = None):
        self.overrides = overrides or {}

    def url(self, service: str, path: str) -> str:
        settings = load_settings(service, self.overrides)
        return f"http://{settings.bind_host}:{settings.port}{path}"

    def call(self, service: str, method: str, path: str, body: Any = None, *, roles: str, key: str | None = None,
             tolerate: tuple[int, ...] = (), department: str | None = None) -> Any:
        """Send one request as the seed user with `roles`; a status in `tolerate` (e.g. 409 for a transition
        made by an earlier run) answers None instead of failing."""
        settings = load_settings(service, self.overrides)
        token = mint_development_token(settings, SEED_USER, roles.split(","), department=department)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if key:
            headers["Idempotency-Key"] = f"seed:{key}"
        request = urllib.request.Request(self.url(service, path), data=data, method=method, headers=headers)
        for _ in range(RATE_LIMITED_ATTEMPTS):
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    raw = response.read()
                    return json.loads(raw) if raw and response.headers.get_content_subtype() == "json" else raw
            except urllib.error.HTTPError as error:
                if error.code == 429:  # the service's rate limit: wait as told, then send the same request
                    time.sleep(float(error.headers.get("Retry-After", "1")))
                    continue
                if error.code in tolerate:
                    return None
                raise SeedError(f"{method} {service}{path}: {error.code} {error.read().decode(errors='replace')}") \
                    from error
        raise SeedError(f"{method} {service}{path}: still rate-limited after {RATE_LIMITED_ATTEMPTS} attempts")


def seed_modules(services: tuple[str, ...] = SEED_ORDER) -> list[tuple[str, Any]]:
    chosen = [(name, seed_module(name)) for name in SEED_ORDER if name in services]
    return [(name, module) for name, module in chosen if module is not None]


def run_seeds(services: tuple[str, ...] = SEED_ORDER, overrides: dict[str, str] | None = None) -> list[str]:
    """Seed every service that has a seed module; returns their names."""
    client = SeedClient(overrides)
    seeded = []
    for name, module in seed_modules(services):
        try:
            client.call(name, "GET", "/readyz", roles="admin")
        except (urllib.error.URLError, OSError) as error:
            raise SeedError(f"{name} does not answer at {client.url(name, '/readyz')} ({error}); "
                            "start the suite with `make run` first") from error
        module.seed(client)
        seeded.append(name)
    return seeded
