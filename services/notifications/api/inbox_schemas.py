"""Request and response bodies of the in-app inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.http.resources import PageQuery
from shared.http.views import id_path


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    subject: str
    title: str
    body: str
    data: dict
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"unread": 3}]})

    unread: int


NotificationPath = id_path("NotificationPath", "notification_id")


class InboxQuery(PageQuery):
    unread: bool | None = Field(None, description="true: only unread; false: only read")
    event_type: str | None = None
