"""Each event's data, built from the record it is about: one function per record type (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from services.visits.events import CATALOG
from services.visits.store.models import Visit


def visit(record: Visit) -> dict[str, Any]:
    return CATALOG.contents("visit", record)
