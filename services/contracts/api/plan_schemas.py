"""Request and response bodies of the procurement plan."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.contracts.api.schemas import CpvCode, LongText, Text, Value, ValueOut
from services.contracts.domain.plan import PlanLineStatus, ProcurementMethod
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery

PLAN_LINE_EXAMPLE = {
    "title": "Venue, catering and interpretation for the International Forum of Twin Cities 2027",
    "description": "Conference venue for 400 guests over two days, catering, simultaneous interpretation",
    "budget": {"amount": "185000.00", "currency": "EUR"},
    "cpv_code": "79950000-8",
    "procurement_method": "reverse_auction",
    "planned_tender_on": "2027-02-01",
    "planned_delivery_by": "2027-06-15",
    "programme": "International Forum of Twin Cities 2027 (international cooperation programme)",
}


class PlanLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PLAN_LINE_EXAMPLE]})

    title: Text
    description: LongText | None = None
    budget: Value
    cpv_code: CpvCode
    procurement_method: ProcurementMethod
    planned_tender_on: date = Field(description="When the tender is planned to be announced")
    planned_delivery_by: date = Field(description="When the goods, works or services are needed")
    programme: Text = Field(description="The programme or international function the purchase serves")

    @model_validator(mode="after")
    def delivery_after_tender(self):
        if self.planned_delivery_by < self.planned_tender_on:
            raise ValueError("planned_delivery_by must not be before planned_tender_on")
        return self


class PlanLineUpdate(BaseModel):
    """The fields sent change, the others stay; a draft only."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"budget": {"amount": "179500.00", "currency": "EUR"}}]})

    title: Text = None
    description: LongText | None = None
    budget: Value = None
    cpv_code: CpvCode = None
    procurement_method: ProcurementMethod = None
    planned_tender_on: date = None
    planned_delivery_by: date = None
    programme: Text = None


class PlanLineOut(VersionedOut):
    id: str
    title: str
    description: str | None
    budget: ValueOut
    cpv_code: str
    procurement_method: ProcurementMethod
    planned_tender_on: date
    planned_delivery_by: date
    programme: str
    status: PlanLineStatus
    status_reason: str | None
    allowed_actions: list[str]


class PlanLinePath(BaseModel):
    plan_line_id: str = Field(description="The plan line's id", max_length=36)


class PlanLineQuery(PageQuery):
    status: PlanLineStatus | None = None
    procurement_method: ProcurementMethod | None = None
    currency: str | None = Field(None, max_length=3)
    cpv_prefix: str | None = Field(None, pattern=r"^[0-9]{2,8}$", description="CPV codes starting with these digits")
    programme: str | None = Field(None, max_length=300)
    tender_from: date | None = Field(None, description="Tender planned on or after this date")
    tender_until: date | None = Field(None, description="Tender planned on or before this date")
