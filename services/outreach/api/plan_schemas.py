"""Request and response bodies of the consolidated annual plan: items, versions, monitoring."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.outreach.domain.plan import ItemStatus, Source, VersionStatus
from services.outreach.events.fields import Currency, LongText, Money, Name, Reason, RecordId, Text
from shared.http.records import OptionalBody, VersionedOut
from shared.http.resources import PageQuery, QueryModel

Year = Annotated[int, Field(ge=2000, le=2100, description="The plan's year")]
Progress = Annotated[int, Field(ge=0, le=100, description="Per cent done")]


class PlanItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "activity": "Days of Sofia culture in the city", "responsible_body": "Department of Culture",
        "partner_id": "0b6f7e2a-3c1d-4e5f-8a9b-0c1d2e3f4a5b", "starts_on": "2027-05-20", "due_on": "2027-05-27",
        "budget_amount": "25000.00", "budget_currency": "EUR"}]})

    activity: Text
    responsible_body: Name
    partner_id: RecordId | None = None
    starts_on: date | None = None
    due_on: date
    budget_amount: Money | None = None
    budget_currency: Currency | None = None

    @model_validator(mode="after")
    def consistent(self):
        if self.starts_on is not None and self.due_on < self.starts_on:
            raise ValueError("due_on must not be before starts_on")
        if (self.budget_amount is None) != (self.budget_currency is None):
            raise ValueError("budget_amount and budget_currency go together")
        return self


class PlanItemUpdate(BaseModel):
    """Items that came from an agreement or a trip report keep the activity, body, partner and dates of
    their source; only the budget of those may change here."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"due_on": "2027-06-03"}]})

    activity: Text = None
    responsible_body: Name = None
    partner_id: RecordId | None = None
    starts_on: date | None = None
    due_on: date = None
    budget_amount: Money | None = None
    budget_currency: Currency | None = None


class Origin(BaseModel):
    """Where an item fed by another service came from (decision 0155)."""

    kind: Source = Field(description="The kind of record it came from")
    id: str = Field(description="That record's id (a follow-up's own id for a meeting's follow-up)")
    service: str = Field(description="The service that keeps the record", examples=["visits"])
    href: str | None = Field(description="The record's path in that service's API, e.g. "
                                         "/api/v1/visits/{visit_id}/report; null for items fed before links "
                                         "were kept, until their source's next event")


class PlanItemOut(VersionedOut):
    id: str
    year: int
    activity: str
    responsible_body: str
    partner_id: str | None
    starts_on: date | None
    due_on: date
    budget_amount: Decimal | None
    budget_currency: str | None
    source: Source
    source_id: str | None
    source_item_id: str | None
    origin: Origin | None = Field(description="Where the item came from and a link back; null for items entered "
                                              "by hand")
    status: ItemStatus
    progress: int
    status_reason: str | None
    overdue: bool
    allowed_actions: list[str]


class PlanItemPath(BaseModel):
    item_id: RecordId


class PlanItemQuery(PageQuery):
    year: Year | None = None
    status: ItemStatus | None = None
    source: Source | None = None
    responsible_body: Name | None = None
    department: Name | None = Field(None, description="Only the items of this department (their responsible "
                                                      "body), compared ignoring case and spacing")
    partner_id: RecordId | None = None
    overdue: bool | None = Field(None, description="Only items past their due date and not done (true), or the "
                                                    "others (false), as of today")


class ItemTransition(OptionalBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "The partner withdrew"}]})

    reason: Reason | None = Field(None, description="Why; required to cancel")


class ProgressReport(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"progress": 60,
                                                                                "note": "Venue booked"}]})

    progress: Progress
    note: LongText | None = None


class YearPath(BaseModel):
    year: Year


class VersionSubmit(OptionalBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "After the spring review"}]})

    note: LongText | None = None


class VersionDecision(OptionalBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Budget too high"}]})

    reason: Reason | None = Field(None, description="Why; required to reject")


class PlanVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    year: int
    number: int
    status: VersionStatus
    note: str | None
    items: list[dict]
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    version: int


class PlanVersionPath(BaseModel):
    version_id: RecordId


class MonitoringQuery(QueryModel):
    model_config = ConfigDict(extra="forbid")
    as_of: date | None = Field(None, description="The day to judge overdue items on (today by default)")


class Tally(BaseModel):
    total: int
    done: int
    cancelled: int
    overdue: int
    completion: float | None = Field(description="Done items among those not cancelled, 0 to 1")
    average_progress: float | None


class BodyTally(Tally):
    responsible_body: str


class PartnerTally(Tally):
    partner_id: str | None
    partner_name: str | None


class OverdueItem(BaseModel):
    id: str
    activity: str
    due_on: date
    days_overdue: int
    responsible_body: str


class Monitoring(Tally):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "year": 2027, "as_of": "2027-06-15", "approved_version": 2, "total": 3, "done": 1, "cancelled": 1,
        "overdue": 1, "completion": 0.5, "average_progress": 60.0,
        "by_status": {"planned": 0, "in_progress": 1, "done": 1, "cancelled": 1},
        "overdue_items": [{"id": "5b8f1c9e-2a8d-4f7e-9d0b-6f1e2c3a4b5d", "activity": "Youth exchange",
                           "due_on": "2027-06-01", "days_overdue": 14, "responsible_body": "Department of Youth"}],
        "by_responsible_body": [], "by_partner": []}]})

    year: int
    as_of: date
    approved_version: int | None
    by_status: dict[str, int]
    overdue_items: list[OverdueItem]
    by_responsible_body: list[BodyTally]
    by_partner: list[PartnerTally]
