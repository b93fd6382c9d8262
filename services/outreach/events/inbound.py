"""What the city's registry sends to chancery.inbound (docs/decisions/0046): a partner's or a contact person's whole
record with its `registry_id` and `updated_at`, checked against its JSON Schema and then field by field as outreach
stores it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.outreach.domain.partners import PartnerKind
from services.outreach.events.fields import CountryCode, Email, LanguageCode, Name, Phone, Url
from shared.bus.consumer import InboundSchema, PoisonMessage

INBOUND_PARTNER = "chancery.inbound.partner.updated.v1"
INBOUND_CONTACT = "chancery.inbound.contact.updated.v1"
SCHEMAS = {event_type: InboundSchema(json.loads((Path(__file__).parent / f"inbound-{record}.v1.json").read_text()))
           for event_type, record in ((INBOUND_PARTNER, "partner"), (INBOUND_CONTACT, "contact"))}
REGISTRY_KEYS = ("registry_id", "partner_registry_id", "updated_at")


class LocalName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: LanguageCode = Field(description="BCP 47 language tag, e.g. bg, ru, en, zh-Hans")
    name: Name


class PartnerFields(BaseModel):
    """A partner's own fields, as the registry sends them and as the API takes them (with staff's notes)."""

    model_config = ConfigDict(extra="forbid")

    kind: PartnerKind
    name: Name = Field(description="The name staff use (usually the English one)")
    names: list[LocalName] = Field(default_factory=list, max_length=30,
                                   description="The name in other languages and scripts; all are searchable")
    country: CountryCode = Field(description="ISO 3166-1 alpha-2")
    region: Name | None = None
    website: Url | None = None


class ContactFields(BaseModel):
    """A contact person's fields, as the registry sends them and as the API takes them."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    position: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    languages: list[LanguageCode] = Field(default_factory=list, max_length=10)


@dataclass(frozen=True)
class RegistryUpdate:
    data: dict[str, Any]  # the event's data as sent
    updated_at: datetime  # the registry's time of the change
    fields: dict[str, Any]  # the record's fields as outreach stores them


def registry_update(event: dict[str, Any], model: type[BaseModel]) -> RegistryUpdate:
    """The update an inbound event carries, or PoisonMessage naming what is wrong."""
    data = SCHEMAS[event["type"]].check(event.get("data"))
    try:
        updated_at = datetime.fromisoformat(data["updated_at"])
    except ValueError as error:
        raise PoisonMessage(f"updated_at: {error}") from error
    if updated_at.tzinfo is None:
        raise PoisonMessage("updated_at: needs a UTC offset")
    try:
        fields = model.model_validate({k: v for k, v in data.items() if k not in REGISTRY_KEYS})
    except ValidationError as error:
        raise PoisonMessage("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                      for e in error.errors(include_url=False))) from error
    return RegistryUpdate(data, updated_at, fields.model_dump(mode="json"))
