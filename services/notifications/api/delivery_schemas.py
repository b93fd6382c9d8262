"""Response bodies and queries of the delivery log."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.http.resources import PageQuery
from shared.http.views import id_path


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    recipient: str
    channel: str
    status: str
    attempts: int
    due_at: datetime
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    channel: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error: str | None


class DeliveryDetail(DeliveryOut):
    attempts_log: list[AttemptOut]


class DeliveryQuery(PageQuery):
    event_id: str | None = None
    recipient: str | None = None
    channel: str | None = None
    status: str | None = None


DeliveryPath = id_path("DeliveryPath", "delivery_id")
