"""Request and response bodies of the rates tables, a trip's costs and budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.trips.api.common import CountryCode, CurrencyCode, Name, Text
from services.trips.domain.budget import CostCategory, CostKind
from shared.http.resources import PageQuery, QueryModel
from shared.http.views import id_path

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2,
                                 description="Exact amount; send it as a string such as \"185.50\"")]
Rate = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=8)]


class DailyRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "country": "BG", "currency": "EUR", "per_diem": "60.00", "accommodation_per_night": "150.00",
        "valid_from": "2027-01-01"}]})

    country: CountryCode
    currency: CurrencyCode = Field(description="ISO 4217 currency of the limits")
    per_diem: Money = Field(description="Per diem for each calendar day away, per traveller")
    accommodation_per_night: Money = Field(description="Accommodation limit per night, per traveller")
    valid_from: date


class DailyRateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"per_diem": "65.00"}]})

    currency: CurrencyCode = None
    per_diem: Money = None
    accommodation_per_night: Money = None


class DailyRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    country: str
    currency: str
    per_diem: Decimal
    accommodation_per_night: Decimal
    valid_from: date
    version: int


class DailyRateQuery(PageQuery):
    country: CountryCode | None = None


DailyRatePath = id_path("DailyRatePath", "rate_id")


class ExchangeRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "base": "EUR", "quote": "BGN", "rate": "1.95583", "valid_on": "2027-01-01"}]})

    base: CurrencyCode
    quote: CurrencyCode
    rate: Rate = Field(description="How many units of `quote` one unit of `base` is worth")
    valid_on: date = Field(description="The rate applies from this date until a later one")

    @model_validator(mode="after")
    def two_currencies(self):
        if self.base == self.quote:
            raise ValueError("quote must differ from base")
        return self


class ExchangeRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    base: str
    quote: str
    rate: Decimal
    valid_on: date
    version: int


ExchangeRatePath = id_path("ExchangeRatePath", "rate_id")


class ExchangeRateUpdate(BaseModel):
    """A correction of the rate entered; costs already recorded keep the rate they were converted at."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"rate": "1.95583"}]})

    rate: Rate = None


class ExchangeRateQuery(PageQuery):
    base: CurrencyCode | None = None
    quote: CurrencyCode | None = None


class CostIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "expected", "category": "accommodation", "amount": "870.00", "currency": "BGN",
        "description": "Grand Hotel Sofia, 3 nights, 2 rooms"}]})

    kind: CostKind
    category: CostCategory
    amount: Money
    currency: CurrencyCode
    description: Text | None = None
    incurred_on: date | None = Field(None, description="Date whose exchange rate applies; the trip's start if absent")


class CostOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    trip_id: str
    kind: CostKind
    category: CostCategory
    description: str | None
    amount: Decimal
    currency: str
    converted_amount: Decimal = Field(description="In the trip's budget currency")
    exchange_rate: Decimal
    converted_on: date
    version: int


class CostQuery(PageQuery):
    kind: CostKind | None = None
    category: CostCategory | None = None


class DailyRateUsed(BaseModel):
    id: str = Field(description="The row of the daily rates table")
    version: int = Field(description="Its version when the budget was read (a correction raises it; the audit "
                                     "records keep what each version said)")
    valid_from: date
    per_diem: Decimal
    accommodation_per_night: Decimal


class CountryLimitsOut(BaseModel):
    country: str
    currency: str = Field(description="The daily rate's currency")
    days: int = Field(description="Calendar days counted for this country")
    nights: int
    first_day: date = Field(description="The first day counted here: the rates used are those valid on it")
    per_diem: Decimal = Field(description="In the rate's currency, for every traveller")
    accommodation: Decimal
    per_diem_in_budget_currency: Decimal
    accommodation_in_budget_currency: Decimal
    exchange_rate: Decimal = Field(description="1 unit of the rate's currency in the budget currency")
    daily_rate: DailyRateUsed


class LimitsOut(BaseModel):
    travellers: int
    days: int
    nights: int
    days_counted_from: Literal["legs", "first_destination"] = Field(
        description="`legs`: each day counts for the destination country last arrived in by a leg "
                    "(`arrives_country`); `first_destination`: no leg arrives in a destination, so every day "
                    "counts for the first")
    per_diem_in_budget_currency: Decimal
    accommodation_in_budget_currency: Decimal
    by_country: list[CountryLimitsOut]


class CategoryTotal(BaseModel):
    category: CostCategory
    expected: Decimal
    actual: Decimal
    difference: Decimal = Field(description="actual minus expected")


class BudgetOut(BaseModel):
    trip_id: str
    budget_currency: str
    limits: LimitsOut | None = Field(description="Null when the rates table has no rate for the destination")
    limits_problem: str | None
    over_limit: list[CostCategory] = Field(description="Categories whose expected cost exceeds the limit")
    categories: list[CategoryTotal]
    expected_total: Decimal
    actual_total: Decimal
    difference: Decimal = Field(description="actual minus expected")


class YearPath(BaseModel):
    year: int = Field(ge=1900, le=9999)


class YearQuery(QueryModel):
    model_config = ConfigDict(extra="forbid")
    department: Name | None = None


class CurrencyTotal(BaseModel):
    budget_currency: str
    trips: int
    expected_total: Decimal
    actual_total: Decimal
    difference: Decimal


class YearBudgetOut(BaseModel):
    year: int
    totals: list[CurrencyTotal] = Field(description="One line per budget currency; cancelled trips are left out")
