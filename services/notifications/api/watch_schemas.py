"""Request and response bodies of watched records."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.http.views import id_path

RecordType = Literal["visit", "trip", "contract", "agreement"]


class WatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"record_type": "visit", "record_id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"}]})

    record_type: RecordType
    record_id: str = Field(min_length=1, max_length=200, description="The id of the visit, trip or contract")


class WatchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    subscriber: str
    record_type: str
    record_id: str
    created_at: datetime


WatchPath = id_path("WatchPath", "watch_id")
