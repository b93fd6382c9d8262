"""Request and response bodies of sealed bids."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.contracts.api.schemas import Value, ValueOut
from services.contracts.api.tender_schemas import Id, TenderPath
from shared.http.resources import PageQuery
from shared.http.views import id_path


class BidCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "supplier_id": "9b2f0c1e-7d4a-4e3b-8c5d-2a1f0e9d8c7b", "lot_id": None,
        "value": {"amount": "142500.00", "currency": "EUR"}}]})

    supplier_id: Id
    lot_id: Id | None = Field(None, description="Required when the tender has more than one lot")
    value: Value


class BidOut(BaseModel):
    id: str
    tender_id: str
    lot_id: str
    supplier_id: str
    status: str = Field(description="OCDS bid status: pending, withdrawn, valid, disqualified")
    status_reason: str | None = Field(None, description="Why the bid was disqualified")
    submitted_at: datetime
    withdrawn_at: datetime | None
    sealed: bool = Field(description="True until the submission deadline; the value is null while sealed")
    value: ValueOut | None
    final_value: ValueOut | None = Field(description="The last price after the lot's reverse auction, if any")
    version: int


BidPath = id_path("BidPath", "bid_id", parent=TenderPath)


class BidQuery(PageQuery):
    lot_id: str | None = Field(None, max_length=36)
    supplier_id: str | None = Field(None, max_length=36)
    status: str | None = Field(None, max_length=20)
