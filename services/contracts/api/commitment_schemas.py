"""Request and response bodies of the commitments register."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.contracts.api.schemas import CountryCode, LongText, Text, Value, ValueOut
from services.contracts.domain.commitment import CommitmentStatus, CounterpartyKind
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery
from shared.http.views import id_path

COMMITMENT_EXAMPLE = {
    "obligation": "Connect the Nordtech Logistics site in the Sofia Tech Park to the district heating network",
    "counterparty_name": "Nordtech Logistics AB", "counterparty_kind": "investor", "country": "SE",
    "partner_id": None, "agreement_id": None, "responsible_body": "Municipal Infrastructure Directorate",
    "due_on": "2027-09-30", "value": {"amount": "420000.00", "currency": "EUR"},
}


class CommitmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [COMMITMENT_EXAMPLE]})

    obligation: LongText = Field(description="What the city undertook to do")
    counterparty_name: Text
    counterparty_kind: CounterpartyKind
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 country of the counterparty")
    partner_id: str | None = Field(None, max_length=36, description="The counterparty's id in outreach, if any")
    agreement_id: str | None = Field(None, max_length=36, description="The agreement it stems from, if any")
    responsible_body: Text
    due_on: date
    value: Value | None = Field(None, description="What is at stake, when it has a price")


class CommitmentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"due_on": "2027-11-30"}]})

    obligation: LongText = None
    responsible_body: Text = None
    due_on: date = None


class FulfilmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "fulfilled_on": "2027-09-12", "evidence": "Commissioning certificate No. 114/2027 of Toplofikatsia Sofia"}]})
    fulfilled_on: date
    evidence: LongText = Field(description="What proves the fulfilment (a document, an act, a reference)")


class CommitmentOut(VersionedOut):
    id: str
    obligation: str
    counterparty_name: str
    counterparty_kind: CounterpartyKind
    country: str
    partner_id: str | None
    agreement_id: str | None
    responsible_body: str
    due_on: date
    value: ValueOut | None
    status: CommitmentStatus
    status_reason: str | None
    evidence: str | None
    fulfilled_on: date | None
    due_soon: bool
    overdue: bool
    allowed_actions: list[str]


CommitmentPath = id_path("CommitmentPath", "commitment_id")


class CommitmentQuery(PageQuery):
    status: CommitmentStatus | None = None
    counterparty_kind: CounterpartyKind | None = None
    country: CountryCode | None = None
    partner_id: str | None = Field(None, max_length=36)
    responsible_body: str | None = Field(None, max_length=300)
    overdue: bool | None = Field(None, description="Open commitments past their due date (true), or the others")
    due_within_days: int | None = Field(None, ge=0, le=3650, description="Open commitments due within these days")
