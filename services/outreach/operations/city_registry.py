"""Partners and contact people as the city's registry sends them (docs/decisions/0046).

The first update of a record creates it, a later one replaces the registry's fields, and one not later than
what was applied changes nothing, so repeated and reordered updates converge on the registry's latest. Changes
are outreach's own, announced as its usual partner and partner-contact events with their audit records.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.outreach.operations.partners import (
    PartnerNotYetKnown,
    add_contact,
    add_partner,
    change_contact_fields,
    change_partner_fields,
)
from services.outreach.store.models import Partner, PartnerContact
from shared.uow import UnitOfWork


def changed(record: Partner | PartnerContact, fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if getattr(record, name) != value}


def is_newer(record: Partner | PartnerContact, updated_at: datetime) -> bool:
    return record.registry_updated_at is None or updated_at > record.registry_updated_at


def receive_partner(uow: UnitOfWork, registry_id: str, updated_at: datetime, fields: dict[str, Any]) -> None:
    """Apply the registry's partner; the partner's notes stay the office's own."""
    partner = uow.session.scalar(select(Partner).where(Partner.registry_id == registry_id))
    if partner is None:
        add_partner(uow, {**fields, "registry_id": registry_id, "registry_updated_at": updated_at},
                    {**fields, "registry_id": registry_id})
        return
    if not is_newer(partner, updated_at):
        return
    partner.registry_updated_at = updated_at
    changes = changed(partner, fields)
    if changes:
        change_partner_fields(uow, partner, changes, {**changes, "registry_id": registry_id})


def receive_contact(uow: UnitOfWork, registry_id: str, partner_registry_id: str, updated_at: datetime,
                    fields: dict[str, Any]) -> None:
    """Apply the registry's contact person; PartnerNotYetKnown when their partner has not come yet."""
    contact = uow.session.scalar(select(PartnerContact).where(PartnerContact.registry_id == registry_id))
    if contact is not None and not is_newer(contact, updated_at):
        return
    partner_id = uow.session.scalar(select(Partner.id).where(Partner.registry_id == partner_registry_id))
    if partner_id is None:
        raise PartnerNotYetKnown(f"partner_registry_id: no partner {partner_registry_id} from the registry yet")
    fields = {**fields, "partner_id": partner_id}
    # Personal data: the audit record names the fields that changed, never their values.
    audit = {"registry_id": registry_id, "partner_id": partner_id}
    if contact is None:
        add_contact(uow, {**fields, "registry_id": registry_id, "registry_updated_at": updated_at},
                    {**audit, "fields": sorted(fields)})
        return
    contact.registry_updated_at = updated_at
    changes = changed(contact, fields)
    if changes:
        change_contact_fields(uow, contact, changes, audit)
