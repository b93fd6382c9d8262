"""The budget: the rates tables staff maintain, a trip's costs, its budget against the limits, a year's totals."""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import BaseModel

from services.trips.api import budget_schemas as schemas
from services.trips.api.common import READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.trip_schemas import ChildPath, TripPath
from services.trips.operations.budget import add_cost, correct_rate, create_rate, remove_cost, trip_budget, year_budget
from services.trips.operations.trips import find_trip
from services.trips.store.models import CostLine, DailyRateRow, ExchangeRateRow
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import if_match
from shared.http.resources import json_response
from shared.http.views import Resource, blueprint
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

budget_api = blueprint("budget", __name__, "Rates tables, costs and budgets of trips")


def dump(model, row) -> dict:
    return model.model_validate(row).model_dump(mode="json")


# --- the rates tables ---

def new_rate(record: str, uow: UnitOfWork, ids: tuple[str, ...], body: BaseModel) -> Any:
    return create_rate(uow, record, body.model_dump(), body.model_dump(mode="json"))


def corrected_rate(record: str, uow: UnitOfWork, ids: tuple[str, ...], body: BaseModel) -> Any:
    return correct_rate(uow, record, *ids, body.model_dump(exclude_unset=True), if_match())


DAILY_RATES = Resource(budget_api, "/daily-rates", "rate_id", DailyRateRow, schemas.DailyRateOut, READERS, TRAVEL)
DAILY_RATES.listing("list_daily_rates", "List per diem and accommodation limits by country", schemas.DailyRateQuery,
                    filters=("country",), sortable=("country", "valid_from"), order=("country", "-valid_from"))
DAILY_RATES.create("create_daily_rate", "Set a country's limits from a date", schemas.DailyRateIn,
                   partial(new_rate, "daily-rate"), problems=(409,))
DAILY_RATES.change("update_daily_rate", "Correct a country's limits (send If-Match)", schemas.DailyRatePath,
                   schemas.DailyRateUpdate, partial(corrected_rate, "daily-rate"))

EXCHANGE_RATES = Resource(budget_api, "/exchange-rates", "rate_id", ExchangeRateRow, schemas.ExchangeRateOut, READERS,
                          TRAVEL)
EXCHANGE_RATES.listing("list_exchange_rates", "List the exchange rates staff entered", schemas.ExchangeRateQuery,
                       filters=("base", "quote"), sortable=("valid_on", "base"), order=("-valid_on", "base", "quote"))
EXCHANGE_RATES.create("create_exchange_rate", "Enter an exchange rate valid from a date (no outside service is asked)",
                      schemas.ExchangeRateIn, partial(new_rate, "exchange-rate"), problems=(409,))
EXCHANGE_RATES.change("update_exchange_rate",
                      "Correct an exchange rate (send If-Match); recorded costs keep the rate they used",
                      schemas.ExchangeRatePath, schemas.ExchangeRateUpdate, partial(corrected_rate, "exchange-rate"))


# --- a trip's costs and budget ---

COSTS = Resource(budget_api, "/trips/<trip_id>/costs", "item_id", CostLine, schemas.CostOut, READERS, TRAVEL)
COSTS.listing("list_costs", "List a trip's expected and actual costs", schemas.CostQuery, path=TripPath,
              parent=lambda session, trip_id: find_trip(session, trip_id, caller_scope()),
              filters=("kind", "category"), sortable=("converted_on", "category"), order=("-kind", "category"))
COSTS.create("create_cost", "Record an expected cost (before approval) or an actual one (after)", schemas.CostIn,
             lambda uow, ids, body: add_cost(uow, *ids, body.model_dump(exclude={"incurred_on"}), body.incurred_on,
                                             body.model_dump(mode="json")), path=TripPath, problems=(404, 409))


@budget_api.delete("/trips/<trip_id>/costs/<item_id>", summary="Remove a cost recorded in error (send If-Match)",
                   responses={200: schemas.CostOut, **problem_responses(404, 409, 412)})
@allow(*TRAVEL)
def delete_cost(path: ChildPath):
    with unit_of_work() as uow:
        return json_response(dump(schemas.CostOut, remove_cost(uow, path.trip_id, path.item_id, if_match())))


@budget_api.get("/trips/<trip_id>/budget",
                summary="A trip's limits from the rates tables, expected and actual costs by category, the difference",
                responses={200: schemas.BudgetOut, **problem_responses(404)})
@allow(*READERS)
def get_budget(path: TripPath):
    with read_only() as session:
        trip = find_trip(session, path.trip_id, caller_scope())
        return json_response(schemas.BudgetOut(**trip_budget(session, trip)).model_dump(mode="json"))


@budget_api.get("/budget/years/<year>", summary="Totals of the trips starting in a year, per budget currency",
                responses={200: schemas.YearBudgetOut})
@allow(*READERS)
def get_year_budget(path: schemas.YearPath, query: schemas.YearQuery):
    with read_only() as session:
        totals = year_budget(session, path.year, query.department, caller_scope())
        return json_response(schemas.YearBudgetOut(year=path.year, totals=totals).model_dump(mode="json"))
