"""The field types the visits request and response bodies share."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from shared.http.records import NO_NUL

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NO_NUL)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=NO_NUL)]
PartnerId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36, pattern=NO_NUL)]
# An official's id: the identity provider's subject (Keycloak's are UUIDs; others any text without blanks or slashes).
Subject = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x20/\x7f]+$")]
OFFICIAL_IDS = ("Officials by their id in the register (`GET /api/v1/officials`, decision 0130), taking part beside "
                "those named; their display names are kept")
TIMES = "Wall-clock time at the venue, read in `time_zone`, or a time with an explicit offset"
