"""Budget arithmetic with exact decimals and staff-entered rates; the budget and year totals through the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.trips.domain.budget import (
    Arrival,
    Cost,
    CostCategory,
    CostKind,
    DailyRate,
    ExchangeRate,
    NoRate,
    convert,
    daily_rate_for,
    days_by_country,
    limits,
    limits_by_country,
    summary,
)
from services.trips.tests.support import MAYOR, STAFF, act, assert_problem, create, put_papers

EUR_BGN = ExchangeRate("EUR", "BGN", Decimal("1.95583"), date(2027, 1, 1))


def test_conversion_uses_the_rate_either_way_round_and_rounds_to_cents_half_even():
    assert convert(Decimal("100.00"), "EUR", "BGN", date(2027, 5, 20), [EUR_BGN]).amount == Decimal("195.58")
    back = convert(Decimal("195.58"), "BGN", "EUR", date(2027, 5, 20), [EUR_BGN])
    assert back.amount == Decimal("100.00")
    assert convert(Decimal("0.125"), "EUR", "EUR", date(2027, 5, 20), []).amount == Decimal("0.12")


def test_conversion_takes_the_latest_rate_valid_on_the_day_and_never_a_later_one():
    rates = [ExchangeRate("EUR", "RSD", Decimal("117.0"), date(2027, 1, 1)),
             ExchangeRate("EUR", "RSD", Decimal("117.5"), date(2027, 5, 1)),
             ExchangeRate("EUR", "RSD", Decimal("118.0"), date(2027, 6, 1))]
    assert convert(Decimal("10"), "EUR", "RSD", date(2027, 5, 20), rates).amount == Decimal("1175.00")
    with pytest.raises(NoRate):
        convert(Decimal("10"), "EUR", "RSD", date(2026, 12, 31), rates)


def test_a_currency_pair_without_a_rate_is_refused_not_guessed():
    with pytest.raises(NoRate) as error:
        convert(Decimal("10"), "USD", "BGN", date(2027, 5, 20), [EUR_BGN], field="currency")
    assert error.value.field == "currency"


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_converting_never_goes_through_a_float_and_always_gives_whole_cents(amount):
    converted = convert(amount, "EUR", "BGN", date(2027, 5, 20), [EUR_BGN]).amount
    assert isinstance(converted, Decimal)
    assert converted == (amount * Decimal("1.95583")).quantize(Decimal("0.01"))
    assert converted.as_tuple().exponent == -2


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_limits_give_per_diem_for_each_day_and_accommodation_for_each_night_per_traveller():
    rate = DailyRate("BG", "EUR", Decimal("60.00"), Decimal("150.00"), date(2027, 1, 1))
    allowed = limits(rate, days(date(2027, 5, 20), date(2027, 5, 23)), date(2027, 5, 23), travellers=2)
    assert (allowed.days, allowed.nights) == (4, 3)
    assert allowed.per_diem == Decimal("480.00")
    assert allowed.accommodation == Decimal("900.00")


def test_each_day_counts_for_the_country_last_arrived_in_and_the_flight_home_for_the_country_left():
    arrivals = [Arrival("BG", date(2027, 5, 21)), Arrival("RS", date(2027, 5, 23)), Arrival("RU", date(2027, 5, 26))]
    counted = days_by_country(date(2027, 5, 20), date(2027, 5, 26), ["BG", "RS"], arrivals)
    assert counted == {"BG": days(date(2027, 5, 20), date(2027, 5, 22)), "RS": days(date(2027, 5, 23),
                                                                                    date(2027, 5, 26))}


def test_without_legs_into_a_destination_every_day_counts_for_the_first_destination():
    assert days_by_country(date(2027, 5, 20), date(2027, 5, 22), ["RS", "BG"], [Arrival("RU", date(2027, 5, 22))]) \
        == {"RS": days(date(2027, 5, 20), date(2027, 5, 22))}


def test_a_two_country_trip_gets_each_countrys_rate_for_its_own_days_and_nights_exactly():
    rates = [DailyRate("BG", "EUR", Decimal("60.00"), Decimal("150.00"), date(2027, 1, 1)),
             DailyRate("RS", "RSD", Decimal("7050.50"), Decimal("12025.25"), date(2027, 1, 1)),
             DailyRate("RS", "RSD", Decimal("1.00"), Decimal("1.00"), date(2027, 5, 24))]  # from after arrival
    arrivals = [Arrival("BG", date(2027, 5, 20)), Arrival("RS", date(2027, 5, 23))]
    bg, rs = limits_by_country(rates, date(2027, 5, 20), date(2027, 5, 26), ["BG", "RS"], arrivals, travellers=2)
    assert (bg.country, bg.days, bg.nights, bg.per_diem, bg.accommodation) == (
        "BG", 3, 3, Decimal("360.00"), Decimal("900.00"))
    assert (rs.country, rs.days, rs.nights, rs.first_day) == ("RS", 4, 3, date(2027, 5, 23))
    assert (rs.per_diem, rs.accommodation) == (Decimal("56404.00"), Decimal("72151.50"))


@given(st.lists(st.tuples(st.sampled_from(["BG", "RS", "RU"]), st.integers(-2, 12)), max_size=6),
       st.integers(0, 10))
def test_every_day_of_the_trip_counts_once_and_every_night_but_the_last(arrivals, length):
    starts_on = date(2027, 5, 20)
    ends_on = starts_on + timedelta(days=length)
    found = [Arrival(country, starts_on + timedelta(days=offset)) for country, offset in arrivals]
    rates = [DailyRate(c, "EUR", Decimal("1.10"), Decimal("2.20"), date(2027, 1, 1)) for c in ("BG", "RS")]
    parts = limits_by_country(rates, starts_on, ends_on, ["BG", "RS"], found, travellers=1)
    assert sum(part.days for part in parts) == length + 1
    assert sum(part.nights for part in parts) == length
    assert sum(part.per_diem for part in parts) == Decimal("1.10") * (length + 1)


def test_the_daily_rate_is_the_latest_valid_on_the_start_date():
    rates = [DailyRate("BG", "EUR", Decimal("55"), Decimal("140"), date(2026, 1, 1)),
             DailyRate("BG", "EUR", Decimal("60"), Decimal("150"), date(2027, 1, 1))]
    assert daily_rate_for(rates, "BG", date(2027, 5, 20)).per_diem == Decimal("60")
    assert daily_rate_for(rates, "BG", date(2026, 5, 20)).per_diem == Decimal("55")
    with pytest.raises(NoRate):
        daily_rate_for(rates, "RS", date(2027, 5, 20))


def test_the_summary_subtracts_expected_from_actual_per_category_and_overall():
    costs = [Cost(CostKind.EXPECTED, CostCategory.ACCOMMODATION, Decimal("900.00")),
             Cost(CostKind.EXPECTED, CostCategory.TRANSPORT, Decimal("410.10")),
             Cost(CostKind.ACTUAL, CostCategory.ACCOMMODATION, Decimal("870.35")),
             Cost(CostKind.ACTUAL, CostCategory.TRANSPORT, Decimal("0.10")),
             Cost(CostKind.ACTUAL, CostCategory.TRANSPORT, Decimal("0.20"))]
    result = summary(costs)
    assert result["expected_total"] == Decimal("1310.10")
    assert result["actual_total"] == Decimal("870.65")
    assert result["difference"] == Decimal("-439.45")
    transport = next(line for line in result["categories"] if line["category"] == CostCategory.TRANSPORT)
    assert transport["actual"] == Decimal("0.30")  # 0.1 + 0.2 in floats would not be


# --- through the API ---

def setup_rates(trips):
    for body, path in (({"country": "BG", "currency": "EUR", "per_diem": "60.00",
                         "accommodation_per_night": "150.00", "valid_from": "2027-01-01"}, "/api/v1/daily-rates"),
                       ({"base": "EUR", "quote": "BGN", "rate": "1.95583", "valid_on": "2027-01-01"},
                        "/api/v1/exchange-rates")):
        response = trips.call("POST", path, body, roles="travel")
        assert response.status_code == 201, response.json


def add_cost(trips, trip_id, **body):
    return trips.call("POST", f"/api/v1/trips/{trip_id}/costs", {"category": "accommodation", **body},
                      roles="travel")


def test_a_trips_budget_shows_its_limits_expected_and_actual_costs_and_the_difference(trips):
    setup_rates(trips)
    trip = create(trips, travellers=[STAFF, MAYOR])
    put_papers(trips, trip)
    cost = add_cost(trips, trip["id"], kind="expected", amount="2000.00", currency="BGN")
    assert cost.status_code == 201, cost.json
    assert cost.json["converted_amount"] == "1022.58"
    assert add_cost(trips, trip["id"], kind="expected", category="per_diem", amount="480.00",
                    currency="EUR").status_code == 201
    assert_problem(add_cost(trips, trip["id"], kind="actual", amount="1.00", currency="EUR"), 409)
    for action, role in (("submit", "travel"), ("approve", "department-head"), ("approve", "mayor-office")):
        assert act(trips, trip["id"], action, roles=role).status_code == 200
    assert add_cost(trips, trip["id"], kind="actual", amount="1760.00", currency="BGN").status_code == 201
    assert_problem(add_cost(trips, trip["id"], kind="expected", amount="1.00", currency="EUR"), 409)

    budget = trips.call("GET", f"/api/v1/trips/{trip['id']}/budget", roles="mayor-office").json
    [bulgaria] = budget["limits"]["by_country"]
    assert (bulgaria["per_diem"], bulgaria["accommodation"], bulgaria["days"]) == ("480.00", "900.00", 4)
    assert budget["limits"]["days_counted_from"] == "first_destination"
    assert budget["over_limit"] == ["accommodation"]
    assert budget["expected_total"] == "1502.58"
    assert budget["actual_total"] == "899.87"
    assert budget["difference"] == "-602.71"
    accommodation = next(line for line in budget["categories"] if line["category"] == "accommodation")
    assert (accommodation["expected"], accommodation["actual"], accommodation["difference"]) == (
        "1022.58", "899.87", "-122.71")


def test_a_cost_in_a_currency_without_a_rate_is_refused_naming_currency_and_nothing_is_written(trips):
    trip = create(trips)
    assert_problem(add_cost(trips, trip["id"], kind="expected", amount="10.00", currency="USD"), 422,
                   field="currency")
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}/costs", roles="travel").json["total"] == 0


@pytest.mark.parametrize("amount", ["-1.00", "1.001", "abc"])
def test_a_negative_or_sub_cent_amount_is_refused(trips, amount):
    trip = create(trips)
    assert_problem(add_cost(trips, trip["id"], kind="expected", amount=amount, currency="EUR"), 422,
                   field="amount")


def test_without_a_daily_rate_the_budget_says_why_it_has_no_limits(trips):
    trip = create(trips)
    budget = trips.call("GET", f"/api/v1/trips/{trip['id']}/budget", roles="travel").json
    assert budget["limits"] is None
    assert "BG" in budget["limits_problem"]


def test_a_year_totals_trips_by_budget_currency_leaving_out_cancelled_ones(trips):
    setup_rates(trips)
    first = create(trips)
    second = create(trips, department="Culture Department")
    cancelled = create(trips)
    create(trips, starts_on="2028-01-10", ends_on="2028-01-12")
    for trip, amount in ((first, "100.10"), (second, "200.20"), (cancelled, "999.00")):
        add_cost(trips, trip["id"], kind="expected", amount=amount, currency="EUR")
    act(trips, cancelled["id"], "cancel", "Host postponed")
    year = trips.call("GET", "/api/v1/budget/years/2027", roles="mayor-office").json
    assert year["totals"] == [{"budget_currency": "EUR", "trips": 2, "expected_total": "300.30",
                               "actual_total": "0.00", "difference": "-300.30"}]
    culture = trips.call("GET", "/api/v1/budget/years/2027?department=Culture%20Department", roles="travel").json
    assert culture["totals"][0]["expected_total"] == "200.20"


def test_a_daily_rate_is_corrected_with_if_match_and_two_rates_for_one_day_conflict(trips):
    setup_rates(trips)
    [rate] = trips.call("GET", "/api/v1/daily-rates?country=BG", roles="travel").json["items"]
    stale = trips.call("PATCH", f"/api/v1/daily-rates/{rate['id']}", {"per_diem": "65.00"}, roles="travel",
                       headers={"If-Match": '"5"'})
    assert_problem(stale, 412)
    fresh = trips.call("PATCH", f"/api/v1/daily-rates/{rate['id']}", {"per_diem": "65.00"}, roles="travel",
                       headers={"If-Match": '"1"'})
    assert fresh.json["per_diem"] == "65.00" and fresh.headers["ETag"] == '"2"'
    twin = trips.call("POST", "/api/v1/daily-rates", {"country": "BG", "currency": "EUR", "per_diem": "1.00",
                                                      "accommodation_per_night": "1.00", "valid_from": "2027-01-01"},
                      roles="travel")
    assert_problem(twin, 409)


def test_an_exchange_rate_of_a_currency_to_itself_is_refused(trips):
    response = trips.call("POST", "/api/v1/exchange-rates", {"base": "EUR", "quote": "EUR", "rate": "1",
                                                             "valid_on": "2027-01-01"}, roles="travel")
    assert_problem(response, 422)


def test_only_travel_staff_maintain_the_rates(trips):
    response = trips.call("POST", "/api/v1/exchange-rates", {"base": "EUR", "quote": "BGN", "rate": "1.9",
                                                             "valid_on": "2027-01-01"}, roles="mayor-office")
    assert_problem(response, 403)


def test_a_year_that_is_not_a_number_is_refused_naming_it(trips):
    assert_problem(trips.call("GET", "/api/v1/budget/years/last", roles="travel"), 422, field="year")


def post_rate(trips, path, body):
    response = trips.call("POST", path, body, roles="travel")
    assert response.status_code == 201, response.json
    return response.json


def test_a_two_country_trip_gets_per_diem_for_each_countrys_days_from_its_legs_converted_exactly(trips):
    post_rate(trips, "/api/v1/daily-rates", {"country": "BG", "currency": "EUR", "per_diem": "60.00",
                                             "accommodation_per_night": "150.00", "valid_from": "2027-01-01"})
    serbia = post_rate(trips, "/api/v1/daily-rates", {"country": "RS", "currency": "RSD", "per_diem": "7050.50",
                                                      "accommodation_per_night": "12025.25",
                                                      "valid_from": "2027-01-01"})
    euro_dinar = post_rate(trips, "/api/v1/exchange-rates", {"base": "EUR", "quote": "RSD", "rate": "117.15",
                                                             "valid_on": "2027-01-01"})
    trip = create(trips, travellers=[STAFF], starts_on="2027-05-20", ends_on="2027-05-26",
                  destinations=[{"country": "BG", "city": "Sofia"}, {"country": "RS", "city": "Belgrade"}])
    legs = [("Moscow", "Sofia", "2027-05-20T07:40", "Europe/Moscow", "2027-05-20T09:15", "Europe/Sofia", "BG"),
            ("Sofia", "Belgrade", "2027-05-23T18:00", "Europe/Sofia", "2027-05-23T18:10", "Europe/Belgrade", "RS"),
            ("Belgrade", "Moscow", "2027-05-26T15:00", "Europe/Belgrade", "2027-05-26T19:20", "Europe/Moscow", "RU")]
    for origin, destination, departs, departs_zone, arrives, arrives_zone, country in legs:
        leg = trips.call("POST", f"/api/v1/trips/{trip['id']}/legs", {
            "origin": origin, "destination": destination, "mode": "air", "departs_at": departs,
            "departs_time_zone": departs_zone, "arrives_at": arrives, "arrives_time_zone": arrives_zone,
            "arrives_country": country}, roles="travel")
        assert leg.status_code == 201, leg.json

    limits_ = trips.call("GET", f"/api/v1/trips/{trip['id']}/budget", roles="travel").json["limits"]
    assert limits_["days_counted_from"] == "legs"
    bulgaria, serbia_part = limits_["by_country"]
    assert (bulgaria["country"], bulgaria["days"], bulgaria["nights"]) == ("BG", 3, 3)
    assert (bulgaria["per_diem_in_budget_currency"], bulgaria["accommodation_in_budget_currency"]) == (
        "180.00", "450.00")
    assert (serbia_part["country"], serbia_part["days"], serbia_part["nights"]) == ("RS", 4, 3)
    assert (serbia_part["per_diem"], serbia_part["accommodation"]) == ("28202.00", "36075.75")
    # 28202.00 / 117.15 = 240.7341…, 36075.75 / 117.15 = 307.9449…: the inverse rate divides, then cents
    assert (serbia_part["per_diem_in_budget_currency"], serbia_part["accommodation_in_budget_currency"]) == (
        "240.73", "307.94")
    assert limits_["per_diem_in_budget_currency"] == "420.73"
    assert limits_["accommodation_in_budget_currency"] == "757.94"
    assert serbia_part["daily_rate"] == {"id": serbia["id"], "version": 1, "valid_from": "2027-01-01",
                                         "per_diem": "7050.50", "accommodation_per_night": "12025.25"}

    corrected = trips.call("PATCH", f"/api/v1/exchange-rates/{euro_dinar['id']}", {"rate": "117.20"},
                           roles="travel", headers={"If-Match": '"1"'})
    assert corrected.status_code == 200 and corrected.headers["ETag"] == '"2"'
    rate_fixed = trips.call("PATCH", f"/api/v1/daily-rates/{serbia['id']}", {"per_diem": "7100.00"},
                            roles="travel", headers={"If-Match": '"1"'})
    assert rate_fixed.status_code == 200
    serbia_part = trips.call("GET", f"/api/v1/trips/{trip['id']}/budget", roles="travel").json["limits"][
        "by_country"][1]
    assert (serbia_part["daily_rate"]["version"], serbia_part["per_diem"]) == (2, "28400.00")
    assert Decimal(serbia_part["exchange_rate"]) == Decimal(1) / Decimal("117.20")
    audit = trips.call("GET", f"/api/v1/audit-records?record_id={serbia['id']}", roles="auditor").json["items"]
    assert (audit[0]["action"], audit[0]["changes"]) == ("daily-rate.updated", {
        "version": [1, 2], "per_diem": ["7050.50", "7100.00"]})
    fx_audit = trips.call("GET", f"/api/v1/audit-records?record_id={euro_dinar['id']}", roles="auditor").json
    assert fx_audit["items"][0]["changes"] == {"version": [1, 2], "rate": ["117.15", "117.20"]}
