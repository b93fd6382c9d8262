"""Request and response bodies of the gifts register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.fields import LongText, Name
from services.visits.domain.gifts import Declaration, DeclarationReason, Disposition, GiftDirection
from shared.http.resources import PageQuery
from shared.http.views import id_path

CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


GIFT_EXAMPLE = {"direction": "received", "description": "Porcelain vase, Jingdezhen, 40 cm",
                "giver": "Chen Lixin, Vice Mayor of Shanghai", "recipient": "Mayor of Sofia",
                "value_amount": "450.00", "value_currency": "EUR", "exchanged_on": "2027-03-10",
                "disposition": "city_property", "disposition_note": "Inventory no. 2027/114, Mayor's reception room"}


class GiftCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [GIFT_EXAMPLE]})

    direction: GiftDirection
    description: LongText
    giver: Name
    recipient: Name
    value_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    value_currency: CurrencyCode | None = None
    exchanged_on: date
    disposition: Disposition = Disposition.PENDING
    disposition_note: LongText | None = None


class GiftUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: LongText = None
    giver: Name = None
    recipient: Name = None
    value_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    value_currency: CurrencyCode | None = None
    exchanged_on: date = None
    disposition: Disposition = None
    disposition_note: LongText | None = None
    declared_on: date | None = Field(None, description="When the recipient declared a gift that must be declared")


class GiftOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        **GIFT_EXAMPLE, "id": "9e2d7c1a-4b5f-4a8e-9c3d-1f6e2b7a8c90",
        "visit_id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10", "declaration": "declared",
        "declaration_reason": "over_threshold", "declaration_threshold": "150.00 EUR",
        "declaration_due_on": "2027-04-09", "declared_on": "2027-03-12", "declaration_overdue": False,
        "version": 2}]})

    id: str
    visit_id: str
    direction: GiftDirection
    description: str
    giver: str
    recipient: str
    value_amount: Decimal | None
    value_currency: str | None
    exchanged_on: date
    disposition: Disposition
    disposition_note: str | None
    declaration: Declaration = Field(description="Whether the recipient must declare the gift and hand it to the "
                                                 "city (decision 0017): not_required, pending or declared")
    declaration_reason: DeclarationReason | None
    declaration_threshold: str | None = Field(description="The threshold in force when the gift was recorded")
    declaration_due_on: date | None
    declared_on: date | None
    declaration_overdue: bool = Field(description="Pending after its due date")
    version: int


GiftPath = id_path("GiftPath", "visit_id", "gift_id")


class GiftQuery(PageQuery):
    direction: GiftDirection | None = None
    disposition: Disposition | None = None
    declaration: Declaration | None = Field(None, description="e.g. pending: gifts still to be declared")
    declaration_overdue: bool | None = Field(None, description="true: pending after their due date")
    exchanged_from: date | None = None
    exchanged_until: date | None = None
