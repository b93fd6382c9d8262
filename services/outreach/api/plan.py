"""The consolidated annual plan: items staff enter or other services feed, their progress, monitoring."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api.common import READERS, WRITERS, today
from services.outreach.api.plan_schemas import (
    ItemTransition,
    Monitoring,
    MonitoringQuery,
    PlanItemCreate,
    PlanItemOut,
    PlanItemPath,
    PlanItemQuery,
    PlanItemUpdate,
    ProgressReport,
    YearPath,
)
from services.outreach.domain.plan import (
    ITEM_LIFECYCLE,
    OPEN,
    ItemFacts,
    ItemStatus,
    VersionStatus,
    budget_amount,
    is_overdue,
    monitor,
)
from services.outreach.operations import plan as operations
from services.outreach.store.models import Partner, PlanItem, PlanVersion
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

plan_api = APIBlueprint("plan", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                        abp_responses=problem_responses(401, 403, 422),
                        abp_tags=[Tag(name="plan", description="The consolidated annual plan of international "
                                                               "relations and the monitoring of its implementation")])


def serialize(item: PlanItem) -> dict:
    """The item as staff see it: its budget as an amount, whether it is overdue today, what may be done with it."""
    status = ItemStatus(item.status)
    return {
        "id": item.id, "year": item.year, "activity": item.activity, "responsible_body": item.responsible_body,
        "partner_id": item.partner_id, "starts_on": item.starts_on and item.starts_on.isoformat(),
        "due_on": item.due_on.isoformat(), "budget_amount": budget_amount(item.budget_cents),
        "budget_currency": item.budget_currency, "source": item.source, "source_id": item.source_id,
        "source_item_id": item.source_item_id, "status": item.status, "progress": item.progress,
        "status_reason": item.status_reason, "overdue": is_overdue(status, item.due_on, today()),
        "allowed_actions": ITEM_LIFECYCLE.allowed_actions(status), "version": item.version,
        "created_by": item.created_by, "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat()}


def item_response(item: PlanItem, status: int = 200):
    return record_response(serialize(item), item.version, status)


@plan_api.post("/plan-items", summary="Enter a plan item by hand",
               responses={201: PlanItemOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_item(body: PlanItemCreate):
    with unit_of_work() as uow:
        item = operations.create_item(uow, body.model_dump(exclude={"budget_amount"}), body.budget_amount,
                                      body.model_dump(mode="json"))
        return created(uow, serialize(item), f"/api/v1/plan-items/{item.id}", item.version)


@plan_api.get("/plan-items", summary="List plan items", responses={200: Page[PlanItemOut]})
@allow(*READERS)
def list_items(query: PlanItemQuery):
    statement = select(PlanItem)
    statement = where_set(statement, PlanItem, query, ("year", "status", "source", "responsible_body", "partner_id"))
    if query.overdue is not None:
        late = PlanItem.status.in_([status.value for status in OPEN]) & (PlanItem.due_on < today())
        statement = statement.where(late if query.overdue else ~late)
    statement = sort_by(statement, query.sort, PlanItem,
                        ("due_on", "starts_on", "status", "progress", "responsible_body", "activity", "created_at"),
                        [PlanItem.due_on, PlanItem.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@plan_api.get("/plan-items/<item_id>", summary="Read a plan item",
              responses={200: PlanItemOut, **problem_responses(404)})
@allow(*READERS)
def get_item(path: PlanItemPath):
    with read_only() as session:
        return item_response(find(session, PlanItem, path.item_id, "plan item"))


@plan_api.patch("/plan-items/<item_id>", summary="Change a plan item (send If-Match)",
                responses={200: PlanItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_item(path: PlanItemPath, body: PlanItemUpdate):
    with unit_of_work() as uow:
        return item_response(operations.update_item(uow, path.item_id, body.model_dump(exclude_unset=True),
                                                    body.model_dump(mode="json", exclude_unset=True), if_match()))


def _transition_view(action: str):
    def transition(path: PlanItemPath, body: ItemTransition):
        with unit_of_work() as uow:
            return item_response(operations.move_item(uow, path.item_id, action, body.reason, if_match()))

    transition.__name__ = f"{action}_plan_item"
    return transition


for _action in ITEM_LIFECYCLE.transitions:
    plan_api.post(f"/plan-items/<item_id>/{_action}", summary=f"{_action.capitalize()} a plan item (send If-Match)",
                  responses={200: PlanItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*WRITERS)(_transition_view(_action)))


@plan_api.post("/plan-items/<item_id>/progress", summary="Report the progress of an item in progress",
               responses={200: PlanItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def report_progress(path: PlanItemPath, body: ProgressReport):
    with unit_of_work() as uow:
        return item_response(operations.report_progress(uow, path.item_id, body.progress, body.note, if_match()))


@plan_api.get("/plans/<year>/monitoring",
              summary="How the year's plan stands: by status, overdue items, completion by body and by partner",
              responses={200: Monitoring})
@allow(*READERS)
def plan_monitoring(path: YearPath, query: MonitoringQuery):
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
    return json_response(Monitoring.model_validate({"year": path.year, "approved_version": approved, **report}))
