"""Whose trips and proposals a caller may read (docs/decisions/0080): the travel desk, the mayor's office,
auditors and admins every department's; a department head only its own department's, by its token's
`department` claim. Another department's record answers 404, as one that does not exist."""

from __future__ import annotations

from flask import g
from sqlalchemy import ColumnElement, false, func, or_, true

from services.trips.domain.trip import department_key
from services.trips.store.models import Proposal, Traveller, Trip

EVERY_DEPARTMENT = ("travel",)  # the travel desk arranges every department's trips


def same_department(column, department: str) -> ColumnElement[bool]:
    """As deciding compares them: ignoring case and spacing."""
    return func.lower(func.replace(column, " ", "")) == department_key(department).replace(" ", "")


def caller_department() -> str | None:
    """The department whose records alone the caller reads, or None when it reads every department's."""
    principal = g.principal
    return None if principal.sees_every_department(EVERY_DEPARTMENT) else (principal.department or "")


def readable_trips() -> ColumnElement[bool]:
    """A trip is its department's (the one that asks for it) and every traveller's department's."""
    department = caller_department()
    if department is None:
        return true()
    if not department:
        return false()
    return or_(same_department(Trip.department, department),
               Trip.travellers.any(same_department(Traveller.department, department)))


def readable_proposals() -> ColumnElement[bool]:
    department = caller_department()
    if department is None:
        return true()
    return same_department(Proposal.department, department) if department else false()
