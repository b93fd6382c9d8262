"""The five services of the suite, found by name."""

from __future__ import annotations

import importlib

from shared.config import SERVICE_PORTS
from shared.service import ServiceSpec

SERVICES = tuple(SERVICE_PORTS)


def spec_of(name: str) -> ServiceSpec:
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; services: {', '.join(SERVICES)}")
    return importlib.import_module(f"services.{name}.app").SPEC


def app_of(name: str):
    return importlib.import_module(f"services.{name}.app").create_app()
