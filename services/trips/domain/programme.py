"""The programme abroad: itinerary legs in their own time zones, stays and meetings with counterparts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.trips.domain.trip import TRIP_LIFECYCLE, TripStatus
from shared.kit.refusals import Conflict, Invalid

# The programme is planned and booked after approval too; only a closed or cancelled trip's is frozen.
PROGRAMME_STATES = (TripStatus.DRAFT, TripStatus.SUBMITTED, TripStatus.RETURNED, TripStatus.APPROVED)


class TravelMode(StrEnum):
    AIR = "air"
    RAIL = "rail"
    ROAD = "road"
    SEA = "sea"


class InvalidTime(Invalid):
    """`field` names the offending input."""


class ProgrammeFrozen(Conflict):
    def __init__(self, status: TripStatus):
        super().__init__(f"the programme of a {status.value} trip cannot change; reopen it first",
                         slug="illegal-transition",
                         allowed_actions=TRIP_LIFECYCLE.allowed_actions(status))


def check_programme_open(status: TripStatus) -> None:
    if status not in PROGRAMME_STATES:
        raise ProgrammeFrozen(status)


def zone(name: str, field: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise InvalidTime(field, f"{name!r} is not an IANA time zone such as Europe/Sofia") from error


def absolute(local: datetime, zone_name: str, field: str, zone_field: str = "time_zone") -> datetime:
    """A wall-clock time in its zone as an instant in UTC; a time the clocks skip (DST) is refused."""
    tz = zone(zone_name, zone_field)
    instant = local.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local:
        raise InvalidTime(field, f"{local.isoformat()} does not exist in {zone_name} (the clocks skip it)")
    return instant


def leg_instants(departs_local: datetime, departs_zone: str, arrives_local: datetime,
                 arrives_zone: str) -> tuple[datetime, datetime]:
    """Departure and arrival in UTC; arriving before departing, in absolute time, is refused."""
    departs = absolute(departs_local, departs_zone, "departs_at", "departs_time_zone")
    arrives = absolute(arrives_local, arrives_zone, "arrives_at", "arrives_time_zone")
    if arrives < departs:
        raise InvalidTime("arrives_at", f"the leg arrives ({arrives.isoformat()}) before it departs "
                                        f"({departs.isoformat()}) once both time zones are applied")
    return departs, arrives


def check_stay(check_in: date, check_out: date) -> None:
    if check_out <= check_in:
        raise InvalidTime("check_out", "check_out must be after check_in")


def meeting_instants(starts_local: datetime, ends_local: datetime, zone_name: str) -> tuple[datetime, datetime]:
    starts = absolute(starts_local, zone_name, "starts_at")
    ends = absolute(ends_local, zone_name, "ends_at")
    if ends <= starts:
        raise InvalidTime("ends_at", "the meeting must end after it starts")
    return starts, ends
