"""Request and response bodies of protocol: rank table, precedence, seating, flags, gifts, checklist."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.visits.api.schemas import LongText, Name, PageQuery, Text
from services.visits.domain.delegation import DelegationRole
from services.visits.domain.gifts import Declaration, DeclarationReason, Disposition, GiftDirection
from services.visits.domain.protocol import DEFAULT_RANK_TABLE

RankKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
FlagCode = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|[A-Z]{2}-[A-Z0-9]{1,3}|EU|UN)$")]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Translations(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: Text
    ru: Text
    bg: Text


class Rank(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: RankKey
    level: int = Field(ge=1, le=999, description="Lower comes first; equal levels are ordered by name")
    labels: Translations
    address: Translations = Field(description="Salutation templates; `{name}` and `{rank}` are filled in")


class RankTableIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ranks": DEFAULT_RANK_TABLE[:3]}]})

    ranks: list[Rank] = Field(min_length=1, max_length=200)


class RankTableOut(BaseModel):
    ranks: list[Rank]
    version: int = Field(description="0 while the office uses the built-in table")
    updated_by: str | None
    updated_at: datetime | None


class PrecedenceEntry(BaseModel):
    position: int
    member_id: str
    role: DelegationRole
    name_original: str
    name_latin: str
    rank: str | None
    rank_label: str | None = Field(description="In English; `address` has every language")
    level: int | None
    address: Translations = Field(description="How to address the person, per language")


class PrecedenceOut(BaseModel):
    items: list[PrecedenceEntry]


class HostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    rank: RankKey | None = None
    principal: bool = Field(False, description="The host principal (at most one); else the highest ranked")


class SeatingPlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Official lunch at Boyana Residence", "agenda_item_id": None,
        "hosts": [{"name": "Mayor of Sofia", "rank": "mayor", "principal": True},
                  {"name": "Deputy Mayor for Transport", "rank": "deputy_mayor"}],
        "guest_ids": None}]})

    title: Text
    agenda_item_id: str | None = Field(None, max_length=36)
    hosts: list[HostIn] = Field(min_length=1, max_length=60)
    guest_ids: list[Annotated[str, StringConstraints(max_length=36)]] | None = Field(
        None, max_length=60, description="Delegation member ids; default: everyone but the security detail")


class Seat(BaseModel):
    seat: int = Field(description="1 is the host principal's; numbered clockwise, so 2 is at their right")
    side: str
    name: str
    rank: str | None
    member_id: str | None
    principal: bool


class SeatingPlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    visit_id: str
    agenda_item_id: str | None
    title: str
    seats: list[Seat]
    version: int
    created_by: str
    created_at: datetime


class SeatingPlanPath(BaseModel):
    visit_id: str = Field(max_length=36)
    plan_id: str = Field(max_length=36)


class FlagsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"flags": ["FR", "BG", "BG-22", "EU"]}]})

    flags: list[FlagCode] = Field(max_length=20, description="In display order: ISO 3166-1, ISO 3166-2, EU or UN")


class FlagsOut(BaseModel):
    flags: list[str]
    version: int = Field(description="The visit's version (flags are part of the visit)")


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


class GiftPath(BaseModel):
    visit_id: str = Field(max_length=36)
    gift_id: str = Field(max_length=36)


class GiftQuery(PageQuery):
    direction: GiftDirection | None = None
    disposition: Disposition | None = None
    declaration: Declaration | None = Field(None, description="e.g. pending: gifts still to be declared")
    declaration_overdue: bool | None = Field(None, description="true: pending after their due date")
    exchanged_from: date | None = None
    exchanged_until: date | None = None


class ChecklistItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Order the flags of France and Lyon", "owner": "ivan", "due_on": "2027-03-03"}]})

    title: Text
    owner: Name = Field(description="Who sees it through (a user name)")
    due_on: date


class ChecklistItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text = None
    owner: Name = None
    due_on: date = None


class ChecklistItemOut(BaseModel):
    id: str
    visit_id: str
    title: str
    owner: str
    due_on: date
    done_at: datetime | None
    done_by: str | None
    overdue: bool
    version: int


class ChecklistPath(BaseModel):
    visit_id: str = Field(max_length=36)
    task_id: str = Field(max_length=36)


class ChecklistQuery(PageQuery):
    owner: Name | None = None
    overdue: bool | None = Field(None, description="true: only overdue tasks (open and past their due date)")
    done: bool | None = None
    due_until: date | None = None
