"""Request and response types every part of the contracts API shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

from services.contracts.domain.cpv import check_cpv
from shared.http.records import NO_NUL
from shared.kit.money import check_amount, check_currency, format_amount

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=NO_NUL)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
CpvCode = Annotated[str, AfterValidator(check_cpv), Field(
    description="CPV 2008 code with its check digit, e.g. 79950000-8", examples=["79950000-8"])]
Currency = Annotated[str, AfterValidator(check_currency), Field(description="ISO 4217 code", examples=["EUR"])]
AmountIn = Annotated[Decimal, AfterValidator(check_amount), Field(
    description="An exact decimal with at most two places; send it as a string to keep it exact",
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
