"""Exact money and CPV codes: the shapes and check digits the plan, tenders and contracts rely on."""

import math
from decimal import Decimal

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.contracts.api.schemas import Value
from services.contracts.domain.cpv import InvalidCPV, check_cpv, check_digit
from services.contracts.store.types import Amount
from shared.kit.money import InvalidMoney, check_amount, check_currency, format_amount

# Codes as Regulation (EC) 213/2008 publishes them, check digit included.
PUBLISHED_CPV_CODES = [
    "79950000-8", "79952000-2", "55110000-4", "55120000-7", "79540000-1", "79530000-8", "60140000-1",
    "30192000-1", "30213100-6", "32323000-3", "39154000-6", "79341000-6", "79342200-5", "63510000-7",
    "79822500-7", "45000000-7", "72000000-5", "48000000-8", "03000000-1", "09000000-3", "33000000-0",
    "85000000-9", "92000000-1", "98000000-3",
]


@pytest.mark.parametrize("code", PUBLISHED_CPV_CODES)
def test_every_published_cpv_code_passes_its_check_digit(code):
    assert check_cpv(code) == code


@pytest.mark.parametrize("code", ["79950000-8"[:-1] + str(digit) for digit in range(10) if digit != 8])
def test_a_cpv_code_with_a_wrong_check_digit_is_refused_naming_the_right_one(code):
    with pytest.raises(InvalidCPV, match="is 8"):
        check_cpv(code)


@pytest.mark.parametrize("code", ["79950000", "7995000-8", "79950000-88", "79950000 8", "A9950000-8",
                                  "00950000-3", ""])
def test_a_cpv_code_of_the_wrong_shape_is_refused(code):
    with pytest.raises(InvalidCPV):
        check_cpv(code)


@given(st.from_regex(r"[1-9][0-9]{7}", fullmatch=True), st.integers(0, 7), st.integers(1, 9))
def test_changing_any_one_digit_of_a_cpv_code_breaks_its_check_digit(digits, position, shift):
    changed = digits[:position] + str((int(digits[position]) + shift) % 10) + digits[position + 1:]
    assert check_digit(changed) != check_digit(digits)


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.001", "NaN", "Infinity", "10000000000000000.00", "1E+26"])
def test_amounts_that_are_not_positive_whole_cents_within_range_are_refused(amount):
    with pytest.raises(InvalidMoney):
        check_amount(Decimal(amount))


def test_zero_is_an_amount_only_where_it_is_allowed():
    assert check_amount(Decimal("0"), allow_zero=True) == 0


@pytest.mark.parametrize("code", ["eur", "EURO", "E1R", ""])
def test_a_currency_that_is_not_three_capital_letters_is_refused(code):
    with pytest.raises(InvalidMoney):
        check_currency(code)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999999999.99"), places=2))
def test_an_amount_survives_the_round_trip_through_whole_cents_exactly(amount):
    column = Amount()
    stored = column.process_bind_param(amount, None)
    assert isinstance(stored, int)
    assert column.process_result_value(stored, None) == amount
    assert format_amount(column.process_result_value(stored, None)) == format_amount(amount)


DOCUMENTED_VALUE = jsonschema_rs.validator_for(Value.model_json_schema())


def cents_and_their_neighbours() -> st.SearchStrategy:
    """Amounts as clients send them: whole cents and the floats next to them, as numbers and written out."""
    cents = st.integers(-10, 10**18).map(lambda count: count / 100)
    near = cents.flatmap(lambda amount: st.sampled_from([math.nextafter(amount, math.inf),
                                                           math.nextafter(amount, -math.inf)]))
    numbers = st.one_of(cents, near, st.floats(allow_nan=False, allow_infinity=False), st.integers(-5, 10**17))
    written = st.decimals(allow_nan=False, allow_infinity=False).map(str)
    return st.one_of(numbers, numbers.map(repr), written, st.from_regex(r"[ +0-9.eE-]{1,22}", fullmatch=True))


@given(cents_and_their_neighbours())
def test_the_documented_amount_takes_exactly_what_the_money_rule_takes_as_a_number_and_as_a_string(amount):
    """What the OpenAPI document states (read by jsonschema-rs, the validator schemathesis judges by) and what the
    API takes agree both ways: no amount the rule takes is refused by the schema, none it refuses is allowed."""
    try:
        Value.model_validate({"amount": amount, "currency": "EUR"})
        taken = True
    except ValidationError:
        taken = False
    assert DOCUMENTED_VALUE.is_valid({"amount": amount, "currency": "EUR"}) == taken
