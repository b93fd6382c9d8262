"""Versions of the year's plan: frozen copies submitted by outreach and approved or rejected by the mayor's office."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.plan_schemas import (
    PlanVersionOut,
    PlanVersionPath,
    VersionDecision,
    VersionSubmit,
    YearPath,
)
from services.outreach.domain.plan import VERSION_LIFECYCLE
from services.outreach.operations import plan_versions as operations
from services.outreach.store.models import PlanVersion
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

DECIDERS = ("mayor-office",)
versions_api = APIBlueprint("plan_versions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="plan versions", description="Versions of the annual plan and the "
                                                                            "mayor's office's decisions on them")])


def serialize(version: PlanVersion) -> dict:
    return PlanVersionOut.model_validate(version).model_dump(mode="json")


@versions_api.post("/plans/<year>/versions", summary="Submit the year's plan as it stands to the mayor's office",
                   responses={201: PlanVersionOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def submit_version(path: YearPath, body: VersionSubmit):
    with unit_of_work() as uow:
        version = operations.submit_version(uow, path.year, body.note)
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
        return record_response(serialize(version), version.version)


def _decision_view(action: str):
    def decide(path: PlanVersionPath, body: VersionDecision):
        with unit_of_work() as uow:
            version = operations.decide_version(uow, path.version_id, action, body.reason, if_match())
            return record_response(serialize(version), version.version)

    decide.__name__ = f"{action}_plan_version"
    return decide


for _action in VERSION_LIFECYCLE.transitions:
    versions_api.post(f"/plan-versions/<version_id>/{_action}",
                      summary=f"{_action.capitalize()} a submitted plan version (the mayor's office; send If-Match)",
                      responses={200: PlanVersionOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*DECIDERS)(_decision_view(_action)))
