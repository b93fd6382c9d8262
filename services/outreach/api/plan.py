"""The consolidated annual plan: items staff enter or other services feed, their progress, monitoring."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api import clock
from services.outreach.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    conflict,
    find,
    invalid,
    record_change,
    record_response,
)
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
from services.outreach.domain.lifecycle import IllegalTransition, MissingReason
from services.outreach.domain.plan import (
    EVENT_ACTION,
    OPEN,
    TRANSITIONS,
    ItemFacts,
    ItemStatus,
    ProgressNotAllowed,
    Source,
    VersionStatus,
    check_progress,
    monitor,
    next_status,
    progress_after,
)
from services.outreach.store.models import Partner, PlanItem, PlanVersion
from services.outreach.store.plan import item_body, item_event, to_cents
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work

plan_api = APIBlueprint("plan", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                        abp_responses=problem_responses(401, 403, 422),
                        abp_tags=[Tag(name="plan", description="The consolidated annual plan of international "
                                                               "relations and the monitoring of its implementation")])
SOURCE_FIELDS = ("activity", "responsible_body", "partner_id", "starts_on", "due_on")


def serialize(item: PlanItem) -> dict:
    return item_body(item, clock.today())


def item_response(item: PlanItem, status: int = 200):
    return record_response(serialize(item), item.version, status)


@plan_api.post("/plan-items", summary="Enter a plan item by hand",
               responses={201: PlanItemOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_item(body: PlanItemCreate):
    fields = body.model_dump(exclude={"budget_amount"})
    with unit_of_work() as uow:
        item = PlanItem(**fields, year=body.due_on.year, budget_cents=to_cents(body.budget_amount),
                        source=Source.MANUAL.value, status=ItemStatus.PLANNED.value, progress=0, version=1,
                        created_by=uow.actor)
        uow.session.add(item)
        record_change(uow, "plan-item", "created", item, item_event, body.model_dump(mode="json"))
        return created(uow, serialize(item), f"/api/v1/plan-items/{item.id}", item.version)


@plan_api.get("/plan-items", summary="List plan items", responses={200: Page[PlanItemOut]})
@allow(*READERS)
def list_items(query: PlanItemQuery):
    statement = select(PlanItem)
    for name in ("year", "status", "source", "responsible_body", "partner_id"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(PlanItem, name) == value)
    if query.overdue is not None:
        late = PlanItem.status.in_([status.value for status in OPEN]) & (PlanItem.due_on < clock.today())
        statement = statement.where(late if query.overdue else ~late)
    sortable = {name: getattr(PlanItem, name) for name in ("due_on", "starts_on", "status", "progress",
                                                            "responsible_body", "activity", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [PlanItem.due_on, PlanItem.id])
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
    changes = body.model_dump(exclude_unset=True)
    for required in ("activity", "responsible_body", "due_on"):
        if required in changes and changes[required] is None:
            raise invalid(required, f"{required} cannot be cleared")
    with unit_of_work() as uow:
        item = find(uow.session, PlanItem, path.item_id, "plan item")
        require_fresh(item.version)
        sourced = sorted(set(changes) & set(SOURCE_FIELDS)) if item.source != Source.MANUAL.value else []
        if sourced:
            raise Problem(409, "Follows its source", f"{', '.join(sourced)} of an item from a {item.source} "
                          "change only when its source does", slug="follows-source", fields=sourced)
        if not changes:
            return item_response(item)
        if "budget_amount" in changes:
            item.budget_cents = to_cents(changes.pop("budget_amount"))
        for name, value in changes.items():
            setattr(item, name, value)
        if item.starts_on is not None and item.due_on < item.starts_on:
            raise invalid("due_on", "due_on must not be before starts_on")
        if (item.budget_cents is None) != (item.budget_currency is None):
            raise invalid("budget_currency", "budget_amount and budget_currency go together")
        item.year, item.version = item.due_on.year, item.version + 1
        record_change(uow, "plan-item", "updated", item, item_event, body.model_dump(mode="json", exclude_unset=True))
        return item_response(item)


def _transition_view(action: str):
    def transition(path: PlanItemPath, body: ItemTransition):
        with unit_of_work() as uow:
            item = find(uow.session, PlanItem, path.item_id, "plan item")
            require_fresh(item.version)
            try:
                target = next_status(ItemStatus(item.status), action, body.reason)
            except IllegalTransition as error:
                raise conflict(str(error), error.allowed) from error
            except MissingReason as error:
                raise invalid("reason", str(error)) from error
            previous = item.status
            item.status, item.status_reason = target.value, body.reason
            item.progress, item.withdrawn_by_source = progress_after(target, item.progress), False
            item.version += 1
            record_change(uow, "plan-item", EVENT_ACTION[action], item, item_event,
                          {"status": [previous, target.value], "reason": body.reason})
            return item_response(item)

    transition.__name__ = f"{action}_plan_item"
    return transition


for _action in TRANSITIONS:
    plan_api.post(f"/plan-items/<item_id>/{_action}", summary=f"{_action.capitalize()} a plan item (send If-Match)",
                  responses={200: PlanItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*WRITERS)(_transition_view(_action)))


@plan_api.post("/plan-items/<item_id>/progress", summary="Report the progress of an item in progress",
               responses={200: PlanItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def report_progress(path: PlanItemPath, body: ProgressReport):
    with unit_of_work() as uow:
        item = find(uow.session, PlanItem, path.item_id, "plan item")
        require_fresh(item.version)
        try:
            check_progress(ItemStatus(item.status))
        except ProgressNotAllowed as error:
            raise conflict(str(error), error.allowed) from error
        previous = item.progress
        item.progress, item.version = body.progress, item.version + 1
        record_change(uow, "plan-item", "progressed", item, item_event,
                      {"progress": [previous, body.progress], "note": body.note})
        return item_response(item)


@plan_api.get("/plans/<year>/monitoring",
              summary="How the year's plan stands: by status, overdue items, completion by body and by partner",
              responses={200: Monitoring})
@allow(*READERS)
def plan_monitoring(path: YearPath, query: MonitoringQuery):
    today = query.as_of or clock.today()
    with read_only() as session:
        items = session.scalars(select(PlanItem).where(PlanItem.year == path.year)).all()
        report = monitor([ItemFacts(item.id, item.activity, ItemStatus(item.status), item.due_on, item.progress,
                                    item.responsible_body, item.partner_id) for item in items], today)
        partner_ids = [row["partner_id"] for row in report["by_partner"] if row["partner_id"]]
        names = dict(session.execute(select(Partner.id, Partner.name).where(Partner.id.in_(partner_ids))).all())
        approved = session.scalar(select(PlanVersion.number).where(
            PlanVersion.year == path.year, PlanVersion.status == VersionStatus.APPROVED.value))
    for row in report["by_partner"]:
        row["partner_name"] = names.get(row["partner_id"])
    return json_response(Monitoring.model_validate({"year": path.year, "approved_version": approved, **report}))
