"""The visits endpoints: thin: parse, call the domain, answer."""

from __future__ import annotations

from sqlalchemy import select

from services.visits.api import visit_schemas as schemas
from services.visits.api.common import READERS, WRITERS
from services.visits.domain.visit import VISIT_LIFECYCLE
from services.visits.operations import visits as operations
from services.visits.store.models import Visit, VisitStatusChange
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import json_response
from shared.http.views import Resource, blueprint, changes, fields, within
from shared.http.work import read_only

visits_api = blueprint("visits", __name__, "Incoming visits of foreign delegations")
VISITS = Resource(visits_api, "/visits", "visit_id", Visit, schemas.VisitOut, READERS, WRITERS)


VISITS.create("create_visit", "Register an incoming visit", schemas.VisitCreate, fields(operations.create_visit))
VISITS.listing("list_visits", "List visits", schemas.VisitQuery, filters=("status", "country", "host_official",
                                                                          "partner_id"),
               sortable=("starts_on", "ends_on", "country", "status", "created_at", "delegation_name"),
               order=("-starts_on",), narrow=(within(Visit.starts_on, "starts_from", "starts_until"),
                                              within(Visit.ends_on, "ends_from", "ends_until")),
               page=VISITS.rows)
VISITS.read("get_visit", "Read a visit", schemas.VisitPath)
VISITS.change("update_visit", "Change a visit's details (send If-Match)", schemas.VisitPath, schemas.VisitUpdate,
              changes(operations.update_visit))
VISITS.transitions(schemas.VisitPath, operations.move_visit, VISIT_LIFECYCLE)


@visits_api.get("/visits/<visit_id>/status-history", summary="The visit's lifecycle: every step with its reason",
                responses={200: schemas.StatusHistory, **problem_responses(404)})
@allow(*READERS)
def visit_status_history(path: schemas.VisitPath):
    with read_only() as session:
        operations.find_visit(session, path.visit_id)
        changes = session.scalars(select(VisitStatusChange).where(VisitStatusChange.visit_id == path.visit_id)
                                  .order_by(VisitStatusChange.id))
        return json_response({"items": [schemas.StatusChangeOut.model_validate(change).model_dump(mode="json")
                                        for change in changes]})
