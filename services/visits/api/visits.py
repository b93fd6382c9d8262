"""The visits endpoints: thin: parse, call the domain, answer."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import BODY_PROBLEMS, READERS, WRITERS, find_visit
from services.visits.api.schemas import (
    StatusChangeOut,
    StatusHistory,
    TransitionRequest,
    VisitCreate,
    VisitOut,
    VisitPath,
    VisitQuery,
    VisitUpdate,
)
from services.visits.domain.visit import (
    EVENT_ACTION,
    TRANSITIONS,
    IllegalTransition,
    InvalidDates,
    MissingReason,
    VisitStatus,
    check_dates,
    next_status,
)
from services.visits.store.models import Visit, VisitStatusChange
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, require_fresh
from shared.uow import UnitOfWork, read_only, unit_of_work

visits_api = APIBlueprint("visits", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                          abp_responses=problem_responses(401, 403, 422),
                          abp_tags=[Tag(name="visits", description="Incoming visits of foreign delegations")])

EVENT_FIELDS = ("id", "delegation_name", "country", "city", "partner_id", "starts_on", "ends_on", "purpose",
                "host_official", "status", "status_reason", "version")


def serialize(visit: Visit) -> dict:
    return VisitOut.model_validate(visit).model_dump(mode="json")


def event_data(visit: Visit) -> dict:
    body = serialize(visit)
    return {name: body[name] for name in EVENT_FIELDS}


def emit(uow: UnitOfWork, visit: Visit, action: str, changes: dict) -> None:
    uow.session.flush()
    uow.emit(f"chancery.visits.visit.{action}.v1", visit.id, event_data(visit))
    uow.audit(f"visit.{action}", "visit", visit.id, changes)


def visit_response(visit: Visit, status: int = 200):
    return json_response(serialize(visit), status, {"ETag": etag(visit.version)})


@visits_api.post("/visits", summary="Register an incoming visit",
                 responses={201: VisitOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_visit(body: VisitCreate):
    with unit_of_work() as uow:
        visit = Visit(**body.model_dump(), status=VisitStatus.DRAFT.value, version=1, created_by=uow.actor)
        uow.session.add(visit)
        emit(uow, visit, "created", body.model_dump(mode="json"))
        return created(uow, serialize(visit), f"/api/v1/visits/{visit.id}", visit.version)


@visits_api.get("/visits", summary="List visits", responses={200: Page[VisitOut]})
@allow(*READERS)
def list_visits(query: VisitQuery):
    statement = select(Visit)
    for name in ("status", "country", "host_official", "partner_id"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Visit, name) == value)
    if query.starts_from:
        statement = statement.where(Visit.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Visit.starts_on <= query.starts_until)
    sortable = {name: getattr(Visit, name) for name in ("starts_on", "ends_on", "country", "status", "created_at",
                                                         "delegation_name")}
    statement = apply_sort(statement, query.sort, sortable, [Visit.starts_on.desc(), Visit.id])
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
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        visit = find_visit(uow.session, path.visit_id)
        require_fresh(visit.version)
        if not changes:
            return visit_response(visit)  # nothing changed: no new version, event or audit record
        for name, value in changes.items():
            setattr(visit, name, value)
        try:
            check_dates(visit.starts_on, visit.ends_on)
        except InvalidDates as error:
            raise Problem(422, "The request is not valid", str(error), slug="validation",
                          errors=[{"field": "ends_on", "message": str(error)}]) from error
        visit.version += 1
        emit(uow, visit, "updated", body.model_dump(mode="json", exclude_unset=True))
        return visit_response(visit)


def _transition_view(action: str):
    def transition(path: VisitPath, body: TransitionRequest):
        with unit_of_work() as uow:
            visit = find_visit(uow.session, path.visit_id)
            require_fresh(visit.version)
            reason = body.reason or None  # a blank reason is no reason
            try:
                target = next_status(VisitStatus(visit.status), action, reason)
            except IllegalTransition as error:
                raise Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                              allowed_actions=error.allowed) from error
            except MissingReason as error:
                raise Problem(422, "The request is not valid", str(error), slug="validation",
                              errors=[{"field": "reason", "message": str(error)}]) from error
            previous = visit.status
            visit.status, visit.status_reason, visit.version = target.value, reason, visit.version + 1
            uow.session.add(VisitStatusChange(visit_id=visit.id, action=action, from_status=previous,
                                              to_status=target.value, reason=reason, actor=uow.actor))
            emit(uow, visit, EVENT_ACTION[action], {"status": [previous, target.value], "reason": reason})
            return visit_response(visit)

    transition.__name__ = f"{action}_visit"
    return transition


TRANSITION_RESPONSES = {200: VisitOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)}
for _action in TRANSITIONS:
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
