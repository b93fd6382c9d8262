"""Request and response bodies of a visit's protocol checklist."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.visits.api.fields import Name, Text
from shared.http.resources import PageQuery
from shared.http.views import id_path


class ChecklistItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Order the flags of France and Lyon", "owner": "ivan", "due_on": "2027-03-03"}]})

    title: Text
    owner: Name = Field(description="Who sees it through (a user name)")
    due_on: date


class ChecklistItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text = None
    owner: Name = None
    due_on: date = None


class ChecklistItemOut(BaseModel):
    id: str
    visit_id: str
    title: str
    owner: str
    due_on: date
    done_at: datetime | None
    done_by: str | None
    overdue: bool
    version: int


ChecklistPath = id_path("ChecklistPath", "visit_id", "task_id")


class ChecklistQuery(PageQuery):
    owner: Name | None = None
    overdue: bool | None = Field(None, description="true: only overdue tasks (open and past their due date)")
    done: bool | None = None
    due_until: date | None = None
