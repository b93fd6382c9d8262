"""The budget: the rates tables staff maintain, a trip's costs, its budget against the limits, a year's totals."""

from __future__ import annotations

from decimal import Decimal

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from services.trips.api.departments import readable_trips
from services.trips.api.programme import find_item
from services.trips.api.schemas import (
    BudgetOut,
    ChildPath,
    CostIn,
    CostOut,
    CostQuery,
    DailyRateIn,
    DailyRateOut,
    DailyRatePath,
    DailyRateQuery,
    DailyRateUpdate,
    ExchangeRateIn,
    ExchangeRateOut,
    ExchangeRatePath,
    ExchangeRateQuery,
    ExchangeRateUpdate,
    TripPath,
    YearBudgetOut,
    YearPath,
    YearQuery,
)
from services.trips.api.trips import BODY_PROBLEMS, READERS, TRAVEL, countries_of, find_trip, invalid
from services.trips.domain.budget import (
    Arrival,
    Cost,
    CostCategory,
    CostKind,
    CostsClosed,
    DailyRate,
    ExchangeRate,
    NoRate,
    check_cost_allowed,
    convert,
    limits_by_country,
    summary,
)
from services.trips.domain.trip import TripStatus, allowed_actions
from services.trips.store.models import CostLine, DailyRateRow, ExchangeRateRow, Leg, Trip
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work

budget_api = APIBlueprint("budget", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                          abp_responses=problem_responses(401, 403, 422),
                          abp_tags=[Tag(name="budget", description="Rates tables, costs and budgets of trips")])


def dump(model, row) -> dict:
    return model.model_validate(row).model_dump(mode="json")


def exchange_rates(session: Session) -> list[ExchangeRate]:
    return [ExchangeRate(r.base, r.quote, r.rate, r.valid_on) for r in session.scalars(select(ExchangeRateRow))]


def daily_rates(session: Session, countries: list[str]) -> list[DailyRate]:
    rows = session.scalars(select(DailyRateRow).where(DailyRateRow.country.in_(countries)))
    return [DailyRate(r.country, r.currency, r.per_diem, r.accommodation_per_night, r.valid_from, r.id, r.version)
            for r in rows]


def arrivals(session: Session, trip: Trip) -> list[Arrival]:
    legs = session.scalars(select(Leg).where(Leg.trip_id == trip.id, Leg.arrives_country.is_not(None)))
    return [Arrival(leg.arrives_country, leg.arrives_local.date()) for leg in legs]


# --- the daily rates table ---

@budget_api.get("/daily-rates", summary="List per diem and accommodation limits by country",
                responses={200: Page[DailyRateOut]})
@allow(*READERS)
def list_daily_rates(query: DailyRateQuery):
    statement = select(DailyRateRow)
    if query.country:
        statement = statement.where(DailyRateRow.country == query.country)
    statement = apply_sort(statement, query.sort, {"country": DailyRateRow.country,
                                                   "valid_from": DailyRateRow.valid_from},
                           [DailyRateRow.country, DailyRateRow.valid_from.desc()])
    with read_only() as session:
        return json_response(paginate(session, statement, query, lambda row: dump(DailyRateOut, row)))


@budget_api.post("/daily-rates", summary="Set a country's limits from a date",
                 responses={201: DailyRateOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_daily_rate(body: DailyRateIn):
    with unit_of_work() as uow:
        row = DailyRateRow(**body.model_dump(), version=1)
        uow.session.add(row)
        uow.session.flush()
        data = dump(DailyRateOut, row)
        uow.emit("chancery.trips.daily-rate.created.v1", row.id, data)
        uow.audit("daily-rate.created", "daily-rate", row.id, body.model_dump(mode="json"))
        return created(uow, data, f"/api/v1/daily-rates/{row.id}", row.version)


@budget_api.patch("/daily-rates/<rate_id>", summary="Correct a country's limits (send If-Match)",
                  responses={200: DailyRateOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_daily_rate(path: DailyRatePath, body: DailyRateUpdate):
    return correct_rate(DailyRateRow, DailyRateOut, "daily-rate", path.rate_id, body)


def correct_rate(model, out, record: str, rate_id: str, body):
    """A correction of a rates table's row: a new version, its event, and an audit record of each field's
    value before and after, so that a budget read under an earlier version stays explainable."""
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        row = uow.session.get(model, rate_id)
        if row is None:
            raise Problem(404, "Not found", f"No {record.replace('-', ' ')} {rate_id}", slug="not-found")
        require_fresh(row.version)
        before = dump(out, row)
        if changes:
            for name, value in changes.items():
                setattr(row, name, value)
            row.version += 1
            uow.session.flush()
            after = dump(out, row)
            uow.emit(f"chancery.trips.{record}.updated.v1", row.id, after)
            uow.audit(f"{record}.updated", record, row.id, {
                "version": [before["version"], after["version"]],
                **{name: [before[name], after[name]] for name in changes}})
        return json_response(dump(out, row), headers={"ETag": etag(row.version)})


# --- the exchange rates table ---

@budget_api.get("/exchange-rates", summary="List the exchange rates staff entered",
                responses={200: Page[ExchangeRateOut]})
@allow(*READERS)
def list_exchange_rates(query: ExchangeRateQuery):
    statement = select(ExchangeRateRow)
    for name in ("base", "quote"):
        if getattr(query, name):
            statement = statement.where(getattr(ExchangeRateRow, name) == getattr(query, name))
    statement = apply_sort(statement, query.sort, {"valid_on": ExchangeRateRow.valid_on,
                                                   "base": ExchangeRateRow.base},
                           [ExchangeRateRow.valid_on.desc(), ExchangeRateRow.base, ExchangeRateRow.quote])
    with read_only() as session:
        return json_response(paginate(session, statement, query, lambda row: dump(ExchangeRateOut, row)))


@budget_api.post("/exchange-rates", summary="Enter an exchange rate valid from a date (no outside service is asked)",
                 responses={201: ExchangeRateOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_exchange_rate(body: ExchangeRateIn):
    with unit_of_work() as uow:
        row = ExchangeRateRow(**body.model_dump(), version=1)
        uow.session.add(row)
        uow.session.flush()
        data = dump(ExchangeRateOut, row)
        uow.emit("chancery.trips.exchange-rate.created.v1", row.id, data)
        uow.audit("exchange-rate.created", "exchange-rate", row.id, body.model_dump(mode="json"))
        return created(uow, data, f"/api/v1/exchange-rates/{row.id}", row.version)


@budget_api.patch("/exchange-rates/<rate_id>",
                  summary="Correct an exchange rate (send If-Match); recorded costs keep the rate they used",
                  responses={200: ExchangeRateOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_exchange_rate(path: ExchangeRatePath, body: ExchangeRateUpdate):
    return correct_rate(ExchangeRateRow, ExchangeRateOut, "exchange-rate", path.rate_id, body)


# --- a trip's costs and budget ---

def cost_event(trip: Trip, body: dict) -> dict:
    return {**body, "budget_currency": trip.budget_currency, "partner_id": trip.partner_id,
            "country": countries_of(trip)[0]}


@budget_api.get("/trips/<trip_id>/costs", summary="List a trip's expected and actual costs",
                responses={200: Page[CostOut], **problem_responses(404)})
@allow(*READERS)
def list_costs(path: TripPath, query: CostQuery):
    statement = select(CostLine).where(CostLine.trip_id == path.trip_id)
    for name in ("kind", "category"):
        if getattr(query, name):
            statement = statement.where(getattr(CostLine, name) == getattr(query, name))
    statement = apply_sort(statement, query.sort, {"converted_on": CostLine.converted_on,
                                                   "category": CostLine.category},
                           [CostLine.kind.desc(), CostLine.category, CostLine.id])
    with read_only() as session:
        find_trip(session, path.trip_id)
        return json_response(paginate(session, statement, query, lambda row: dump(CostOut, row)))


@budget_api.post("/trips/<trip_id>/costs", summary="Record an expected cost (before approval) or an actual one (after)",
                 responses={201: CostOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_cost(path: TripPath, body: CostIn):
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        status = TripStatus(trip.status)
        try:
            check_cost_allowed(body.kind, status)
        except CostsClosed as error:
            raise Problem(409, "Not now", str(error), slug="illegal-transition",
                          allowed_actions=allowed_actions(status)) from error
        on = body.incurred_on or trip.starts_on
        try:
            conversion = convert(body.amount, body.currency, trip.budget_currency, on, exchange_rates(uow.session))
        except NoRate as error:
            raise invalid(error.field, str(error)) from error
        row = CostLine(trip_id=trip.id, **body.model_dump(exclude={"incurred_on"}), version=1,
                       converted_amount=conversion.amount, exchange_rate=conversion.rate, converted_on=on)
        uow.session.add(row)
        uow.session.flush()
        data = dump(CostOut, row)
        uow.emit("chancery.trips.cost.added.v1", row.id, cost_event(trip, data))
        uow.audit("cost.added", "cost", row.id, {"trip_id": trip.id, **body.model_dump(mode="json")})
        return created(uow, data, f"/api/v1/trips/{trip.id}/costs/{row.id}", row.version)


@budget_api.delete("/trips/<trip_id>/costs/<item_id>", summary="Remove a cost recorded in error (send If-Match)",
                   responses={200: CostOut, **problem_responses(404, 409, 412)})
@allow(*TRAVEL)
def delete_cost(path: ChildPath):
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        row = find_item(uow.session, CostLine, path)
        require_fresh(row.version)
        status = TripStatus(trip.status)
        try:
            check_cost_allowed(CostKind(row.kind), status)
        except CostsClosed as error:
            raise Problem(409, "Not now", str(error), slug="illegal-transition",
                          allowed_actions=allowed_actions(status)) from error
        data = dump(CostOut, row)
        uow.session.delete(row)
        uow.emit("chancery.trips.cost.removed.v1", row.id, cost_event(trip, data))
        uow.audit("cost.removed", "cost", row.id, {"trip_id": trip.id})
        return json_response(data)


def costs_of(session: Session, trip_ids: list[str]) -> list[Cost]:
    rows = session.scalars(select(CostLine).where(CostLine.trip_id.in_(trip_ids)))
    return [Cost(CostKind(r.kind), CostCategory(r.category), r.converted_amount) for r in rows]


def trip_limits(session: Session, trip: Trip) -> dict:
    """Per diem and accommodation per country for the days spent there, each converted to the budget
    currency at the rate valid on the first of those days."""
    countries, travellers = countries_of(trip), len(trip.travellers)
    found = arrivals(session, trip)
    by_country = limits_by_country(daily_rates(session, countries), trip.starts_on, trip.ends_on, countries, found,
                                   travellers)
    fx = exchange_rates(session)
    parts = []
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


@budget_api.get("/trips/<trip_id>/budget",
                summary="A trip's limits from the rates tables, expected and actual costs by category, the difference",
                responses={200: BudgetOut, **problem_responses(404)})
@allow(*READERS)
def get_budget(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id)
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
        body = BudgetOut(trip_id=trip.id, budget_currency=trip.budget_currency, limits=allowed,
                         limits_problem=problem, over_limit=over, **totals)
        return json_response(body.model_dump(mode="json"))


@budget_api.get("/budget/years/<year>", summary="Totals of the trips starting in a year, per budget currency",
                responses={200: YearBudgetOut})
@allow(*READERS)
def get_year_budget(path: YearPath, query: YearQuery):
    statement = select(Trip.id, Trip.budget_currency).where(
        extract("year", Trip.starts_on) == path.year, Trip.status != TripStatus.CANCELLED.value, readable_trips())
    if query.department:
        statement = statement.where(Trip.department == query.department)
    with read_only() as session:
        by_currency: dict[str, list[str]] = {}
        for trip_id, currency in session.execute(statement):
            by_currency.setdefault(currency, []).append(trip_id)
        totals = []
        for currency, trip_ids in sorted(by_currency.items()):
            result = summary(costs_of(session, trip_ids))
            totals.append({"budget_currency": currency, "trips": len(trip_ids),
                           **{name: result[name] for name in ("expected_total", "actual_total", "difference")}})
        return json_response(YearBudgetOut(year=path.year, totals=totals).model_dump(mode="json"))
