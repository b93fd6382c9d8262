"""Field types the services' request schemas share."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from pydantic import StringConstraints, WithJsonSchema

TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), WithJsonSchema({
    "type": "string", "enum": sorted(available_timezones()), "examples": ["Europe/Sofia"],
    "description": "An IANA time zone (a tz database name)"})]
