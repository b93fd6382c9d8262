"""Request and response bodies of awards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from services.contracts.api.schemas import LongText, ValueOut
from services.contracts.api.tender_schemas import Id
from services.contracts.domain.award import AwardStatus
from services.contracts.domain.tender import AwardCriteria
from shared.http.resources import PageQuery
from shared.http.views import id_path


class Disqualification(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bid_id: Id
    reason: LongText


class BidScores(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bid_id: Id
    scores: dict[str, Decimal] = Field(description="Criterion name → score from 0 to 100 (not price)")


class EvaluationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "lot_id": None, "standstill_days": 10,
        "disqualified": [{"bid_id": "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c",
                          "reason": "No proof of the venue's capacity for 400 guests"}],
        "scores": []}]})

    lot_id: Id | None = Field(None, description="Required when the tender has more than one lot")
    standstill_days: int = Field(10, ge=0, le=30, description="Days during which the award may be challenged")
    disqualified: list[Disqualification] = Field(default_factory=list, max_length=200)
    scores: list[BidScores] = Field(default_factory=list, max_length=200,
                                    description="For rated criteria: each valid bid's scores")


class RankedBid(BaseModel):
    rank: int
    bid_id: str
    supplier_id: str
    price: ValueOut
    score: str | None = Field(description="The weighted total, for rated criteria")


class DisqualifiedBid(BaseModel):
    bid_id: str
    supplier_id: str
    reason: str


class AwardOut(BaseModel):
    id: str
    tender_id: str
    lot_id: str
    status: AwardStatus
    status_reason: str | None
    supplier_id: str | None
    bid_id: str | None
    value: ValueOut | None
    award_criteria: AwardCriteria
    ranking: list[RankedBid]
    disqualified: list[DisqualifiedBid]
    decided_at: datetime
    standstill_ends_at: datetime | None
    allowed_actions: list[str]
    version: int


AwardPath = id_path("AwardPath", "award_id")


class AwardQuery(PageQuery):
    status: AwardStatus | None = None
    lot_id: str | None = Field(None, max_length=36)
