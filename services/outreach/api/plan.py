"""The consolidated annual plan: items staff enter or other services feed, their progress, monitoring. A
department head reads its own department's items and reports on them (decision 0136)."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from services.outreach.api import plan_schemas as schemas
from services.outreach.api.common import PLAN_READERS, PLAN_REPORTERS, READERS, WRITERS, caller_scope, today
from services.outreach.domain.plan import (
    ITEM_LIFECYCLE,
    OPEN,
    SOURCE_SERVICE,
    ItemFacts,
    ItemStatus,
    Source,
    VersionStatus,
    budget_amount,
    is_overdue,
    monitor,
)
from services.outreach.operations import plan as operations
from services.outreach.store.models import Partner, PlanItem, PlanVersion
from shared.db import same_department
from shared.http.auth import allow
from shared.http.records import if_match
from shared.http.resources import json_response
from shared.http.views import Resource, blueprint, changes
from shared.http.work import read_only

plan_api = blueprint("plan", __name__, "The consolidated annual plan of international relations and the "
                                       "monitoring of its implementation")


def serialize(item: PlanItem) -> dict:
    """The item as staff see it: its budget as an amount, whether it is overdue today, what may be done with it."""
    status = ItemStatus(item.status)
    return {
        "id": item.id, "year": item.year, "activity": item.activity, "responsible_body": item.responsible_body,
        "partner_id": item.partner_id, "starts_on": item.starts_on and item.starts_on.isoformat(),
        "due_on": item.due_on.isoformat(), "budget_amount": budget_amount(item.budget_cents),
        "budget_currency": item.budget_currency, "source": item.source, "source_id": item.source_id,
        "source_item_id": item.source_item_id, "origin": origin(item), "status": item.status, "progress": item.progress,
        "status_reason": item.status_reason, "overdue": is_overdue(status, item.due_on, today()),
        "allowed_actions": ITEM_LIFECYCLE.allowed_actions(status), "version": item.version,
        "created_by": item.created_by, "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat()}


def origin(item: PlanItem) -> dict | None:
    """Where an item fed by another service came from, and its path in that service's API (decision 0155)."""
    if item.source == Source.MANUAL.value:
        return None
    return {"kind": item.source, "id": item.source_id, "service": SOURCE_SERVICE[Source(item.source)],
            "href": item.source_link}


def overdue(statement: Select, query: schemas.PlanItemQuery) -> Select:
    if query.overdue is not None:
        late = PlanItem.status.in_([status.value for status in OPEN]) & (PlanItem.due_on < today())
        statement = statement.where(late if query.overdue else ~late)
    return statement


def of_department(statement: Select, query: schemas.PlanItemQuery) -> Select:
    """A head of a department lists its department's items only; anyone may ask for one department's."""
    scope = caller_scope()
    if scope is not None:
        statement = statement.where(same_department(PlanItem.responsible_body, scope) if scope else false())
    if query.department is not None:
        statement = statement.where(same_department(PlanItem.responsible_body, query.department))
    return statement


def move_in_scope(uow, item_id: str, action: str, reason: str | None, expected: frozenset[int] | None) -> PlanItem:
    return operations.move_item(uow, item_id, action, reason, expected, caller_scope())


ITEMS = Resource(plan_api, "/plan-items", "item_id", PlanItem, schemas.PlanItemOut, PLAN_READERS, WRITERS,
                 serialize=serialize, label="plan item")
ITEMS.create("create_item", "Enter a plan item by hand", schemas.PlanItemCreate,
             lambda uow, ids, body: operations.create_item(uow, body.model_dump(exclude={"budget_amount"}),
                                                           body.budget_amount, body.model_dump(mode="json")))
ITEMS.listing("list_items", "List plan items (a department head: its department's)", schemas.PlanItemQuery,
              narrow=(overdue, of_department),
              filters=("year", "status", "source", "responsible_body", "partner_id"), order=("due_on",),
              sortable=("due_on", "starts_on", "status", "progress", "responsible_body", "activity", "created_at"))
ITEMS.read("get_item", "Read a plan item", schemas.PlanItemPath,
           lookup=lambda session, item_id: operations.find_item(session, item_id, caller_scope()))
ITEMS.change("update_item", "Change a plan item (send If-Match)", schemas.PlanItemPath, schemas.PlanItemUpdate,
             changes(operations.update_item), problems=(404, 409, 412))
REPORTED = ("start", "complete")  # what a department head does with its items besides reporting progress
ITEMS.transitions(schemas.PlanItemPath, move_in_scope, ITEM_LIFECYCLE,
                  {action: f"{action.capitalize()} a plan item (send If-Match)" for action in REPORTED},
                  actions=REPORTED, body=schemas.ItemTransition, roles=PLAN_REPORTERS)
ITEMS.transitions(schemas.PlanItemPath, move_in_scope, ITEM_LIFECYCLE,
                  {action: f"{action.capitalize()} a plan item (send If-Match)"
                   for action in ITEM_LIFECYCLE.transitions if action not in REPORTED},
                  actions=[action for action in ITEM_LIFECYCLE.transitions if action not in REPORTED],
                  body=schemas.ItemTransition)
ITEMS.act("progress", "report_progress", "Report the progress of an item in progress", schemas.PlanItemPath,
          lambda uow, ids, body: operations.report_progress(uow, *ids, body.progress, body.note, if_match(),
                                                            caller_scope()),
          body=schemas.ProgressReport, roles=PLAN_REPORTERS)


@plan_api.get("/plans/<year>/monitoring",
              summary="How the year's plan stands: by status, overdue items, completion by department (responsible "
                      "body) and by partner",
              responses={200: schemas.Monitoring})
@allow(*READERS)
def plan_monitoring(path: schemas.YearPath, query: schemas.MonitoringQuery):
    as_of = query.as_of or today()
    with read_only() as session:
        items = session.scalars(select(PlanItem).where(PlanItem.year == path.year)).all()
        report = monitor([ItemFacts(item.id, item.activity, ItemStatus(item.status), item.due_on, item.progress,
                                    item.responsible_body, item.partner_id) for item in items], as_of)
        partner_ids = [row["partner_id"] for row in report["by_partner"] if row["partner_id"]]
        names = dict(session.execute(select(Partner.id, Partner.name).where(Partner.id.in_(partner_ids))).all())
        approved = session.scalar(select(PlanVersion.number).where(
            PlanVersion.year == path.year, PlanVersion.status == VersionStatus.APPROVED.value))
    for row in report["by_partner"]:
        row["partner_name"] = names.get(row["partner_id"])
    return json_response(schemas.Monitoring.model_validate({"year": path.year, "approved_version": approved, **report}))
