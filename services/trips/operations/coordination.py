"""Trips of different departments to one city at overlapping dates (docs/decisions/0027): found when read,
announced once per pair when a change reveals them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, bindparam, select, union_all
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


def _departments(side: ColumnElement[bool]) -> Select:
    """The live trips of the departments on one `side` of the asking one, at overlapping dates."""
    return select(Trip.id, Trip.department, Trip.starts_on, Trip.ends_on).where(
        Trip.id != bindparam("trip_id"), Trip.status.in_([state.value for state in LIVE_STATES]), side,
        Trip.starts_on <= bindparam("ends_on"), Trip.ends_on >= bindparam("starts_on"))


# A department's own trips never match (the domain rule): leaving them out here keeps a busy department's every
# new trip from loading all its other trips to the same country. Exact comparison (no per-row function); `matches`
# still folds case for the rest. The other departments are read as the two ranges around the asking one, each from
# the index on (status, department, ends_on), whatever the planner knows of the table; `!=` (no index serves it)
# walked all the department's live trips, and an EXISTS on the destinations let a planner without statistics start
# from every destination in the country: either way a create cost more with each trip (decision 0225). The
# countries are asked of the candidates' places instead. Built once: every create and change asks.
OTHER_DEPARTMENTS = (_departments(Trip.department < bindparam("department")),
                     _departments(Trip.department > bindparam("department")))
PLACES = select(Destination.trip_id, Destination.country, Destination.city).where(
    Destination.country.in_(bindparam("countries", expanding=True)))


# The candidates an announcement may name: those withheld from no one at `now` (decision 0190). Built once with
# `now` bound at each call: a statement built per call spent more on its own cache key and compilation than the
# database on it (0.45 against 0.08 ms a create in process).
KNOWN_TO_EVERYONE = union_all(*(side.where(withheld_from_none(Trip, bindparam("now"))) for side in OTHER_DEPARTMENTS))


def coordination_matches(session: Session, trip: Trip, shown: ColumnElement[bool]) -> list[tuple[Trip, Match]]:
    """The other departments' trips among those `shown` (decision 0190) this one matches, each with the match."""
    return _matched(session, trip, union_all(*(side.where(shown) for side in OTHER_DEPARTMENTS)), {})


def _matched(session: Session, trip: Trip, candidates: CompoundSelect,
             params: dict[str, Any]) -> list[tuple[Trip, Match]]:
    """The `candidates` (with their `params`) this trip matches. They are read as rows (what matching needs), with
    their places in this trip's countries, and only the matched trips as records: most creates and changes find
    none."""
    if TripStatus(trip.status) not in LIVE_STATES:
        return []
    rows = session.execute(candidates, {
        **params, "trip_id": trip.id, "department": trip.department, "starts_on": trip.starts_on,
        "ends_on": trip.ends_on}).all()
    places = grouped(session, PLACES, [row.id for row in rows],
                     countries=sorted({destination.country for destination in trip.destinations}))
    found = matches(planned(trip), [
        PlannedTrip(other.id, other.department, frozenset((d.country, d.city) for d in places.get(other.id, [])),
                    other.starts_on, other.ends_on) for other in rows])
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
    for other, match in _matched(uow.session, trip, KNOWN_TO_EVERYONE, {"now": uow.now()}):
        first, second = pair_key(trip.id, other.id)
        if uow.session.get(Coordination, (first, second)) is not None:
            continue
        uow.session.add(Coordination(first_trip_id=first, second_trip_id=second))
        uow.emit("chancery.trips.coordination.detected.v1", trip.id, contents.coordination(trip, other, match))
        uow.audit("coordination.detected", "trip", trip.id, {"with": other.id, "city": match.city})
