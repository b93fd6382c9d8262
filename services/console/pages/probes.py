"""Probes and metrics of the console, as every service answers them."""

from __future__ import annotations

from flask import Blueprint, current_app

from shared.http.probes import OK, metrics_response, probe_answer
from shared.observability import metrics_registry

probe_pages = Blueprint("probes", __name__)
_registry = None


@probe_pages.get("/healthz")
def healthz():
    return {"status": "alive", "service": "console"}


@probe_pages.get("/readyz")
def readyz():
    try:
        current_app.extensions["console.store"].ping()
        sessions = OK
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        sessions = type(error).__name__
    return probe_answer("ready", {"sessions": sessions})


@probe_pages.get("/metrics")
def metrics():
    global _registry
    _registry = _registry or metrics_registry([])
    return metrics_response(_registry)
