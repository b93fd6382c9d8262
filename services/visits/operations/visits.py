"""Visits: registering, changing and moving a visit through its lifecycle."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.visits.domain.delegation import ensure_open
from services.visits.domain.visit import VISIT_LIFECYCLE, VisitStatus, check_dates
from services.visits.events import contents
from services.visits.operations.records import set_fields
from services.visits.store.models import Visit, VisitStatusChange
from shared.db import find
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork


def find_visit(session: Session, visit_id: str) -> Visit:
    return find(session, Visit, visit_id, "visit")


def open_visit(session: Session, visit_id: str) -> Visit:
    """The visit, if its delegation and programme may still change; DelegationClosed once it is over."""
    visit = find_visit(session, visit_id)
    ensure_open(VisitStatus(visit.status))
    return visit


def record_visit_change(uow: UnitOfWork, visit: Visit, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("visit", action, visit, contents.visit, changes)


def create_visit(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Visit:
    check_dates(fields["starts_on"], fields["ends_on"])
    visit = Visit(**fields, status=VisitStatus.DRAFT.value, version=1, created_by=uow.actor)
    uow.session.add(visit)
    record_visit_change(uow, visit, "created", changes)
    return visit


def update_visit(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any],
                 expected_version: frozenset[int] | None) -> Visit:
    """Change a visit's details; no fields change nothing (no new version, event or audit record)."""
    visit = find_visit(uow.session, visit_id)
    require_version(visit.version, expected_version)
    if not fields:
        return visit
    set_fields(visit, fields)
    check_dates(visit.starts_on, visit.ends_on)
    visit.version += 1
    record_visit_change(uow, visit, "updated", changes)
    return visit


def move_visit(uow: UnitOfWork, visit_id: str, action: str, reason: str | None,
               expected_version: frozenset[int] | None) -> Visit:
    """Take a lifecycle action on the visit, keeping the step in its status history."""
    visit = find_visit(uow.session, visit_id)
    require_version(visit.version, expected_version)
    previous = VISIT_LIFECYCLE.advance(visit, action, reason)
    uow.session.add(VisitStatusChange(visit_id=visit.id, action=action, from_status=previous,
                                      to_status=visit.status, reason=visit.status_reason, actor=uow.actor))
    record_visit_change(uow, visit, VISIT_LIFECYCLE.past_tense(action),
                        {"status": [previous, visit.status], "reason": visit.status_reason})
    return visit
