"""Departments travelling to the same city at overlapping dates should know, to travel as one delegation
(docs/decisions/0027)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlannedTrip:
    id: str
    department: str
    places: frozenset[tuple[str, str]]  # (country, city as written)
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Match:
    other_id: str
    country: str
    city: str
    overlap_starts_on: date
    overlap_ends_on: date


def _place_key(country: str, city: str) -> tuple[str, str]:
    return country, " ".join(city.casefold().split())


def matches(trip: PlannedTrip, others: Iterable[PlannedTrip]) -> list[Match]:
    """Trips of other departments to one of this trip's cities whose dates overlap this trip's."""
    mine = {_place_key(country, city): (country, city) for country, city in trip.places}
    found = []
    for other in others:
        if other.id == trip.id or other.department.casefold() == trip.department.casefold():
            continue
        starts, ends = max(trip.starts_on, other.starts_on), min(trip.ends_on, other.ends_on)
        if starts > ends:
            continue
        shared = sorted(mine[key] for key in {_place_key(*place) for place in other.places} & mine.keys())
        if shared:
            country, city = shared[0]
            found.append(Match(other.id, country, city, starts, ends))
    return found


def pair_key(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)
