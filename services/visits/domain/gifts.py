"""The gifts register: what was given and received, its value, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from shared.kit.refusals import Invalid


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


class GiftInvalid(Invalid):
    pass


def check_gift(direction: GiftDirection, disposition: Disposition, amount: Decimal | None,
               currency: str | None) -> None:
    if (amount is None) != (currency is None):
        raise GiftInvalid("value_currency", "a value needs both its amount and its currency")
    if direction == GiftDirection.GIVEN and disposition in (Disposition.KEPT_BY_RECIPIENT, Disposition.RETURNED):
        raise GiftInvalid("disposition", f"a gift the city gave cannot be {disposition.value}")
    if direction == GiftDirection.RECEIVED and disposition == Disposition.HANDED_OVER:
        raise GiftInvalid("disposition", "a received gift is not handed over; say where it went")


class DeclarationReason(StrEnum):
    """Why a received gift must be declared and handed over to the city (decision 0017)."""

    OVER_THRESHOLD = "over_threshold"
    VALUE_UNKNOWN = "value_unknown"  # nobody may keep a gift until it is valued
    NO_THRESHOLD_FOR_CURRENCY = "no_threshold_for_currency"


class Declaration(StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    DECLARED = "declared"


HANDED_TO_THE_CITY = (Disposition.CITY_PROPERTY, Disposition.MUSEUM, Disposition.ON_DISPLAY, Disposition.RETURNED)


@dataclass(frozen=True)
class GiftRules:
    thresholds: dict[str, Decimal]  # currency -> the value above which a received gift is declared
    declaration_days: int  # how long the recipient has to declare it, from the day it was received


@dataclass(frozen=True)
class DeclarationDue:
    reason: DeclarationReason
    threshold: str | None  # "150.00 EUR": the limit in force when the gift was registered or changed
    due_on: date


def declaration_due(rules: GiftRules, direction: GiftDirection, amount: Decimal | None, currency: str | None,
                    received_on: date) -> DeclarationDue | None:
    """Whether a gift must be declared: received, and above the threshold of its currency, of unknown value, or
    in a currency the office has no threshold for. Gifts the city gives are never declared."""
    if direction == GiftDirection.GIVEN:
        return None
    limit = rules.thresholds.get(currency or "")
    threshold = None if limit is None else f"{limit:.2f} {currency}"
    due_on = received_on + timedelta(days=rules.declaration_days)
    if amount is None:
        return DeclarationDue(DeclarationReason.VALUE_UNKNOWN, threshold, due_on)
    if limit is None:
        return DeclarationDue(DeclarationReason.NO_THRESHOLD_FOR_CURRENCY, None, due_on)
    return DeclarationDue(DeclarationReason.OVER_THRESHOLD, threshold, due_on) if amount > limit else None


def check_declaration(reason: DeclarationReason | None, disposition: Disposition, declared_on: date | None,
                      received_on: date) -> None:
    if reason is None and declared_on is not None:
        raise GiftInvalid("declared_on", "this gift is below the threshold and needs no declaration")
    if declared_on is not None and declared_on < received_on:
        raise GiftInvalid("declared_on", "a gift is declared on or after the day it was received")
    if reason is not None and disposition == Disposition.KEPT_BY_RECIPIENT:
        raise GiftInvalid("disposition", f"a gift that must be declared ({reason.value}) goes to the city, not to "
                                         f"its recipient: {', '.join(d.value for d in HANDED_TO_THE_CITY)}")


def declaration_state(reason: str | None, declared_on: date | None) -> Declaration:
    if reason is None:
        return Declaration.NOT_REQUIRED
    return Declaration.DECLARED if declared_on else Declaration.PENDING
