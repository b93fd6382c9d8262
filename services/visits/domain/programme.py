"""A visit's programme: agenda items in the venue's time zone, and the clashes that refuse one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from shared.kit.names import name_key
from shared.kit.refusals import Invalid


class AgendaKind(StrEnum):
    MEETING = "meeting"
    SITE_VISIT = "site_visit"
    OFFICIAL_FUNCTION = "official_function"
    MEAL = "meal"
    TRANSFER = "transfer"
    FREE_TIME = "free_time"


class InvalidTime(Invalid):
    def __init__(self, field_name: str, message: str):
        super().__init__(field_name, message)


def zone(name: str) -> ZoneInfo:
    if name not in available_timezones():
        raise InvalidTime("time_zone", f"{name!r} is not an IANA time zone (e.g. Europe/Sofia)")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as error:
        raise InvalidTime("time_zone", str(error)) from error


def to_utc(moment: datetime, zone_name: str, field_name: str) -> datetime:
    """A venue's wall-clock time (or a time with an explicit offset) as UTC.

    A wall-clock time that does not exist (the hour skipped when clocks go forward) is refused; one that
    happens twice (when they go back) is the first of the two.
    """
    tz = zone(zone_name)
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    local = moment.replace(tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        raise InvalidTime(field_name, f"{moment.isoformat()} does not exist in {zone_name} (clocks go forward)")
    return local.astimezone(UTC)


def local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone_name))


@dataclass(frozen=True)
class Slot:
    """What the clash rules need to know of an engagement: an agenda item, a meeting or an official function."""

    id: str
    visit_id: str | None
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None = None
    officials: frozenset[str] = field(default_factory=frozenset)
    guests: frozenset[str] = field(default_factory=frozenset)
    interpreters: frozenset[str] = field(default_factory=frozenset)
    record: str = "agenda-item"  # or "meeting", "function"
    linked: frozenset[str] = field(default_factory=frozenset)  # the agenda item a meeting or function is part of

    def overlaps(self, other: Slot) -> bool:
        # Back-to-back items (one ends as the next starts) do not clash.
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def is_part_of(self, other: Slot) -> bool:
        """A meeting or function held as an agenda item is one engagement with it, not a clash."""
        return other.id in self.linked or self.id in other.linked


@dataclass(frozen=True)
class Clash:
    item: Slot
    reason: str  # "official", "guest", "interpreter" or "venue"
    who: str


def check_span(starts_at: datetime, ends_at: datetime, visit_starts: date, visit_ends: date,
               zone_name: str) -> None:
    if ends_at <= starts_at:
        raise InvalidTime("ends_at", "an agenda item must end after it starts")
    if local(starts_at, zone_name).date() < visit_starts:
        raise InvalidTime("starts_at", f"the visit starts on {visit_starts.isoformat()}")
    if local(ends_at, zone_name).date() > visit_ends:
        raise InvalidTime("ends_at", f"the visit ends on {visit_ends.isoformat()}")


def normalized(name: str) -> str:
    return name_key(name)


def clashes(candidate: Slot, others: Iterable[Slot]) -> list[Clash]:
    """Every item that would put one of the candidate's officials, guests, interpreters or its venue in two
    places at once."""
    found = []
    officials = {normalized(name): name for name in candidate.officials}
    venue = normalized(candidate.venue) if candidate.venue else None
    for other in others:
        if other.id == candidate.id or candidate.is_part_of(other) or not candidate.overlaps(other):
            continue
        for key in sorted(officials.keys() & {normalized(name) for name in other.officials}):
            found.append(Clash(other, "official", officials[key]))
        for guest in sorted(candidate.guests & other.guests):
            found.append(Clash(other, "guest", guest))
        for interpreter in sorted(candidate.interpreters & other.interpreters):
            found.append(Clash(other, "interpreter", interpreter))
        if candidate.venue and other.venue and normalized(other.venue) == venue:
            found.append(Clash(other, "venue", candidate.venue))
    return found


def describe(found: list[Clash], zone_name: str, names: dict[str, str]) -> str:
    """`names` gives the names of the guests and interpreters, who are known by id."""
    first = found[0]
    starts = local(first.item.starts_at, zone_name).strftime("%Y-%m-%d %H:%M")
    ends = local(first.item.ends_at, zone_name).strftime("%H:%M")
    who = names.get(first.who, first.who)
    what = {"official": f"{who} is already in", "guest": f"{who} of the delegation is already in",
            "interpreter": f"interpreter {who} is already booked for",
            "venue": f"{first.who} is already taken by"}[first.reason]
    record = {"agenda-item": "", "meeting": "the meeting ", "function": "the function "}[first.item.record]
    more = f" (and {len(found) - 1} more clash{'es' if len(found) > 2 else ''})" if len(found) > 1 else ""
    return f"{what} {record}“{first.item.title}” ({starts}–{ends} {zone_name}){more}"
