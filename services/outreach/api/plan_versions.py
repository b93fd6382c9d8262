"""Versions of the year's plan: frozen copies submitted by outreach and approved or rejected by the mayor's office."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import func, select

from services.outreach.api.common import BODY_PROBLEMS, READERS, WRITERS, conflict, find, invalid, record_change
from services.outreach.api.common import record_response as respond
from services.outreach.api.plan_schemas import (
    PlanVersionOut,
    PlanVersionPath,
    VersionDecision,
    VersionSubmit,
    YearPath,
)
from services.outreach.domain.lifecycle import IllegalTransition, MissingReason
from services.outreach.domain.plan import (
    VERSION_EVENT_ACTION,
    VERSION_TRANSITIONS,
    VersionPending,
    VersionStatus,
    check_can_submit,
    next_version_status,
)
from services.outreach.store.models import PlanItem, PlanVersion
from services.outreach.store.plan import item_event
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

DECIDERS = ("mayor-office",)
versions_api = APIBlueprint("plan_versions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="plan versions", description="Versions of the annual plan and the "
                                                                            "mayor's office's decisions on them")])


def serialize(version: PlanVersion) -> dict:
    return PlanVersionOut.model_validate(version).model_dump(mode="json")


def version_event(version: PlanVersion) -> dict:
    return {"id": version.id, "year": version.year, "number": version.number, "status": version.status,
            "items": len(version.items), "decision_reason": version.decision_reason, "version": version.version}


@versions_api.post("/plans/<year>/versions", summary="Submit the year's plan as it stands to the mayor's office",
                   responses={201: PlanVersionOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def submit_version(path: YearPath, body: VersionSubmit):
    with unit_of_work() as uow:
        session = uow.session
        pending = session.scalar(select(PlanVersion.number).where(
            PlanVersion.year == path.year, PlanVersion.status == VersionStatus.SUBMITTED.value))
        try:
            check_can_submit(pending)
        except VersionPending as error:
            raise conflict(str(error), [], pending_version=error.number) from error
        items = session.scalars(select(PlanItem).where(PlanItem.year == path.year)
                                .order_by(PlanItem.due_on, PlanItem.id)).all()
        number = (session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.year == path.year)) or 0) + 1
        version = PlanVersion(year=path.year, number=number, status=VersionStatus.SUBMITTED.value, note=body.note,
                              items=[item_event(item) for item in items], version=1, created_by=uow.actor)
        session.add(version)
        record_change(uow, "plan-version", "submitted", version, version_event,
                      {"year": path.year, "number": number, "items": len(items), "note": body.note})
        return created(uow, serialize(version), f"/api/v1/plan-versions/{version.id}", version.version)


@versions_api.get("/plans/<year>/versions", summary="List the versions of the year's plan, newest first",
                  responses={200: Page[PlanVersionOut]})
@allow(*READERS)
def list_versions(path: YearPath, query: PageQuery):
    statement = select(PlanVersion).where(PlanVersion.year == path.year).order_by(PlanVersion.number.desc())
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@versions_api.get("/plan-versions/<version_id>", summary="Read a plan version with its frozen items",
                  responses={200: PlanVersionOut, **problem_responses(404)})
@allow(*READERS)
def get_version(path: PlanVersionPath):
    with read_only() as session:
        version = find(session, PlanVersion, path.version_id, "plan version")
        return respond(serialize(version), version.version)


def _decision_view(action: str):
    def decide(path: PlanVersionPath, body: VersionDecision):
        with unit_of_work() as uow:
            version = find(uow.session, PlanVersion, path.version_id, "plan version")
            require_fresh(version.version)
            try:
                target = next_version_status(VersionStatus(version.status), action, body.reason)
            except IllegalTransition as error:
                raise conflict(str(error), error.allowed) from error
            except MissingReason as error:
                raise invalid("reason", str(error)) from error
            if target == VersionStatus.APPROVED:
                supersede_approved(uow, version)
            version.status, version.decision_reason = target.value, body.reason
            version.decided_by, version.decided_at, version.version = uow.actor, utcnow(), version.version + 1
            record_change(uow, "plan-version", VERSION_EVENT_ACTION[action], version, version_event,
                          {"status": [VersionStatus.SUBMITTED.value, target.value], "reason": body.reason})
            return respond(serialize(version), version.version)

    decide.__name__ = f"{action}_plan_version"
    return decide


def supersede_approved(uow: UnitOfWork, version: PlanVersion) -> None:
    """The version approved before this one stops being the plan in force."""
    previous = uow.session.scalars(select(PlanVersion).where(
        PlanVersion.year == version.year, PlanVersion.status == VersionStatus.APPROVED.value)).all()
    for old in previous:
        old.status, old.version = VersionStatus.SUPERSEDED.value, old.version + 1
        record_change(uow, "plan-version", "superseded", old, version_event,
                      {"status": [VersionStatus.APPROVED.value, VersionStatus.SUPERSEDED.value],
                       "by": version.number})


for _action in VERSION_TRANSITIONS:
    versions_api.post(f"/plan-versions/<version_id>/{_action}",
                      summary=f"{_action.capitalize()} a submitted plan version (the mayor's office; send If-Match)",
                      responses={200: PlanVersionOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*DECIDERS)(_decision_view(_action)))
