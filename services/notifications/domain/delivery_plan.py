"""Which channels a recipient hears an event on, and when: preferences, quiet hours, critical events.

Plain Python with the clock passed in, so every rule is tested with a frozen `now`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

IN_APP, EMAIL = "in-app", "email"
PERSONAL_CHANNELS = (IN_APP, EMAIL)
# What a person may choose per channel: hear at once, gather into the daily digest, or not hear at all.
IMMEDIATE, DIGEST, OFF = "immediate", "digest", "off"
DEFAULT_CHANNELS = {IN_APP: IMMEDIATE, EMAIL: OFF}

# Events that reach everyone concerned on every channel they have, at once: preferences, quiet hours and
# digests do not hold them back (decision 0051).
CRITICAL_TYPES = frozenset({
    "chancery.visits.visit.cancelled.v1",
    "chancery.trips.trip.cancelled.v1",
    "chancery.contracts.agreement.terminated.v1",
})


def is_critical(event_type: str, data: dict) -> bool:
    return event_type in CRITICAL_TYPES or data.get("priority") == "critical"


@dataclass(frozen=True)
class QuietHours:
    """A daily period in the recipient's own time zone; it may run over midnight (22:00–07:00)."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, moment: datetime) -> datetime:
        """The first end of quiet hours after `moment` (an aware datetime in the recipient's zone)."""
        end = datetime.combine(moment.date(), self.end, moment.tzinfo)
        return end if end > moment else datetime.combine(moment.date() + timedelta(days=1), self.end, moment.tzinfo)


@dataclass(frozen=True)
class Recipient:
    name: str
    roles: frozenset[str]
    language: str = "en"
    time_zone: str = "UTC"
    email: str | None = None
    channels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CHANNELS))
    quiet_hours: QuietHours | None = None
    digest_at: time = time(8, 0)
    department: str | None = None  # as last claimed: whose records a department head hears about


@dataclass(frozen=True)
class Planned:
    channel: str
    due_at: datetime  # UTC
    digest: bool = False


def next_local(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The next moment (after `now`) when the clock in `zone` shows `at`, in UTC."""
    local_now = now.astimezone(zone)
    candidate = datetime.combine(local_now.date(), at, zone)
    if candidate <= local_now:
        candidate = datetime.combine(local_now.date() + timedelta(days=1), at, zone)
    return candidate.astimezone(now.tzinfo)


def plan(recipient: Recipient, critical: bool, now: datetime) -> list[Planned]:
    """The deliveries one recipient gets for one event. `now` is an aware UTC datetime."""
    zone = ZoneInfo(recipient.time_zone)
    planned = []
    for channel in PERSONAL_CHANNELS:
        if channel == EMAIL and not recipient.email:
            continue
        choice = IMMEDIATE if critical else recipient.channels.get(channel, DEFAULT_CHANNELS[channel])
        if choice == OFF:
            continue
        if choice == DIGEST and channel != IN_APP:  # the inbox is its own digest
            planned.append(Planned(channel, next_local(now, recipient.digest_at, zone), digest=True))
        elif channel == IN_APP or critical or recipient.quiet_hours is None:
            # The inbox never rings, so quiet hours only hold back what reaches a person outside it.
            planned.append(Planned(channel, now))
        else:
            local = now.astimezone(zone)
            quiet = recipient.quiet_hours
            due = quiet.ends_after(local).astimezone(now.tzinfo) if quiet.contains(local.time()) else now
            planned.append(Planned(channel, due))
    return planned
