"""The budget: the rates tables staff maintain, a trip's costs, its budget against the limits, a year's totals."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel
from sqlalchemy import select

from services.trips.api.budget_schemas import (
    BudgetOut,
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
    YearBudgetOut,
    YearPath,
    YearQuery,
)
from services.trips.api.common import READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.trip_schemas import ChildPath, TripPath
from services.trips.operations.budget import add_cost, correct_rate, create_rate, remove_cost, trip_budget, year_budget
from services.trips.operations.trips import find_trip
from services.trips.store.models import CostLine, DailyRateRow, ExchangeRateRow
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

budget_api = APIBlueprint("budget", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                          abp_responses=problem_responses(401, 403, 422),
                          abp_tags=[Tag(name="budget", description="Rates tables, costs and budgets of trips")])


def dump(model, row) -> dict:
    return model.model_validate(row).model_dump(mode="json")


def new_rate(record: str, out: type[BaseModel], body: BaseModel, collection: str) -> Response:
    with unit_of_work() as uow:
        row = create_rate(uow, record, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, dump(out, row), f"/api/v1/{collection}/{row.id}", row.version)


def corrected_rate(record: str, out: type[BaseModel], rate_id: str, body: BaseModel) -> Response:
    with unit_of_work() as uow:
        row = correct_rate(uow, record, rate_id, body.model_dump(exclude_unset=True), if_match())
        return record_response(dump(out, row), row.version)


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
    return new_rate("daily-rate", DailyRateOut, body, "daily-rates")


@budget_api.patch("/daily-rates/<rate_id>", summary="Correct a country's limits (send If-Match)",
                  responses={200: DailyRateOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_daily_rate(path: DailyRatePath, body: DailyRateUpdate):
    return corrected_rate("daily-rate", DailyRateOut, path.rate_id, body)


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
    return new_rate("exchange-rate", ExchangeRateOut, body, "exchange-rates")


@budget_api.patch("/exchange-rates/<rate_id>",
                  summary="Correct an exchange rate (send If-Match); recorded costs keep the rate they used",
                  responses={200: ExchangeRateOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_exchange_rate(path: ExchangeRatePath, body: ExchangeRateUpdate):
    return corrected_rate("exchange-rate", ExchangeRateOut, path.rate_id, body)


# --- a trip's costs and budget ---

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
        find_trip(session, path.trip_id, caller_scope())
        return json_response(paginate(session, statement, query, lambda row: dump(CostOut, row)))


@budget_api.post("/trips/<trip_id>/costs", summary="Record an expected cost (before approval) or an actual one (after)",
                 responses={201: CostOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_cost(path: TripPath, body: CostIn):
    with unit_of_work() as uow:
        row = add_cost(uow, path.trip_id, body.model_dump(exclude={"incurred_on"}), body.incurred_on,
                       body.model_dump(mode="json"))
        return created(uow, dump(CostOut, row), f"/api/v1/trips/{row.trip_id}/costs/{row.id}", row.version)


@budget_api.delete("/trips/<trip_id>/costs/<item_id>", summary="Remove a cost recorded in error (send If-Match)",
                   responses={200: CostOut, **problem_responses(404, 409, 412)})
@allow(*TRAVEL)
def delete_cost(path: ChildPath):
    with unit_of_work() as uow:
        return json_response(dump(CostOut, remove_cost(uow, path.trip_id, path.item_id, if_match())))


@budget_api.get("/trips/<trip_id>/budget",
                summary="A trip's limits from the rates tables, expected and actual costs by category, the difference",
                responses={200: BudgetOut, **problem_responses(404)})
@allow(*READERS)
def get_budget(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        return json_response(BudgetOut(**trip_budget(session, trip)).model_dump(mode="json"))


@budget_api.get("/budget/years/<year>", summary="Totals of the trips starting in a year, per budget currency",
                responses={200: YearBudgetOut})
@allow(*READERS)
def get_year_budget(path: YearPath, query: YearQuery):
    with read_only() as session:
        totals = year_budget(session, path.year, query.department, caller_scope())
        return json_response(YearBudgetOut(year=path.year, totals=totals).model_dump(mode="json"))
