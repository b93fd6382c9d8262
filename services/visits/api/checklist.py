"""The protocol checklist of each visit: tasks with owners and due dates; overdue ones are visible."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, select

from services.visits.api.checklist_schemas import (
    ChecklistItemCreate,
    ChecklistItemOut,
    ChecklistItemUpdate,
    ChecklistPath,
    ChecklistQuery,
)
from services.visits.api.common import READERS, WRITERS, today
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.checklist import is_overdue
from services.visits.operations import checklist as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import ChecklistItem
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

checklist_api = APIBlueprint("checklist", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="checklist", description="The protocol checklist of each visit")])


def serialize(task: ChecklistItem) -> dict:
    return ChecklistItemOut(id=task.id, visit_id=task.visit_id, title=task.title, owner=task.owner,
                            due_on=task.due_on, done_at=task.done_at, done_by=task.done_by,
                            overdue=is_overdue(task.due_on, task.done_at, today()),
                            version=task.version).model_dump(mode="json")


def task_response(task: ChecklistItem):
    return record_response(serialize(task), task.version)


@checklist_api.post("/visits/<visit_id>/checklist", summary="Add a task to the visit's protocol checklist",
                    responses={201: ChecklistItemOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_task(path: VisitPath, body: ChecklistItemCreate):
    with unit_of_work() as uow:
        task = operations.add_task(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(task), f"/api/v1/visits/{path.visit_id}/checklist/{task.id}", task.version)


def filtered(statement: Select, query: ChecklistQuery) -> Select:
    day = today()
    if query.owner:
        statement = statement.where(ChecklistItem.owner == query.owner)
    if query.done is not None:
        statement = statement.where(ChecklistItem.done_at.isnot(None) if query.done
                                    else ChecklistItem.done_at.is_(None))
    if query.overdue is True:
        statement = statement.where(ChecklistItem.done_at.is_(None), ChecklistItem.due_on < day)
    if query.overdue is False:
        statement = statement.where((ChecklistItem.done_at.isnot(None)) | (ChecklistItem.due_on >= day))
    if query.due_until:
        statement = statement.where(ChecklistItem.due_on <= query.due_until)
    sortable = {name: getattr(ChecklistItem, name) for name in ("due_on", "owner", "title", "done_at")}
    return apply_sort(statement, query.sort, sortable, [ChecklistItem.due_on, ChecklistItem.id])


@checklist_api.get("/checklist-tasks", summary="Checklist tasks of every visit, e.g. everything overdue",
                   responses={200: Page[ChecklistItemOut]})
@allow(*READERS)
def list_all_tasks(query: ChecklistQuery):
    with read_only() as session:
        return json_response(paginate(session, filtered(select(ChecklistItem), query), query, serialize))


@checklist_api.get("/visits/<visit_id>/checklist", summary="The visit's protocol checklist",
                   responses={200: Page[ChecklistItemOut], **problem_responses(404)})
@allow(*READERS)
def list_visit_tasks(path: VisitPath, query: ChecklistQuery):
    with read_only() as session:
        find_visit(session, path.visit_id)
        statement = filtered(select(ChecklistItem).where(ChecklistItem.visit_id == path.visit_id), query)
        return json_response(paginate(session, statement, query, serialize))


@checklist_api.patch("/visits/<visit_id>/checklist/<task_id>",
                     summary="Change a task: title, owner, due date (send If-Match)",
                     responses={200: ChecklistItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_task(path: ChecklistPath, body: ChecklistItemUpdate):
    with unit_of_work() as uow:
        task = operations.update_task(uow, path.visit_id, path.task_id, body.model_dump(exclude_unset=True),
                                      body.model_dump(mode="json", exclude_unset=True), if_match())
        return task_response(task)


@checklist_api.post("/visits/<visit_id>/checklist/<task_id>/complete", summary="Mark a task done (send If-Match)",
                    responses={200: ChecklistItemOut, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def complete_task(path: ChecklistPath):
    with unit_of_work() as uow:
        return task_response(operations.complete_task(uow, path.visit_id, path.task_id, if_match()))
