"""The gifts register: what was given and received, its value, and what became of it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class GiftDirection(StrEnum):
    GIVEN = "given"
    RECEIVED = "received"


class Disposition(StrEnum):
    PENDING = "pending"
    HANDED_OVER = "handed_over"  # a given gift reached its recipient
    ON_DISPLAY = "on_display"
    CITY_PROPERTY = "city_property"
    MUSEUM = "museum"
    KEPT_BY_RECIPIENT = "kept_by_recipient"
    RETURNED = "returned"


class GiftInvalid(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check_gift(direction: GiftDirection, disposition: Disposition, amount: Decimal | None,
               currency: str | None) -> None:
    if (amount is None) != (currency is None):
        raise GiftInvalid("value_currency", "a value needs both its amount and its currency")
    if direction == GiftDirection.GIVEN and disposition in (Disposition.KEPT_BY_RECIPIENT, Disposition.RETURNED):
        raise GiftInvalid("disposition", f"a gift the city gave cannot be {disposition.value}")
    if direction == GiftDirection.RECEIVED and disposition == Disposition.HANDED_OVER:
        raise GiftInvalid("disposition", "a received gift is not handed over; say where it went")
