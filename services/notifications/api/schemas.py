"""Request and response bodies of the notifications API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.http.resources import PageQuery

Pattern = Annotated[str, StringConstraints(pattern=r"^[a-z0-9*#-]+(\.[a-z0-9*#-]+)*$", max_length=200)]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"pattern": "chancery.visits.visit.confirmed.v1", "language": "en"}]})

    pattern: Pattern = Field(description="Event type or AMQP topic pattern, e.g. `chancery.visits.#`")
    language: Literal["en", "ru", "bg"] = "en"


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    subscriber: str
    pattern: str
    channel: str
    language: str
    created_at: datetime


class SubscriptionPath(BaseModel):
    subscription_id: str = Field(max_length=36)


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    subject: str
    title: str
    data: dict
    created_at: datetime
    read_at: datetime | None


class NotificationPath(BaseModel):
    notification_id: str = Field(max_length=36)


class InboxQuery(PageQuery):
    unread: bool | None = Field(None, description="true: only unread; false: only read")
    event_type: str | None = None
