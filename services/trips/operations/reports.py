"""The report after a trip: written by travel staff once the trip took place, submitted for the annual plan
(its follow-ups go to outreach)."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.trips.domain.report import (
    REPORT_LIFECYCLE,
    AlreadyWritten,
    ReportStatus,
    check_editable,
    check_reportable,
)
from services.trips.domain.trip import TripStatus
from services.trips.events import contents
from services.trips.operations.trips import find_trip
from services.trips.store.models import FollowUp, Report, Trip
from shared.kit.refusals import Invalid, NotFound, require_version
from shared.uow import UnitOfWork


def find_report(session: Session, trip_id: str) -> Report:
    report = session.scalar(select(Report).where(Report.trip_id == trip_id))
    if report is None:
        raise NotFound("report of trip", trip_id)
    return report


def record_report_change(uow: UnitOfWork, trip: Trip, report: Report, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("report", action, report, partial(contents.report, of=trip), {"trip_id": trip.id, **changes},
                      part_of=trip)


def set_follow_ups(report: Report, follow_ups: list[dict[str, Any]]) -> None:
    """Keep the follow-ups whose id is sent (so outreach keeps its plan items), add the new, drop the rest."""
    existing = {item.id: item for item in report.follow_ups}
    kept = []
    for position, entry in enumerate(follow_ups):
        kept_id = entry.get("id")
        item = existing.get(kept_id) if kept_id else None
        if kept_id and item is None:
            raise Invalid(f"follow_ups.{position}.id", f"no follow-up {kept_id} on this report")
        item = item or FollowUp()
        item.position, item.title, item.due_on, item.responsible_body = (
            position, entry["title"], entry["due_on"], entry["responsible_body"])
        kept.append(item)
    report.follow_ups = kept


def write_report(uow: UnitOfWork, trip_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> Report:
    """The report of a trip that took place (approved or closed): `outcomes`, `agreements`, `follow_ups`,
    `coverage`; one per trip."""
    trip = find_trip(uow.session, trip_id)
    check_reportable(TripStatus(trip.status))
    if uow.session.scalar(select(Report.id).where(Report.trip_id == trip.id)):
        raise AlreadyWritten()
    report = Report(trip_id=trip.id, outcomes=fields["outcomes"], agreements=fields["agreements"], follow_ups=[],
                    coverage=fields["coverage"], status=ReportStatus.DRAFT.value, version=1, created_by=uow.actor)
    set_follow_ups(report, fields["follow_ups"])
    uow.session.add(report)
    record_report_change(uow, trip, report, "drafted", changes)
    return report


def update_report(uow: UnitOfWork, trip_id: str, fields: dict[str, Any], changes: dict[str, Any],
                  expected_version: frozenset[int] | None) -> Report:
    """Change a draft report; `follow_ups` is the full list (ids keep existing ones). No fields change nothing."""
    trip = find_trip(uow.session, trip_id)
    report = find_report(uow.session, trip.id)
    require_version(report.version, expected_version)
    if not fields:
        return report
    check_editable(ReportStatus(report.status))
    for name in ("outcomes", "agreements"):
        if name in fields:
            setattr(report, name, fields[name])
    if fields.get("coverage") is not None:
        report.coverage = fields["coverage"]
    if fields.get("follow_ups") is not None:
        set_follow_ups(report, fields["follow_ups"])
    report.version += 1
    record_report_change(uow, trip, report, "updated", changes)
    return report


def move_report(uow: UnitOfWork, trip_id: str, action: str, reason: str | None,
                expected_version: frozenset[int] | None) -> Report:
    """Submit the report (its follow-ups go to the annual plan) or revise a submitted one."""
    trip = find_trip(uow.session, trip_id)
    report = find_report(uow.session, trip.id)
    require_version(report.version, expected_version)
    target = REPORT_LIFECYCLE.next_status(report.status, action)
    report.status, report.version = target.value, report.version + 1
    if target == ReportStatus.SUBMITTED:
        report.submitted_at = uow.now()
    record_report_change(uow, trip, report, REPORT_LIFECYCLE.past_tense(action),
                         {"status": target.value, "reason": reason})
    return report


def announce_report_released(uow: UnitOfWork, record_type: str, record: Any) -> None:
    """A released trip's submitted report, announced again (decision 0190): while the trip was withheld, its
    `report.submitted` reached only those who needed to know, and outreach's plan never heard of it."""
    if record_type != "trip":
        return
    report = uow.session.scalar(select(Report).where(Report.trip_id == record.id))
    if report is not None and report.status == ReportStatus.SUBMITTED:
        uow.emit("chancery.trips.report.submitted.v1", report.id, contents.report(report, of=record))
