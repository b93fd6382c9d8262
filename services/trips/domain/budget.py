"""A trip's budget: limits from the country's daily rates, expected and actual costs, conversion, totals.

Money is Decimal end to end; amounts round to cents half-to-even only after conversion (docs/decisions/0021).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from services.trips.domain.trip import TRIP_LIFECYCLE, TripStatus
from shared.kit.money import to_cents
from shared.kit.refusals import Conflict, Invalid

DEFAULT_BUDGET_CURRENCY = "EUR"


class CostCategory(StrEnum):
    PER_DIEM = "per_diem"
    ACCOMMODATION = "accommodation"
    TRANSPORT = "transport"
    VISA = "visa"
    INSURANCE = "insurance"
    REGISTRATION = "registration"
    HOSPITALITY = "hospitality"
    OTHER = "other"


class CostKind(StrEnum):
    EXPECTED = "expected"
    ACTUAL = "actual"


# Expected costs are planned while the request can change; actual costs are booked once it is approved
# (the trip takes place) and after it is closed.
COST_STATES = {CostKind.EXPECTED: (TripStatus.DRAFT, TripStatus.RETURNED),
               CostKind.ACTUAL: (TripStatus.APPROVED, TripStatus.CLOSED)}


class NoRate(Invalid):
    """`field` names the input the missing rate concerns."""


class CostsClosed(Conflict):
    def __init__(self, kind: CostKind, status: TripStatus):
        allowed = " or ".join(state.value for state in COST_STATES[kind])
        super().__init__(f"{kind.value} costs are recorded while a trip is {allowed}, not {status.value}",
                         slug="illegal-transition",
                         allowed_actions=TRIP_LIFECYCLE.allowed_actions(status))


@dataclass(frozen=True)
class ExchangeRate:
    """One unit of `base` is worth `rate` units of `quote`, from `valid_on`."""

    base: str
    quote: str
    rate: Decimal
    valid_on: date


@dataclass(frozen=True)
class DailyRate:
    country: str
    currency: str
    per_diem: Decimal
    accommodation_per_night: Decimal
    valid_from: date
    id: str = ""  # the row of the rates table, and its version: which rate a budget used stays explainable
    version: int = 1


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    rate: Decimal


def check_cost_allowed(kind: CostKind, status: TripStatus) -> None:
    if status not in COST_STATES[kind]:
        raise CostsClosed(kind, status)


def convert(amount: Decimal, currency: str, target: str, on: date, rates: Iterable[ExchangeRate],
            field: str = "currency") -> Conversion:
    """`amount` in `target` at the latest rate valid on `on`, either way round; same currency is rate 1."""
    if currency == target:
        return Conversion(to_cents(amount), Decimal(1))
    direct = _latest(rates, currency, target, on)
    if direct is not None:
        return Conversion(to_cents(amount * direct.rate), direct.rate)
    inverse = _latest(rates, target, currency, on)
    if inverse is not None:
        rate = Decimal(1) / inverse.rate
        return Conversion(to_cents(amount / inverse.rate), rate)
    raise NoRate(field, f"no exchange rate between {currency} and {target} valid on {on.isoformat()}")


def _latest(rates: Iterable[ExchangeRate], base: str, quote: str, on: date) -> ExchangeRate | None:
    candidates = [r for r in rates if r.base == base and r.quote == quote and r.valid_on <= on]
    return max(candidates, key=lambda r: r.valid_on, default=None)


def daily_rate_for(rates: Iterable[DailyRate], country: str, on: date) -> DailyRate:
    candidates = [r for r in rates if r.country == country and r.valid_from <= on]
    latest = max(candidates, key=lambda r: r.valid_from, default=None)
    if latest is None:
        raise NoRate("country", f"no daily rates for {country} valid on {on.isoformat()}")
    return latest


@dataclass(frozen=True)
class Limits:
    """What the rates table allows a trip in one country, in the rate's currency."""

    country: str
    rate: DailyRate
    first_day: date
    days: int
    nights: int
    per_diem: Decimal
    accommodation: Decimal


@dataclass(frozen=True)
class Arrival:
    """A leg's arrival in a country, on the local calendar day there."""

    country: str
    on: date


def days_by_country(starts_on: date, ends_on: date, destinations: list[str],
                    arrivals: Iterable[Arrival]) -> dict[str, list[date]]:
    """Which country each calendar day of the trip counts for: the country of the latest arrival on or
    before that day (a day of travel between two countries counts for the one arrived in); the days before
    the first arrival (leaving home) count for the first country arrived in. Only arrivals in the trip's
    destination countries count (the flight home arrives elsewhere, so the last day counts for the country
    left). Without such arrivals every day counts for the first destination."""
    counted = sorted((a for a in arrivals if a.country in destinations), key=lambda a: a.on)

    def country_on(day: date) -> str:
        if not counted:
            return destinations[0]
        reached = [arrival for arrival in counted if arrival.on <= day]
        return (reached[-1] if reached else counted[0]).country

    days: dict[str, list[date]] = {}
    for offset in range((ends_on - starts_on).days + 1):
        day = starts_on + timedelta(days=offset)
        days.setdefault(country_on(day), []).append(day)
    return days


def limits(rate: DailyRate, days: list[date], last_day: date, travellers: int) -> Limits:
    """Per diem for every calendar day in the country, accommodation for every night after one of those
    days (none after the trip's last day), for each traveller."""
    nights = sum(1 for day in days if day < last_day)
    return Limits(rate.country, rate, days[0], len(days), nights, rate.per_diem * len(days) * travellers,
                  rate.accommodation_per_night * nights * travellers)


def limits_by_country(rates: Iterable[DailyRate], starts_on: date, ends_on: date, destinations: list[str],
                      arrivals: Iterable[Arrival], travellers: int) -> list[Limits]:
    """Each country's limits at its latest rate valid on the first day spent there."""
    rates = list(rates)
    return [limits(daily_rate_for(rates, country, days[0]), days, ends_on, travellers)
            for country, days in days_by_country(starts_on, ends_on, destinations, arrivals).items()]


@dataclass(frozen=True)
class Cost:
    kind: CostKind
    category: CostCategory
    converted: Decimal  # in the trip's budget currency


def totals_by_category(costs: Iterable[Cost], kind: CostKind) -> dict[CostCategory, Decimal]:
    totals: dict[CostCategory, Decimal] = {}
    for cost in costs:
        if cost.kind == kind:
            totals[cost.category] = totals.get(cost.category, Decimal("0.00")) + cost.converted
    return totals


def summary(costs: list[Cost]) -> dict:
    """Expected and actual totals by category and overall, and actual minus expected."""
    expected = totals_by_category(costs, CostKind.EXPECTED)
    actual = totals_by_category(costs, CostKind.ACTUAL)
    zero = Decimal("0.00")
    categories = [c for c in CostCategory if c in expected or c in actual]
    return {
        "categories": [{"category": c, "expected": expected.get(c, zero), "actual": actual.get(c, zero),
                        "difference": actual.get(c, zero) - expected.get(c, zero)} for c in categories],
        "expected_total": sum(expected.values(), zero),
        "actual_total": sum(actual.values(), zero),
        "difference": sum(actual.values(), zero) - sum(expected.values(), zero),
    }
