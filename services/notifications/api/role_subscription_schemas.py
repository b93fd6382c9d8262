"""Request and response bodies of role subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.notifications.api.common import Pattern
from shared.http.auth import ROLES
from shared.http.views import id_path


class RoleSubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"role": "protocol", "pattern": "chancery.visits.visit.cancelled.v1"}]})

    role: Literal[tuple(ROLES)] = Field(description="Everyone holding this role hears the matching events")
    pattern: Pattern
    scope: Literal["all", "awaiting"] = Field(
        "all", description="`awaiting`: only the events that leave their record waiting for the person's decision "
                           "(a department head's: their department's)")


class RoleSubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    role: str
    pattern: str
    scope: str
    created_by: str
    created_at: datetime


RoleSubscriptionPath = id_path("RoleSubscriptionPath", "role_subscription_id")
