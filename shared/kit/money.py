"""Money as an exact decimal amount in whole minor units (cents) of an ISO 4217 currency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

CURRENCY = re.compile(r"^[A-Z]{3}$")
MINOR_UNITS = Decimal("0.01")
LARGEST = Decimal("9999999999999999.99")  # what a NUMERIC(18, 2) column holds


class InvalidMoney(ValueError):
    pass


def check_amount(amount: Decimal, *, allow_zero: bool = False) -> Decimal:
    """The amount itself when it is finite, positive (or zero if allowed), in whole cents and storable."""
    if not amount.is_finite():
        raise InvalidMoney("the amount must be a finite number")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidMoney("the amount must be positive" if not allow_zero else "the amount must not be negative")
    if amount > LARGEST:  # first: quantizing an amount of more digits than the context's precision fails
        raise InvalidMoney(f"the amount exceeds {LARGEST}")
    if amount != amount.quantize(MINOR_UNITS):
        raise InvalidMoney("the amount has more than two decimal places")
    return amount


def check_currency(code: str) -> str:
    if not CURRENCY.match(code):
        raise InvalidMoney("the currency must be an ISO 4217 code such as EUR")
    return code


def to_cents(amount: Decimal) -> Decimal:
    """`amount` rounded half to even to whole cents: what a computed sum (a rate times days, a conversion) is kept
    as (decision 0021)."""
    return amount.quantize(MINOR_UNITS, rounding=ROUND_HALF_EVEN)


def format_amount(amount: Decimal) -> str:
    """The amount as an exact decimal string with two places, e.g. '1250.00'."""
    return str(amount.quantize(MINOR_UNITS))


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if not self.amount.is_finite():
            raise InvalidMoney("the amount must be a finite number")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise InvalidMoney(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        return Money(to_cents(self.amount * factor), self.currency)

    def rounded(self) -> Money:
        return Money(to_cents(self.amount), self.currency)

    def __str__(self) -> str:
        return f"{format_amount(self.amount)} {self.currency}"
