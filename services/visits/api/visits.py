"""The visits endpoints: thin: parse, call the domain, answer."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import READERS, WRITERS
from services.visits.api.visit_schemas import (
    StatusChangeOut,
    StatusHistory,
    VisitCreate,
    VisitOut,
    VisitPath,
    VisitQuery,
    VisitUpdate,
)
from services.visits.domain.visit import VISIT_LIFECYCLE
from services.visits.operations.visits import create_visit as create
from services.visits.operations.visits import find_visit, move_visit
from services.visits.operations.visits import update_visit as update
from services.visits.store.models import Visit, VisitStatusChange
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

visits_api = APIBlueprint("visits", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                          abp_responses=problem_responses(401, 403, 422),
                          abp_tags=[Tag(name="visits", description="Incoming visits of foreign delegations")])

def serialize(visit: Visit) -> dict:
    return VisitOut.model_validate(visit).model_dump(mode="json")


def visit_response(visit: Visit, status: int = 200):
    return record_response(serialize(visit), visit.version, status)


@visits_api.post("/visits", summary="Register an incoming visit",
                 responses={201: VisitOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_visit(body: VisitCreate):
    with unit_of_work() as uow:
        visit = create(uow, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(visit), f"/api/v1/visits/{visit.id}", visit.version)


@visits_api.get("/visits", summary="List visits", responses={200: Page[VisitOut]})
@allow(*READERS)
def list_visits(query: VisitQuery):
    statement = select(Visit)
    statement = where_set(statement, Visit, query, ("status", "country", "host_official", "partner_id"))
    if query.starts_from:
        statement = statement.where(Visit.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Visit.starts_on <= query.starts_until)
    statement = sort_by(statement, query.sort, Visit,
                        ("starts_on", "ends_on", "country", "status", "created_at", "delegation_name"),
                        [Visit.starts_on.desc(), Visit.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@visits_api.get("/visits/<visit_id>", summary="Read a visit",
                responses={200: VisitOut, **problem_responses(404)})
@allow(*READERS)
def get_visit(path: VisitPath):
    with read_only() as session:
        return visit_response(find_visit(session, path.visit_id))


@visits_api.patch("/visits/<visit_id>", summary="Change a visit's details (send If-Match)",
                  responses={200: VisitOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_visit(path: VisitPath, body: VisitUpdate):
    with unit_of_work() as uow:
        visit = update(uow, path.visit_id, body.model_dump(exclude_unset=True),
                       body.model_dump(mode="json", exclude_unset=True), if_match())
        return visit_response(visit)


def _transition_view(action: str):
    def transition(path: VisitPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return visit_response(move_visit(uow, path.visit_id, action, body.reason, if_match()))

    transition.__name__ = f"{action}_visit"
    return transition


TRANSITION_RESPONSES = {200: VisitOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)}
for _action in VISIT_LIFECYCLE.transitions:
    visits_api.post(f"/visits/<visit_id>/{_action}", summary=f"{_action.capitalize()} a visit",
                    responses=TRANSITION_RESPONSES)(allow(*WRITERS)(_transition_view(_action)))


@visits_api.get("/visits/<visit_id>/status-history", summary="The visit's lifecycle: every step with its reason",
                responses={200: StatusHistory, **problem_responses(404)})
@allow(*READERS)
def visit_status_history(path: VisitPath):
    with read_only() as session:
        find_visit(session, path.visit_id)
        changes = session.scalars(select(VisitStatusChange).where(VisitStatusChange.visit_id == path.visit_id)
                                  .order_by(VisitStatusChange.id))
        return json_response({"items": [StatusChangeOut.model_validate(change).model_dump(mode="json")
                                        for change in changes]})
