"""The protocol checklist of each visit: tasks with owners and due dates; overdue ones are visible."""

from __future__ import annotations

from sqlalchemy import Select

from services.visits.api import checklist_schemas as schemas
from services.visits.api.common import READERS, WRITERS, today
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.checklist import is_overdue
from services.visits.operations import checklist as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import ChecklistItem
from shared.http.views import Resource, blueprint, changes, fields, versioned

checklist_api = blueprint("checklist", __name__, "The protocol checklist of each visit")


def serialize(task: ChecklistItem) -> dict:
    return schemas.ChecklistItemOut(id=task.id, visit_id=task.visit_id, title=task.title, owner=task.owner,
                            due_on=task.due_on, done_at=task.done_at, done_by=task.done_by,
                            overdue=is_overdue(task.due_on, task.done_at, today()),
                            version=task.version).model_dump(mode="json")


def due(statement: Select, query: schemas.ChecklistQuery) -> Select:
    day = today()
    if query.done is not None:
        statement = statement.where(ChecklistItem.done_at.isnot(None) if query.done
                                    else ChecklistItem.done_at.is_(None))
    if query.overdue is True:
        statement = statement.where(ChecklistItem.done_at.is_(None), ChecklistItem.due_on < day)
    if query.overdue is False:
        statement = statement.where((ChecklistItem.done_at.isnot(None)) | (ChecklistItem.due_on >= day))
    if query.due_until:
        statement = statement.where(ChecklistItem.due_on <= query.due_until)
    return statement


TASKS = Resource(checklist_api, "/visits/<visit_id>/checklist", "task_id", ChecklistItem, schemas.ChecklistItemOut,
                 READERS,
                 WRITERS, serialize=serialize)
TASKS.create("add_task", "Add a task to the visit's protocol checklist", schemas.ChecklistItemCreate,
             fields(operations.add_task), path=VisitPath, problems=(404, 409))
for _name, _summary, _path in (("list_all_tasks", "Checklist tasks of every visit, e.g. everything overdue", None),
                               ("list_visit_tasks", "The visit's protocol checklist", VisitPath)):
    TASKS.listing(_name, _summary, schemas.ChecklistQuery, path=_path, parent=find_visit,
                  at=None if _path else "/checklist-tasks", filters=("owner",), narrow=(due,),
                  sortable=("due_on", "owner", "title", "done_at"), order=("due_on",))
TASKS.change("update_task", "Change a task: title, owner, due date (send If-Match)", schemas.ChecklistPath,
             schemas.ChecklistItemUpdate, changes(operations.update_task), problems=(404, 409, 412))
TASKS.act("complete", "complete_task", "Mark a task done (send If-Match)", schemas.ChecklistPath,
          versioned(operations.complete_task))
