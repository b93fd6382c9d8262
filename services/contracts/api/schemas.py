"""Request and response types every part of the contracts API shares."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from services.contracts.domain.cpv import check_cpv
from shared.http.records import NO_NUL
from shared.kit.money import LARGEST, check_amount, check_currency, format_amount

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=NO_NUL)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
CpvCode = Annotated[str, AfterValidator(check_cpv), Field(
    description="CPV 2008 code with its check digit, e.g. 79950000-8", examples=["79950000-8"])]
Currency = Annotated[str, AfterValidator(check_currency), Field(description="ISO 4217 code", examples=["EUR"])]
# An amount above zero in whole cents, as `check_amount` takes it, written out: digits without leading zeros (at most
# those of LARGEST), then at most two decimals.
WRITTEN_AMOUNT = r"^(?:[1-9][0-9]{0,15}(?:\.[0-9]{1,2})?|0\.(?:[1-9][0-9]?|0[1-9]))$"
BEYOND_LARGEST = int(LARGEST) + 1


def written_amount(value: Any) -> Any:
    """An amount sent as a string is written as the document's pattern says (no exponent, sign or blanks)."""
    if isinstance(value, str) and not re.fullmatch(WRITTEN_AMOUNT, value):
        raise ValueError("an amount above zero with at most two decimals, written as digits, e.g. 125000.00")
    return value


# As a JSON number, `multipleOf: 0.01` is exact where JSON Schema says it is, on the number as written (jsonschema-rs,
# which schemathesis uses, compares exact fractions), and so is the rule, on the shortest decimal that reads back as
# the same binary number; validators that divide binary floats instead (0.07 / 0.01 = 7.000000000000001) refuse
# some whole cents, which is why the description asks for the string. The bound is an integer: 9999999999999999.99
# as a binary number is 1E16, which the rule refuses.
AmountIn = Annotated[Decimal, BeforeValidator(written_amount), AfterValidator(check_amount), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": WRITTEN_AMOUNT},
              {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": BEYOND_LARGEST, "multipleOf": 0.01}]}),
    Field(description="An exact amount above zero with at most two decimals; send it as a string to keep it exact",
          examples=["125000.00"])]
AmountOut = Annotated[Decimal, PlainSerializer(format_amount, return_type=str, when_used="json")]


def changing_one_of(*names: str) -> dict[str, list[dict]]:
    """The JSON Schema of a change that sets at least one of these fields to a value (null changes nothing)."""
    return {"anyOf": [{"required": [name], "properties": {name: {"not": {"type": "null"}}}} for name in names]}


class Value(BaseModel):
    """An amount of money (OCDS `Value`): exact decimal amount and currency."""

    model_config = ConfigDict(extra="forbid")
    amount: AmountIn
    currency: Currency


class ValueOut(BaseModel):
    amount: AmountOut = Field(description="Exact decimal, as a string", examples=["125000.00"])
    currency: str
