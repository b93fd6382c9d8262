"""Partners and contact people as the city's registry sends them over chancery.inbound (docs/decisions/0046).

Each update is the registry's whole record with its `registry_id` and `updated_at`: the first creates the
record, a later one replaces the registry's fields, and one not later than what was applied changes nothing,
so repeated and reordered updates converge on the registry's latest. Changes are outreach's own, published as
its usual partner and partner-contact events with their audit records.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from services.outreach.api.common import apply_changes, record_change
from services.outreach.api.partner_schemas import ContactCreate, PartnerCreate
from services.outreach.api.partners import contact_event, index_names, partner_event
from services.outreach.events import INBOUND_CONTACT, INBOUND_PARTNER, INBOUND_SCHEMAS
from services.outreach.store.models import Partner, PartnerContact
from shared.bus.consumer import InboundSchema, PoisonMessage
from shared.uow import UnitOfWork

SCHEMAS = {event_type: InboundSchema(schema) for event_type, schema in INBOUND_SCHEMAS.items()}
REGISTRY_KEYS = ("registry_id", "partner_registry_id", "updated_at")


class PartnerNotYetKnown(LookupError):
    """A contact whose partner the registry has not sent yet: retried with delays, in case it comes next."""


def registry_update(event: dict[str, Any], model: type[BaseModel]) -> tuple[dict[str, Any], datetime, dict]:
    """The update's data, the registry's time of the change, and the fields as the API would store them; or
    PoisonMessage naming what is wrong."""
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
    return data, updated_at, fields.model_dump(mode="json", exclude={"notes"})


def is_newer(record: Partner | PartnerContact, updated_at: datetime) -> bool:
    return updated_at > record.registry_updated_at


def receive_partner(work: UnitOfWork, event: dict[str, Any]) -> None:
    data, updated_at, fields = registry_update(event, PartnerCreate)
    registry_id = data["registry_id"]
    partner = work.session.scalar(select(Partner).where(Partner.registry_id == registry_id))
    if partner is None:
        partner = Partner(**fields, registry_id=registry_id, registry_updated_at=updated_at, version=1,
                          created_by=work.actor)
        index_names(partner)
        work.session.add(partner)
        record_change(work, "partner", "created", partner, partner_event, {**fields, "registry_id": registry_id})
        return
    if not is_newer(partner, updated_at):
        return
    partner.registry_updated_at = updated_at
    changes = {name: value for name, value in fields.items() if getattr(partner, name) != value}
    if changes:
        apply_changes(partner, changes)
        index_names(partner)
        record_change(work, "partner", "updated", partner, partner_event, {**changes, "registry_id": registry_id})


def receive_contact(work: UnitOfWork, event: dict[str, Any]) -> None:
    data, updated_at, fields = registry_update(event, ContactCreate)
    registry_id = data["registry_id"]
    contact = work.session.scalar(select(PartnerContact).where(PartnerContact.registry_id == registry_id))
    if contact is not None and not is_newer(contact, updated_at):
        return
    partner_id = work.session.scalar(select(Partner.id).where(Partner.registry_id == data["partner_registry_id"]))
    if partner_id is None:
        raise PartnerNotYetKnown(f"partner_registry_id: no partner {data['partner_registry_id']} from the "
                                 f"registry yet")
    fields["partner_id"] = partner_id
    # Personal data: the audit record names the fields that changed, never their values.
    audit = {"registry_id": registry_id, "partner_id": partner_id}
    if contact is None:
        contact = PartnerContact(**fields, registry_id=registry_id, registry_updated_at=updated_at, version=1,
                                 created_by=work.actor)
        work.session.add(contact)
        record_change(work, "partner-contact", "added", contact, contact_event, {**audit, "fields": sorted(fields)})
        return
    contact.registry_updated_at = updated_at
    changes = {name: value for name, value in fields.items() if getattr(contact, name) != value}
    if changes:
        apply_changes(contact, changes)
        record_change(work, "partner-contact", "updated", contact, contact_event, {**audit, "fields": sorted(changes)})


HANDLERS = {INBOUND_PARTNER: receive_partner, INBOUND_CONTACT: receive_contact}
