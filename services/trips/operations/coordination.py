"""Trips of different departments to one city at overlapping dates (docs/decisions/0027): found when read,
announced once per pair when a change reveals them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from services.trips.domain.coordination import Match, PlannedTrip, matches, pair_key
from services.trips.domain.trip import TripStatus
from services.trips.events import contents
from services.trips.store.models import Coordination, Destination, Trip
from shared.db import withheld_from_none
from shared.kit.withholding import withheld
from shared.uow import UnitOfWork

LIVE_STATES = (TripStatus.DRAFT, TripStatus.SUBMITTED, TripStatus.RETURNED, TripStatus.APPROVED)


def planned(trip: Trip) -> PlannedTrip:
    return PlannedTrip(trip.id, trip.department, frozenset((d.country, d.city) for d in trip.destinations),
                       trip.starts_on, trip.ends_on)


def coordination_matches(session: Session, trip: Trip, shown: ColumnElement[bool]) -> list[tuple[Trip, Match]]:
    """The other departments' trips among those `shown` (decision 0190) going `trip`'s way."""
    if TripStatus(trip.status) not in LIVE_STATES:
        return []
    countries = {destination.country for destination in trip.destinations}
    # A department's own trips never match (the domain rule): leaving them out here keeps a busy
    # department's every new trip from loading all its other trips to the same country. Exact equality
    # (an index-friendly comparison, no per-row function); `matches` still folds case for the rest.
    candidates = {other.id: other for other in session.scalars(select(Trip).where(
        Trip.id != trip.id, Trip.status.in_([state.value for state in LIVE_STATES]),
        Trip.department != trip.department,
        Trip.starts_on <= trip.ends_on, Trip.ends_on >= trip.starts_on,
        Trip.destinations.any(Destination.country.in_(countries)), shown))}
    return [(candidates[match.other_id], match)
            for match in matches(planned(trip), [planned(other) for other in candidates.values()])]


def announce_coordination(uow: UnitOfWork, trip: Trip) -> None:
    """One event per pair of trips, the first time they are found going the same way; not while either is
    withheld, since the event names both to everyone (decision 0190): their release announces it."""
    if withheld(trip, uow.now()):
        return
    for other, match in coordination_matches(uow.session, trip, withheld_from_none(Trip, uow.now())):
        first, second = pair_key(trip.id, other.id)
        if uow.session.get(Coordination, (first, second)) is not None:
            continue
        uow.session.add(Coordination(first_trip_id=first, second_trip_id=second))
        uow.emit("chancery.trips.coordination.detected.v1", trip.id, contents.coordination(trip, other, match))
        uow.audit("coordination.detected", "trip", trip.id, {"with": other.id, "city": match.city})
