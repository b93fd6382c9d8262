"""The budget's use cases on an in-memory unit of work: the rates tables and a trip's costs."""

from datetime import date
from decimal import Decimal

import pytest

from services.trips.domain.budget import CostCategory, CostKind, CostsClosed, NoRate
from services.trips.operations.budget import add_cost, correct_rate, create_rate
from services.trips.tests.records import new_trip, office

EUR_BGN = {"base": "EUR", "quote": "BGN", "rate": Decimal("1.95583"), "valid_on": date(2027, 1, 1)}


def cost(kind=CostKind.EXPECTED, currency="BGN"):
    return {"kind": kind, "category": CostCategory.ACCOMMODATION, "amount": Decimal("870.00"), "currency": currency,
            "description": None}


def test_correcting_a_rate_records_each_fields_value_before_and_after_with_the_versions():
    uow = office()
    rate = create_rate(uow, "exchange-rate", EUR_BGN, {})
    correct_rate(uow, "exchange-rate", rate.id, {"rate": Decimal("1.96")}, frozenset({1}))
    assert uow.event_types() == ["chancery.trips.exchange-rate.created.v1", "chancery.trips.exchange-rate.updated.v1"]
    assert uow.audits[-1][3] == {"version": [1, 2], "rate": ["1.95583", "1.96"]}


def test_a_cost_is_converted_to_the_budget_currency_half_to_even_and_its_event_names_the_trips_country():
    uow = office()
    create_rate(uow, "exchange-rate", EUR_BGN, {})
    trip = new_trip(uow)
    row = add_cost(uow, trip.id, cost(), None, {})
    assert row.converted_amount == Decimal("444.82") and row.converted_on == trip.starts_on
    data = uow.events[-1][2]
    assert data["budget_currency"] == "EUR" and data["country"] == "BG" and data["converted_amount"] == "444.82"


def test_a_cost_in_a_currency_without_a_rate_is_refused_naming_the_currency():
    uow = office()
    trip = new_trip(uow)
    with pytest.raises(NoRate) as refused:
        add_cost(uow, trip.id, cost(currency="USD"), None, {})
    assert refused.value.field == "currency"


def test_an_actual_cost_before_approval_is_refused_with_the_trips_allowed_actions():
    uow = office()
    trip = new_trip(uow)
    with pytest.raises(CostsClosed) as refused:
        add_cost(uow, trip.id, cost(kind=CostKind.ACTUAL, currency="EUR"), None, {})
    assert refused.value.slug == "illegal-transition"
    assert refused.value.extensions["allowed_actions"] == ["submit", "cancel"]
