"""Request and response bodies of contracts, their milestones, amendments and payments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.contracts.api.schemas import LongText, Text, Value, ValueOut, changing_one_of
from services.contracts.api.tender_schemas import Id
from services.contracts.domain.contract import ContractStatus, MilestoneStatus, MilestoneType, Party
from shared.http.records import NO_NUL, VersionedOut
from shared.http.resources import PageQuery
from shared.http.views import id_path


class ContractCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "award_id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
        "title": "Venue and services for the International Forum of Twin Cities 2027",
        "period_start": "2027-03-15", "period_end": "2027-06-30",
        "buyer_signatory": "Deputy Mayor for International Relations",
        "supplier_signatory": "Managing Director, Eventim Congress Services GmbH"}]})

    award_id: Id = Field(description="The active award; the contract takes its supplier and value")
    title: Text
    period_start: date
    period_end: date
    buyer_signatory: Text = Field(description="Who signs for the city (position, name)")
    supplier_signatory: Text = Field(description="Who signs for the supplier (position, name)")

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.period_end < self.period_start:
            raise ValueError("period_end must not be before period_start")
        return self


class Implementation(BaseModel):
    paid: ValueOut
    remaining: ValueOut
    milestones: int
    milestones_met: int
    milestones_overdue: int


class ContractOut(VersionedOut):
    id: str
    tender_id: str
    award_id: str
    supplier_id: str
    title: str
    value: ValueOut
    period_start: date
    period_end: date
    buyer_signatory: str
    supplier_signatory: str
    buyer_signed_on: date | None
    supplier_signed_on: date | None
    status: ContractStatus
    status_reason: str | None
    implementation: Implementation
    allowed_actions: list[str]


ContractPath = id_path("ContractPath", "contract_id")


class ContractQuery(PageQuery):
    status: ContractStatus | None = None
    supplier_id: str | None = Field(None, max_length=36)
    tender_id: str | None = Field(None, max_length=36)
    ends_before: date | None = None


class SignatureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"party": "supplier", "signed_on": "2027-03-10"}]})
    party: Party
    signed_on: date


class MilestoneCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Second instalment after the forum", "type": "payment", "due_on": "2027-06-30",
        "value": {"amount": "85500.00", "currency": "EUR"}}]})
    title: Text
    type: MilestoneType
    due_on: date
    value: Value | None = Field(None, description="What falls due, for a payment milestone")


class MilestoneOut(BaseModel):
    id: str
    contract_id: str
    title: str
    type: MilestoneType
    due_on: date
    value: ValueOut | None
    status: MilestoneStatus
    status_reason: str | None
    date_met: date | None
    overdue: bool
    version: int


MilestonePath = id_path("MilestonePath", "milestone_id", parent=ContractPath)


class MilestoneQuery(PageQuery):
    status: MilestoneStatus | None = None
    type: MilestoneType | None = None
    overdue: bool | None = None


class MilestoneUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"on": "2027-05-20"}]})
    on: date | None = Field(None, description="When it was met (default: today)")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=NO_NUL)] | None = Field(
        None, description="Why; required when it was missed")


class AmendmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        **changing_one_of("title", "value", "period_end"), "examples": [{
        "rationale": "The forum was extended by a day at the partners' request",
        "value": {"amount": "178000.00", "currency": "EUR"}, "period_end": "2027-07-15"}]})
    rationale: LongText
    title: Text | None = None
    value: Value | None = None
    period_end: date | None = None

    @model_validator(mode="after")
    def changes_something(self):
        if self.title is None and self.value is None and self.period_end is None:
            raise ValueError("an amendment changes the title, the value or the period's end")
        return self


class AmendmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    contract_id: str
    rationale: str
    changes: dict
    amended_at: datetime
    created_by: str


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "value": {"amount": "85500.00", "currency": "EUR"}, "paid_on": "2027-07-05",
        "reference": "PO-2027-00412", "milestone_id": None}]})
    value: Value
    paid_on: date
    reference: Text = Field(description="The payment order's number, used once on the contract: the "
                                        "transaction's `id` in the OCDS export")
    milestone_id: Id | None = None


class PaymentOut(BaseModel):
    id: str
    contract_id: str
    milestone_id: str | None
    value: ValueOut
    paid_on: date
    reference: str
    recorded_at: datetime
