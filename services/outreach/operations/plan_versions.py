"""Versions of the year's plan: frozen copies submitted by outreach and decided by the mayor's office."""

from __future__ import annotations

from sqlalchemy import func, select

from services.outreach.domain.plan import VERSION_LIFECYCLE, VersionStatus, check_can_submit
from services.outreach.events import contents
from services.outreach.operations.changes import record_change
from services.outreach.store.models import PlanItem, PlanVersion
from shared.db import find
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork


def submit_version(uow: UnitOfWork, year: int, note: str | None) -> PlanVersion:
    """Freeze the year's items as they stand into the next version; one version at a time awaits a decision."""
    session = uow.session
    check_can_submit(session.scalar(select(PlanVersion.number).where(
        PlanVersion.year == year, PlanVersion.status == VersionStatus.SUBMITTED.value)))
    items = session.scalars(select(PlanItem).where(PlanItem.year == year).order_by(PlanItem.due_on, PlanItem.id)).all()
    number = (session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.year == year)) or 0) + 1
    version = PlanVersion(year=year, number=number, status=VersionStatus.SUBMITTED.value, note=note,
                          items=[contents.plan_item(item) for item in items], version=1, created_by=uow.actor)
    session.add(version)
    record_change(uow, "plan-version", "submitted", version, contents.plan_version,
                  {"year": year, "number": number, "items": len(items), "note": note})
    return version


def decide_version(uow: UnitOfWork, version_id: str, action: str, reason: str | None,
                   expected_version: frozenset[int] | None) -> PlanVersion:
    """Approve or reject a submitted version; approving supersedes the version approved before."""
    version = find(uow.session, PlanVersion, version_id, "plan version")
    require_version(version.version, expected_version)
    target = VERSION_LIFECYCLE.next_status(version.status, action, reason)
    if target == VersionStatus.APPROVED:
        supersede_approved(uow, version)
    version.status, version.decision_reason = target.value, reason
    version.decided_by, version.decided_at, version.version = uow.actor, uow.now(), version.version + 1
    record_change(uow, "plan-version", VERSION_LIFECYCLE.past_tense(action), version, contents.plan_version,
                  {"status": [VersionStatus.SUBMITTED.value, target.value], "reason": reason})
    return version


def supersede_approved(uow: UnitOfWork, version: PlanVersion) -> None:
    """The version approved before this one stops being the plan in force."""
    previous = uow.session.scalars(select(PlanVersion).where(
        PlanVersion.year == version.year, PlanVersion.status == VersionStatus.APPROVED.value)).all()
    for old in previous:
        old.status, old.version = VersionStatus.SUPERSEDED.value, old.version + 1
        record_change(uow, "plan-version", "superseded", old, contents.plan_version,
                      {"status": [VersionStatus.APPROVED.value, VersionStatus.SUPERSEDED.value],
                       "by": version.number})
