"""The report after a visit: written by protocol once the visit has begun, submitted for the annual plan (its
follow-ups go to outreach, docs/decisions/0155)."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.visits.domain.report import (
    VISIT_REPORT_LIFECYCLE,
    ReportExists,
    VisitReportStatus,
    check_editable,
    check_reportable,
)
from services.visits.domain.visit import VisitStatus
from services.visits.events import contents
from services.visits.operations.visits import find_visit
from services.visits.store.models import Visit, VisitReport, VisitReportFollowUp
from shared.kit.refusals import Invalid, NotFound, require_version
from shared.uow import UnitOfWork

FOLLOW_UP_FIELDS = ("title", "owner", "department", "due_on")


def find_report(session: Session, visit_id: str) -> VisitReport:
    find_visit(session, visit_id)
    report = session.scalar(select(VisitReport).where(VisitReport.visit_id == visit_id))
    if report is None:
        raise NotFound("report of visit", visit_id)
    return report


def record_report_change(uow: UnitOfWork, visit: Visit, report: VisitReport, action: str,
                         changes: dict[str, Any]) -> None:
    uow.record_change("visit-report", action, report, partial(contents.visit_report, of=visit),
                      {"visit_id": visit.id, **changes}, part_of=visit)


def set_follow_ups(report: VisitReport, follow_ups: list[dict[str, Any]]) -> None:
    """Keep the follow-ups whose id is sent (so outreach keeps their plan items), add the new, drop the rest."""
    existing = {item.id: item for item in report.follow_ups}
    kept = []
    for position, entry in enumerate(follow_ups):
        kept_id = entry.get("id")
        item = existing.get(kept_id) if kept_id else None
        if kept_id and item is None:
            raise Invalid(f"follow_ups.{position}.id", f"no follow-up {kept_id} on this report")
        item = item or VisitReportFollowUp()
        item.position = position
        for name in FOLLOW_UP_FIELDS:
            setattr(item, name, entry.get(name))
        kept.append(item)
    report.follow_ups = kept


def write_report(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> VisitReport:
    """The report of a visit that has begun: `outcome`, `agreements`, `follow_ups`; one per visit."""
    visit = find_visit(uow.session, visit_id)
    check_reportable(VisitStatus(visit.status))
    if uow.session.scalar(select(VisitReport.id).where(VisitReport.visit_id == visit.id)):
        raise ReportExists()
    report = VisitReport(visit_id=visit.id, outcome=fields["outcome"], agreements=fields["agreements"],
                         follow_ups=[], status=VisitReportStatus.DRAFT.value, version=1, created_by=uow.actor)
    set_follow_ups(report, fields["follow_ups"])
    uow.session.add(report)
    record_report_change(uow, visit, report, "drafted", changes)
    return report


def update_report(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any],
                  expected_version: frozenset[int] | None) -> VisitReport:
    """Change a draft report; `follow_ups` is the full list (ids keep existing ones). No fields change nothing."""
    report = find_report(uow.session, visit_id)
    require_version(report.version, expected_version)
    if not fields:
        return report
    check_editable(VisitReportStatus(report.status))
    for name in ("outcome", "agreements"):
        if name in fields:
            setattr(report, name, fields[name])
    if fields.get("follow_ups") is not None:
        set_follow_ups(report, fields["follow_ups"])
    report.version += 1
    record_report_change(uow, find_visit(uow.session, visit_id), report, "updated", changes)
    return report


def move_report(uow: UnitOfWork, visit_id: str, action: str, reason: str | None,
                expected_version: frozenset[int] | None) -> VisitReport:
    """Submit the report (its follow-ups go to the annual plan) or revise a submitted one."""
    report = find_report(uow.session, visit_id)
    require_version(report.version, expected_version)
    target = VISIT_REPORT_LIFECYCLE.next_status(report.status, action, reason)
    previous, report.status, report.version = report.status, target.value, report.version + 1
    if target == VisitReportStatus.SUBMITTED:
        report.submitted_at = uow.now()
    record_report_change(uow, find_visit(uow.session, visit_id), report, VISIT_REPORT_LIFECYCLE.past_tense(action),
                         {"status": [previous, target.value], "reason": reason})
    return report


def announce_report_released(uow: UnitOfWork, record_type: str, record: Any) -> None:
    """A released visit's submitted report, announced again (decision 0190): while the visit was withheld, its
    `visit-report.submitted` reached only those who needed to know, and outreach's plan never heard of it."""
    if record_type != "visit":
        return
    report = uow.session.scalar(select(VisitReport).where(VisitReport.visit_id == record.id))
    if report is not None and report.status == VisitReportStatus.SUBMITTED:
        uow.emit("chancery.visits.visit-report.submitted.v1", report.id, contents.visit_report(report, of=record))
