"""A partner's timeline: what the other services' events say happened with a partner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

COUNTRY = re.compile(r"^[A-Z]{2}$")
TITLE_FIELDS = ("title", "delegation_name", "name", "purpose")
SUMMARY_FIELDS = ("status", "country", "city", "starts_on", "ends_on", "signed_on", "valid_from", "valid_until",
                  "location", "countries")


@dataclass(frozen=True)
class TimelineFact:
    partner_id: str
    source: str
    record: str
    action: str
    title: str
    country: str | None
    occurred_at: datetime
    details: dict[str, Any]


def fact_of(event: dict[str, Any]) -> TimelineFact | None:
    """The timeline fact an event carries, or None when its record does not concern a partner."""
    data = event.get("data")
    if not isinstance(data, dict) or not data.get("partner_id"):
        return None
    _, source, record, action, _ = event["type"].split(".")
    title = next((str(data[name]) for name in TITLE_FIELDS if data.get(name)), f"{record} {action}")
    return TimelineFact(
        partner_id=str(data["partner_id"]), source=source, record=record, action=action, title=title[:300],
        country=data["country"] if COUNTRY.match(str(data.get("country") or "")) else None,
        occurred_at=datetime.fromisoformat(event.get("time") or "1970-01-01T00:00:00Z"),
        details={name: data[name] for name in SUMMARY_FIELDS if name in data})
