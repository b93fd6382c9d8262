"""The procurement plan endpoints: parse, call one operation, answer."""

from __future__ import annotations

from sqlalchemy import Select

from services.contracts.api import plan_schemas as schemas
from services.contracts.api.common import PROCUREMENT
from services.contracts.domain.plan import PLAN_LINE_LIFECYCLE, PlanLineStatus
from services.contracts.operations import plan_lines as operations
from services.contracts.store.models import PlanLine
from shared.http.views import Resource, blueprint, changes, fields, within

plan_api = blueprint("plan", __name__, "What the office plans to buy", tag="procurement plan")


def serialize(line: PlanLine) -> dict:
    return schemas.PlanLineOut(
        **{name: getattr(line, name) for name in schemas.PlanLineOut.model_fields if hasattr(line, name)},
        budget={"amount": line.budget_amount, "currency": line.currency},
        allowed_actions=PLAN_LINE_LIFECYCLE.allowed_actions(PlanLineStatus(line.status)),
    ).model_dump(mode="json")


def in_cpv(statement: Select, query: schemas.PlanLineQuery) -> Select:
    if query.cpv_prefix:
        statement = statement.where(PlanLine.cpv_code.startswith(query.cpv_prefix))
    return statement


PLAN_LINES = Resource(plan_api, "/plan-lines", "plan_line_id", PlanLine, schemas.PlanLineOut, PROCUREMENT, PROCUREMENT,
                      serialize=serialize)
PLAN_LINES.create("create_plan_line", "Add a line to the procurement plan (a draft)", schemas.PlanLineCreate,
                  fields(operations.create_plan_line))
PLAN_LINES.listing("list_plan_lines", "List the procurement plan", schemas.PlanLineQuery,
                   filters=("status", "procurement_method", "currency", "programme"),
                   narrow=(in_cpv, within(PlanLine.planned_tender_on, "tender_from", "tender_until")),
                   sortable=("planned_tender_on", "planned_delivery_by", "budget_amount", "status", "title",
                             "created_at"), order=("planned_tender_on",))
PLAN_LINES.read("get_plan_line", "Read a plan line", schemas.PlanLinePath)
PLAN_LINES.change("update_plan_line", "Change a draft plan line (send If-Match)", schemas.PlanLinePath,
                  schemas.PlanLineUpdate,
                  changes(operations.update_plan_line), problems=(404, 409, 412))
# Tendering is not an action of its own: announcing a tender for an approved line marks it tendered.
PLAN_LINES.transitions(schemas.PlanLinePath, operations.move_plan_line, PLAN_LINE_LIFECYCLE,
                       actions=("approve", "cancel"))
