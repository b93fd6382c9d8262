"""Health probes, shared by a service's web app and its worker: each check answers "ok" or what is wrong,
and a probe with a failing check answers 503 problem+json naming it."""

from __future__ import annotations

import time

from flask import Response
from prometheus_client import CollectorRegistry

from shared.bus.connection import connect_once
from shared.db import Database
from shared.http.problems import problem_response
from shared.observability import metrics_payload

OK = "ok"
NOT_CONNECTED = "not connected to the broker"


def database_check(database: Database) -> str:
    try:
        database.ping()
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        return type(error).__name__
    return OK


class BrokerCheck:
    """Whether the broker accepts a connection, remembered for a few seconds so that probes do not open a
    connection each time."""

    def __init__(self, url: str, ttl: float = 5.0):
        self.url, self.ttl = url, ttl
        self.checked_at, self.ok = 0.0, False

    def __call__(self) -> str:
        if not (self.ok and time.monotonic() - self.checked_at < self.ttl):
            try:
                with connect_once(self.url, connect_timeout=2):
                    self.ok = True
            except Exception:  # noqa: BLE001 - any failure means not ready
                self.ok = False
            self.checked_at = time.monotonic()
        return OK if self.ok else "unreachable"


def probe_answer(status: str, checks: dict[str, str]) -> dict | Response:
    """200 {"status": status, "checks": …} when every check is ok; 503 problem+json naming the others."""
    failing = sorted(name for name, outcome in checks.items() if outcome != OK)
    if not failing:
        return {"status": status, "checks": checks}
    return problem_response(f"not-{status}", f"Failing: {', '.join(failing)}", checks=checks)


def metrics_response(registry: CollectorRegistry) -> Response:
    payload, content_type = metrics_payload(registry)
    return Response(payload, mimetype=content_type.split(";")[0], content_type=content_type)
