"""Request and response bodies of subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.notifications.api.common import Pattern
from shared.http.views import id_path


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"pattern": "chancery.visits.visit.confirmed.v1", "language": "en"}]})

    pattern: Pattern = Field(description="Event type or AMQP topic pattern, e.g. `chancery.visits.#`")
    language: Literal["en", "ru", "bg"] | None = Field(
        None, description="The language of these notifications; by default the one in your preferences")


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    subscriber: str
    pattern: str
    channel: str
    language: str | None
    created_at: datetime


SubscriptionPath = id_path("SubscriptionPath", "subscription_id")
