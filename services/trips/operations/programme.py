"""The programme abroad: itinerary legs, stays and meetings, each an item of one trip that is not closed or
cancelled. Fields are named as the items' columns (a leg's `departs_local`, a meeting's `starts_local`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from services.trips.domain.programme import check_programme_open, check_stay, leg_instants, meeting_instants
from services.trips.domain.trip import TripStatus
from services.trips.events import contents
from services.trips.operations.trips import find_trip
from services.trips.store.models import Leg, Meeting, Stay, Trip
from shared.db import find
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork

Item = Leg | Stay | Meeting


def set_leg_times(leg: Leg) -> None:
    leg.departs_utc, leg.arrives_utc = leg_instants(leg.departs_local, leg.departs_time_zone, leg.arrives_local,
                                                    leg.arrives_time_zone)


def check_stay_dates(stay: Stay) -> None:
    check_stay(stay.check_in, stay.check_out)


def set_meeting_times(meeting: Meeting) -> None:
    meeting.starts_utc, _ = meeting_instants(meeting.starts_local, meeting.ends_local, meeting.time_zone)


# record type -> its model, the check (and the instants in UTC) that follow from its fields, its event's contents
MODELS: dict[str, type[Item]] = {"leg": Leg, "stay": Stay, "meeting": Meeting}
SETTLE: dict[str, Callable[[Any], None]] = {"leg": set_leg_times, "stay": check_stay_dates,
                                            "meeting": set_meeting_times}
CONTENTS: dict[str, Callable[..., dict[str, Any]]] = {"leg": contents.leg, "stay": contents.stay,
                                                      "meeting": contents.meeting}


def open_trip(session: Session, trip_id: str) -> Trip:
    trip = find_trip(session, trip_id)
    check_programme_open(TripStatus(trip.status))
    return trip


def find_item(session: Session, record: str, trip_id: str, item_id: str) -> Any:
    return find(session, MODELS[record], item_id, record, trip_id=trip_id)


def record_item_change(uow: UnitOfWork, trip: Trip, record: str, action: str, item: Item,
                       changes: dict[str, Any]) -> None:
    uow.record_change(record, action, item, partial(CONTENTS[record], of=trip), {"trip_id": trip.id, **changes},
                      part_of=trip)


def add_item(uow: UnitOfWork, trip_id: str, record: str, fields: dict[str, Any], changes: dict[str, Any]) -> Any:
    """A new leg, stay or meeting; its times are checked before its trip is looked at."""
    item = MODELS[record](**fields)
    SETTLE[record](item)
    trip = open_trip(uow.session, trip_id)
    item.trip_id, item.version = trip.id, 1
    uow.session.add(item)
    record_item_change(uow, trip, record, "added", item, changes)
    return item


def change_item(uow: UnitOfWork, trip_id: str, record: str, item_id: str, fields: dict[str, Any],
                changes: dict[str, Any], expected_version: frozenset[int] | None) -> Any:
    """Change the fields given and check the item as a whole again; no fields change nothing."""
    trip = open_trip(uow.session, trip_id)
    item = find_item(uow.session, record, trip_id, item_id)
    require_version(item.version, expected_version)
    if fields:
        for name, value in fields.items():
            setattr(item, name, value)
        SETTLE[record](item)
        item.version += 1
        record_item_change(uow, trip, record, "updated", item, changes)
    return item


def remove_item(uow: UnitOfWork, trip_id: str, record: str, item_id: str,
                expected_version: frozenset[int] | None) -> Any:
    trip = open_trip(uow.session, trip_id)
    item = find_item(uow.session, record, trip_id, item_id)
    require_version(item.version, expected_version)
    uow.session.delete(item)
    record_item_change(uow, trip, record, "removed", item, {})
    return item
