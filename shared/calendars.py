"""iCalendar (RFC 5545) feeds, and the feed tokens that let a calendar client read one feed.

A calendar client cannot send a bearer token, and staff must not paste their main token into one. So a
user asks for a feed link (`POST /api/v1/calendar-links`) and gets the feed's URL with a feed token: a
JWT signed with `CHANCERY_CALENDAR_SECRET`, for audience `chancery-calendar`, naming the user, their
roles and the one feed path it opens. It opens nothing else: the API refuses it (wrong audience), and
another feed refuses it (wrong path). It expires after `CHANCERY_CALENDAR_TOKEN_DAYS`; rotating the
secret revokes every link at once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import jwt

from shared.config import Settings
from shared.http.auth import ROLES, Principal, unauthorized

if TYPE_CHECKING:
    from icalendar import Event

FEED_AUDIENCE = "chancery-calendar"
FEED_ISSUER = "chancery"
PRODUCT_ID = "-//Chancery//International relations office//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """One event of a feed. Times are timezone-aware (written with their zone) or whole days."""

    uid: str
    summary: str
    starts: datetime | date
    ends: datetime | date
    location: str = ""
    description: str = ""
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED or CANCELLED
    updated: datetime | None = None


def calendar_body(name: str, entries: Iterable[CalendarEntry]) -> bytes:
    # Here, not at the top: only a calendar client's feed request uses iCalendar (3.3 MiB in every web worker;
    # decision 0195's rule).
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(_event(entry))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(entry: CalendarEntry) -> Event:
    for moment in (entry.starts, entry.ends):
        if isinstance(moment, datetime) and moment.tzinfo is None:
            raise ValueError(f"{entry.uid}: a calendar time needs its time zone")
    from icalendar import Event  # see calendar_body

    event = Event()
    event.add("uid", entry.uid)
    event.add("summary", entry.summary)
    event.add("dtstart", entry.starts)
    event.add("dtend", entry.ends)
    event.add("dtstamp", entry.updated or datetime.now(UTC))
    event.add("status", entry.status)
    if entry.updated:
        event.add("last-modified", entry.updated)
    if entry.location:
        event.add("location", entry.location)
    if entry.description:
        event.add("description", entry.description)
    return event


class FeedTokens:
    def __init__(self, settings: Settings):
        self.secret = settings.calendar_secret
        self.lifetime = settings.calendar_token_days * 86400

    def issue(self, principal: Principal, feed_path: str) -> tuple[str, datetime]:
        now = int(time.time())
        expires = now + self.lifetime
        claims = {"sub": principal.subject, "roles": sorted(principal.roles), "feed": feed_path,
                  "aud": FEED_AUDIENCE, "iss": FEED_ISSUER, "iat": now, "exp": expires,
                  "jti": str(uuid.uuid4())}
        if principal.department:
            claims["department"] = principal.department  # a feed shows what its holder may read, no more
        return jwt.encode(claims, self.secret, algorithm="HS256"), datetime.fromtimestamp(expires, UTC)

    def verify(self, token: str, feed_path: str) -> Principal:
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], audience=FEED_AUDIENCE,
                                issuer=FEED_ISSUER, options={"require": ["exp", "sub", "feed", "roles"]})
        except jwt.PyJWTError as error:
            raise unauthorized(f"The calendar link is not valid: {error}") from error
        if claims["feed"] != feed_path:
            raise unauthorized("This calendar link opens another feed")
        return Principal(subject=str(claims["sub"]), roles=frozenset(map(str, claims["roles"])) & set(ROLES),
                         department=claims.get("department"))
