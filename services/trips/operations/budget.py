"""The budget: the rates tables staff maintain, a trip's costs, its budget against the limits, a year's totals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from services.trips.domain.budget import (
    Arrival,
    Cost,
    CostCategory,
    CostKind,
    DailyRate,
    ExchangeRate,
    NoRate,
    check_cost_allowed,
    convert,
    limits_by_country,
    summary,
)
from services.trips.domain.trip import TripStatus, countries_of
from services.trips.events import contents
from services.trips.operations.trips import find_trip
from services.trips.store.departments import readable_trips
from services.trips.store.models import CostLine, DailyRateRow, ExchangeRateRow, Leg, Trip
from shared.db import find, viewer_of, visible_to
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork

Rate = DailyRateRow | ExchangeRateRow
RATES: dict[str, tuple[type[Rate], Callable[[Any], dict[str, Any]]]] = {
    "daily-rate": (DailyRateRow, contents.daily_rate), "exchange-rate": (ExchangeRateRow, contents.exchange_rate)}


# --- the rates tables ---

def create_rate(uow: UnitOfWork, record: str, fields: dict[str, Any], changes: dict[str, Any]) -> Any:
    """A row of the daily rates (`daily-rate`) or the exchange rates (`exchange-rate`) table."""
    model, contents_of = RATES[record]
    row = model(**fields, version=1)
    uow.session.add(row)
    uow.record_change(record, "created", row, contents_of, changes)
    return row


def correct_rate(uow: UnitOfWork, record: str, rate_id: str, fields: dict[str, Any],
                 expected_version: frozenset[int] | None) -> Any:
    """A correction of a rates table's row: a new version, its event, and an audit record of each field's
    value before and after, so that a budget read under an earlier version stays explainable."""
    model, contents_of = RATES[record]
    row = find(uow.session, model, rate_id, record.replace("-", " "))
    require_version(row.version, expected_version)
    if fields:
        before = contents_of(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.version += 1
        after = contents_of(row)
        uow.record_change(record, "updated", row, contents_of, {
            "version": [before["version"], after["version"]],
            **{name: [before[name], after[name]] for name in fields}})
    return row


def exchange_rates(session: Session) -> list[ExchangeRate]:
    return [ExchangeRate(r.base, r.quote, r.rate, r.valid_on) for r in session.scalars(select(ExchangeRateRow))]


def daily_rates(session: Session, countries: list[str]) -> list[DailyRate]:
    rows = session.scalars(select(DailyRateRow).where(DailyRateRow.country.in_(countries)))
    return [DailyRate(r.country, r.currency, r.per_diem, r.accommodation_per_night, r.valid_from, r.id, r.version)
            for r in rows]


# --- a trip's costs ---

def add_cost(uow: UnitOfWork, trip_id: str, fields: dict[str, Any], incurred_on: date | None,
             changes: dict[str, Any]) -> CostLine:
    """An expected cost (before approval) or an actual one (after), converted to the trip's budget currency at
    the rate of the day it was incurred on (the trip's start if not given)."""
    trip = find_trip(uow.session, trip_id)
    check_cost_allowed(fields["kind"], TripStatus(trip.status))
    on = incurred_on or trip.starts_on
    conversion = convert(fields["amount"], fields["currency"], trip.budget_currency, on, exchange_rates(uow.session))
    row = CostLine(trip_id=trip.id, **fields, version=1, converted_amount=conversion.amount,
                   exchange_rate=conversion.rate, converted_on=on)
    uow.session.add(row)
    uow.record_change("cost", "added", row, partial(contents.cost, of=trip), {"trip_id": trip.id, **changes},
                      part_of=trip)
    return row


def remove_cost(uow: UnitOfWork, trip_id: str, cost_id: str, expected_version: frozenset[int] | None) -> CostLine:
    trip = find_trip(uow.session, trip_id)
    row = find(uow.session, CostLine, cost_id, "cost", trip_id=trip_id)
    require_version(row.version, expected_version)
    check_cost_allowed(CostKind(row.kind), TripStatus(trip.status))
    uow.session.delete(row)
    uow.record_change("cost", "removed", row, partial(contents.cost, of=trip), {"trip_id": trip.id}, part_of=trip)
    return row


def costs_of(session: Session, trip_ids: list[str]) -> list[Cost]:
    rows = session.scalars(select(CostLine).where(CostLine.trip_id.in_(trip_ids)))
    return [Cost(CostKind(r.kind), CostCategory(r.category), r.converted_amount) for r in rows]


# --- budgets ---

def arrivals(session: Session, trip: Trip) -> list[Arrival]:
    legs = session.scalars(select(Leg).where(Leg.trip_id == trip.id, Leg.arrives_country.is_not(None)))
    return [Arrival(leg.arrives_country, leg.arrives_local.date()) for leg in legs if leg.arrives_country]


def trip_limits(session: Session, trip: Trip) -> dict[str, Any]:
    """Per diem and accommodation per country for the days spent there, each converted to the budget
    currency at the rate valid on the first of those days."""
    countries, travellers = countries_of(trip), len(trip.travellers)
    found = arrivals(session, trip)
    by_country = limits_by_country(daily_rates(session, countries), trip.starts_on, trip.ends_on, countries, found,
                                   travellers)
    fx = exchange_rates(session)
    parts: list[dict[str, Any]] = []
    for allowed in by_country:
        per_diem = convert(allowed.per_diem, allowed.rate.currency, trip.budget_currency, allowed.first_day, fx)
        accommodation = convert(allowed.accommodation, allowed.rate.currency, trip.budget_currency,
                                allowed.first_day, fx)
        parts.append({
            "country": allowed.country, "currency": allowed.rate.currency, "days": allowed.days,
            "nights": allowed.nights, "first_day": allowed.first_day, "per_diem": allowed.per_diem,
            "accommodation": allowed.accommodation, "per_diem_in_budget_currency": per_diem.amount,
            "accommodation_in_budget_currency": accommodation.amount, "exchange_rate": per_diem.rate,
            "daily_rate": {"id": allowed.rate.id, "version": allowed.rate.version,
                           "valid_from": allowed.rate.valid_from, "per_diem": allowed.rate.per_diem,
                           "accommodation_per_night": allowed.rate.accommodation_per_night}})
    return {"travellers": travellers, "days": sum(part["days"] for part in parts),
            "nights": sum(part["nights"] for part in parts),
            "days_counted_from": "legs" if any(a.country in countries for a in found) else "first_destination",
            "per_diem_in_budget_currency": sum((part["per_diem_in_budget_currency"] for part in parts), Decimal(0)),
            "accommodation_in_budget_currency": sum((part["accommodation_in_budget_currency"] for part in parts),
                                                    Decimal(0)),
            "by_country": parts}


def trip_budget(session: Session, trip: Trip) -> dict[str, Any]:
    """The trip's limits from the rates tables (or why there are none), its costs by category and the
    categories whose expected cost is over the limit."""
    totals = summary(costs_of(session, [trip.id]))
    try:
        allowed, problem = trip_limits(session, trip), None
    except NoRate as error:
        allowed, problem = None, str(error)
    expected = {line["category"]: line["expected"] for line in totals["categories"]}
    over = [] if allowed is None else [
        category for category, limit in ((CostCategory.PER_DIEM, allowed["per_diem_in_budget_currency"]),
                                         (CostCategory.ACCOMMODATION, allowed["accommodation_in_budget_currency"]))
        if expected.get(category, 0) > limit]
    return {"trip_id": trip.id, "budget_currency": trip.budget_currency, "limits": allowed,
            "limits_problem": problem, "over_limit": over, **totals}


def year_budget(session: Session, year: int, department: str | None, scope: str | None) -> list[dict[str, Any]]:
    """Totals of the trips a reader of `scope` sees starting in `year` (cancelled ones and withheld ones they
    may not know of left out), one line per budget currency."""
    statement = select(Trip.id, Trip.budget_currency).where(
        extract("year", Trip.starts_on) == year, Trip.status != TripStatus.CANCELLED.value, readable_trips(scope),
        visible_to(Trip, viewer_of(session)))
    if department:
        statement = statement.where(Trip.department == department)
    by_currency: dict[str, list[str]] = {}
    for trip_id, currency in session.execute(statement):
        by_currency.setdefault(currency, []).append(trip_id)
    totals = []
    for currency, trip_ids in sorted(by_currency.items()):
        result = summary(costs_of(session, trip_ids))
        totals.append({"budget_currency": currency, "trips": len(trip_ids),
                       **{name: result[name] for name in ("expected_total", "actual_total", "difference")}})
    return totals
