"""The procurement plan endpoints: parse, call one operation, answer."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.common import PROCUREMENT, named
from services.contracts.api.plan_schemas import (
    PlanLineCreate,
    PlanLineOut,
    PlanLinePath,
    PlanLineQuery,
    PlanLineUpdate,
)
from services.contracts.domain.plan import PLAN_LINE_LIFECYCLE, PlanLineStatus
from services.contracts.operations.plan_lines import create_plan_line as create
from services.contracts.operations.plan_lines import find_plan_line, move_plan_line
from services.contracts.operations.plan_lines import update_plan_line as update
from services.contracts.store.models import PlanLine
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

plan_api = APIBlueprint("plan", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                        abp_responses=problem_responses(401, 403, 422),
                        abp_tags=[Tag(name="procurement plan", description="What the office plans to buy")])


def serialize(line: PlanLine) -> dict:
    return PlanLineOut(
        **{name: getattr(line, name) for name in PlanLineOut.model_fields if hasattr(line, name)},
        budget={"amount": line.budget_amount, "currency": line.currency},
        allowed_actions=PLAN_LINE_LIFECYCLE.allowed_actions(PlanLineStatus(line.status)),
    ).model_dump(mode="json")


def line_response(line: PlanLine):
    return record_response(serialize(line), line.version)


@plan_api.post("/plan-lines", summary="Add a line to the procurement plan (a draft)",
               responses={201: PlanLineOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def create_plan_line(body: PlanLineCreate):
    with unit_of_work() as uow:
        line = create(uow, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(line), f"/api/v1/plan-lines/{line.id}", line.version)


@plan_api.get("/plan-lines", summary="List the procurement plan", responses={200: Page[PlanLineOut]})
@allow(*PROCUREMENT)
def list_plan_lines(query: PlanLineQuery):
    statement = select(PlanLine)
    statement = where_set(statement, PlanLine, query, ("status", "procurement_method", "currency", "programme"))
    if query.cpv_prefix:
        statement = statement.where(PlanLine.cpv_code.startswith(query.cpv_prefix))
    if query.tender_from:
        statement = statement.where(PlanLine.planned_tender_on >= query.tender_from)
    if query.tender_until:
        statement = statement.where(PlanLine.planned_tender_on <= query.tender_until)
    statement = sort_by(statement, query.sort, PlanLine,
                        ("planned_tender_on", "planned_delivery_by", "budget_amount", "status", "title", "created_at"),
                        [PlanLine.planned_tender_on, PlanLine.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@plan_api.get("/plan-lines/<plan_line_id>", summary="Read a plan line",
              responses={200: PlanLineOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_plan_line(path: PlanLinePath):
    with read_only() as session:
        return line_response(find_plan_line(session, path.plan_line_id))


@plan_api.patch("/plan-lines/<plan_line_id>", summary="Change a draft plan line (send If-Match)",
                responses={200: PlanLineOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_plan_line(path: PlanLinePath, body: PlanLineUpdate):
    with unit_of_work() as uow:
        return line_response(update(uow, path.plan_line_id, body.model_dump(exclude_unset=True),
                                    body.model_dump(mode="json", exclude_unset=True), if_match()))


def _transition_view(action: str):
    def transition(path: PlanLinePath, body: TransitionRequest):
        with unit_of_work() as uow:
            return line_response(move_plan_line(uow, path.plan_line_id, action, body.reason, if_match()))
    return named(f"{action}_plan_line", transition)


# Tendering is not an action of its own: announcing a tender for an approved line marks it tendered.
for _action in ("approve", "cancel"):
    plan_api.post(f"/plan-lines/<plan_line_id>/{_action}", summary=f"{_action.capitalize()} a plan line",
                  responses={200: PlanLineOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))
