"""Versions of the year's plan: frozen copies submitted by outreach and approved or rejected by the mayor's office."""

from __future__ import annotations

from sqlalchemy import select

from services.outreach.api import plan_schemas as schemas
from services.outreach.api.common import READERS, WRITERS
from services.outreach.domain.plan import VERSION_LIFECYCLE
from services.outreach.operations import plan_versions as operations
from services.outreach.store.models import PlanVersion
from shared.http.auth import allow
from shared.http.resources import Page, PageQuery, json_response, paginate
from shared.http.views import Resource, blueprint
from shared.http.work import read_only

DECIDERS = ("mayor-office",)
versions_api = blueprint("plan_versions", __name__, "Versions of the annual plan and the mayor's office's decisions "
                                                   "on them", tag="plan versions")
VERSIONS = Resource(versions_api, "/plans/<year>/versions", "version_id", PlanVersion, schemas.PlanVersionOut,
                    READERS, WRITERS, label="plan version", home="/plan-versions")
VERSIONS.create("submit_version", "Submit the year's plan as it stands to the mayor's office", schemas.VersionSubmit,
                lambda uow, ids, body: operations.submit_version(uow, *ids, body.note), path=schemas.YearPath,
                problems=(409,))


@versions_api.get("/plans/<year>/versions", summary="List the versions of the year's plan, newest first",
                  responses={200: Page[schemas.PlanVersionOut]})
@allow(*READERS)
def list_versions(path: schemas.YearPath, query: PageQuery):
    statement = select(PlanVersion).where(PlanVersion.year == path.year).order_by(PlanVersion.number.desc())
    with read_only() as session:
        return json_response(paginate(session, statement, query, VERSIONS.data))


VERSIONS.read("get_version", "Read a plan version with its frozen items", schemas.PlanVersionPath)
VERSIONS.transitions(schemas.PlanVersionPath, operations.decide_version, VERSION_LIFECYCLE,
                     {action: f"{action.capitalize()} a submitted plan version (the mayor's office; send If-Match)"
                      for action in VERSION_LIFECYCLE.transitions}, body=schemas.VersionDecision, roles=DECIDERS)
