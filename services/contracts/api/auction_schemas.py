"""Request and response bodies of electronic reverse auctions."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.contracts.api.schemas import Value, ValueOut
from services.contracts.api.tender_schemas import Id
from services.contracts.domain.auction import AuctionPhase
from shared.http.resources import PageQuery
from shared.http.views import id_path


class AuctionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "lot_id": None, "starts_at": "2027-02-21T10:00:00Z", "rounds": 3, "round_seconds": 300}]})

    lot_id: Id | None = Field(None, description="Required when the tender has more than one lot")
    starts_at: AwareDatetime = Field(description="When round 1 opens; not before the submission deadline")
    rounds: int = Field(3, ge=1, le=10)
    round_seconds: int = Field(300, ge=30, le=3600, description="How long each round lasts")


class Participant(BaseModel):
    label: str = Field(description="Anonymous: 'Bidder 1' … in a random order")
    price: ValueOut = Field(description="The bidder's last price (the sealed bid before the first round)")


class Placing(BaseModel):
    rank: int
    label: str
    supplier_id: str
    price: ValueOut


class AuctionOut(BaseModel):
    id: str
    tender_id: str
    lot_id: str
    phase: AuctionPhase
    current_round: int | None
    round_ends_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    rounds: int
    round_seconds: int
    minimum_step: ValueOut
    best: ValueOut | None
    leader_label: str | None
    participants: list[Participant]
    result: list[Placing] | None = Field(description="Once finished: the ranking, with who each bidder was")
    version: int


AuctionPath = id_path("AuctionPath", "auction_id")


class AuctionBidCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "supplier_id": "9b2f0c1e-7d4a-4e3b-8c5d-2a1f0e9d8c7b", "value": {"amount": "171500.00", "currency": "EUR"}}]})

    supplier_id: Id = Field(description="The bidder, as recorded by procurement staff; shown only as its label")
    value: Value


class AuctionBidOut(BaseModel):
    id: str
    auction_id: str
    sequence: int
    round: int | None
    label: str
    price: ValueOut
    accepted: bool
    took_lead: bool
    reason: str | None
    placed_at: datetime


class AuctionBidQuery(PageQuery):
    accepted: bool | None = None
    round: int | None = Field(None, ge=1)


class StandingQuery(BaseModel):
    bids: int = Field(10, ge=0, le=100, description="How many of the latest bid attempts to include")


class AuctionStandingOut(BaseModel):
    auction: AuctionOut
    bids: list[AuctionBidOut] = Field(description="The latest bid attempts, accepted or refused, newest first")
