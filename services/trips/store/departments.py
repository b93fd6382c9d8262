"""Whose trips and proposals a reader may see (docs/decisions/0080), as conditions on the queries.

`scope` is the department whose records alone the reader sees, "" for a reader of no department (who sees
none), or None for one who sees every department's. Another department's record answers 404, as one that does
not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, true

from services.trips.store.models import Proposal, Traveller, Trip
from shared.kit.departments import department_key


def same_department(column: Any, department: str) -> ColumnElement[bool]:
    """As deciding compares them: ignoring case and spacing."""
    return func.lower(func.replace(column, " ", "")) == department_key(department).replace(" ", "")


def readable_trips(scope: str | None) -> ColumnElement[bool]:
    """A trip is its department's (the one that asks for it) and every traveller's department's."""
    if scope is None:
        return true()
    if not scope:
        return false()
    return or_(same_department(Trip.department, scope),
               Trip.travellers.any(same_department(Traveller.department, scope)))


def readable_proposals(scope: str | None) -> ColumnElement[bool]:
    if scope is None:
        return true()
    return same_department(Proposal.department, scope) if scope else false()
