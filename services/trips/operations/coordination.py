"""Trips of different departments to one city at overlapping dates (docs/decisions/0027): found when read,
announced once per pair when a change reveals them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.orm import Session

from services.trips.domain.coordination import Match, PlannedTrip, matches, pair_key
from services.trips.domain.trip import TripStatus
from services.trips.events import contents
from services.trips.store.models import Coordination, Destination, Trip
from shared.db import grouped, withheld_from_none
from shared.kit.withholding import withheld
from shared.uow import UnitOfWork

LIVE_STATES = (TripStatus.DRAFT, TripStatus.SUBMITTED, TripStatus.RETURNED, TripStatus.APPROVED)


def planned(trip: Trip) -> PlannedTrip:
    return PlannedTrip(trip.id, trip.department, frozenset((d.country, d.city) for d in trip.destinations),
                       trip.starts_on, trip.ends_on)


# A department's own trips never match (the domain rule): leaving them out here keeps a busy department's every
# new trip from loading all its other trips to the same country. Exact equality (an index-friendly comparison, no
# per-row function); `matches` still folds case for the rest. Built once: every create and change asks.
CANDIDATES = select(Trip.id, Trip.department, Trip.starts_on, Trip.ends_on).where(
    Trip.id != bindparam("trip_id"), Trip.status.in_([state.value for state in LIVE_STATES]),
    Trip.department != bindparam("department"),
    Trip.starts_on <= bindparam("ends_on"), Trip.ends_on >= bindparam("starts_on"),
    Trip.destinations.any(Destination.country.in_(bindparam("countries", expanding=True))))
PLACES = select(Destination.trip_id, Destination.country, Destination.city)


def coordination_matches(session: Session, trip: Trip, shown: ColumnElement[bool]) -> list[tuple[Trip, Match]]:
    """The other departments' trips among those `shown` (decision 0190) this one matches, each with the match. The
    candidates are read as rows (what matching needs), and only the matched trips as records: most creates and
    changes find none."""
    if TripStatus(trip.status) not in LIVE_STATES:
        return []
    candidates = session.execute(CANDIDATES.where(shown), {
        "trip_id": trip.id, "department": trip.department, "starts_on": trip.starts_on, "ends_on": trip.ends_on,
        "countries": sorted({destination.country for destination in trip.destinations})}).all()
    places = grouped(session, PLACES, [candidate.id for candidate in candidates])
    found = matches(planned(trip), [
        PlannedTrip(other.id, other.department, frozenset((d.country, d.city) for d in places.get(other.id, [])),
                    other.starts_on, other.ends_on) for other in candidates])
    if not found:
        return []
    others = {other.id: other for other in session.scalars(select(Trip).where(
        Trip.id.in_([match.other_id for match in found])))}
    return [(others[match.other_id], match) for match in found]


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
