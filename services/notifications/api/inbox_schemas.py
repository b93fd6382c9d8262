"""Request and response bodies of the in-app inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.http.resources import PageQuery


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


class NotificationPath(BaseModel):
    notification_id: str = Field(max_length=36)


class InboxQuery(PageQuery):
    unread: bool | None = Field(None, description="true: only unread; false: only read")
    event_type: str | None = None
