"""Partners abroad, the relationships the city keeps with them and their contact people, entered by staff or sent
by the city's registry (docs/decisions/0046). A contact's personal data never reaches events or audit records."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.outreach.domain.partners import (
    OverlappingRelationship,
    Period,
    RelationshipType,
    check_no_overlap,
    search_text,
)
from services.outreach.events import contents
from services.outreach.operations.changes import apply_changes, record_change, refuse_clearing
from services.outreach.store.models import Partner, PartnerContact, PartnerRelationship
from shared.db import find
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork

PARTNER_REQUIRED = ("kind", "name", "names", "country")
CONTACT_REQUIRED = ("name", "languages")


class PartnerNotYetKnown(LookupError):
    """A contact whose partner the registry has not sent yet: retried with delays, in case it comes next."""


# --- partners ---

def index_names(partner: Partner) -> None:
    partner.search_text = search_text([partner.name, *(entry["name"] for entry in partner.names)])


def add_partner(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Partner:
    partner = Partner(**fields, version=1, created_by=uow.actor)
    index_names(partner)
    uow.session.add(partner)
    record_change(uow, "partner", "created", partner, contents.partner, changes)
    return partner


def change_partner_fields(uow: UnitOfWork, partner: Partner, changes: dict[str, Any], audit: dict[str, Any]) -> None:
    apply_changes(partner, changes)
    index_names(partner)
    record_change(uow, "partner", "updated", partner, contents.partner, audit)


def update_partner(uow: UnitOfWork, partner_id: str, changes: dict[str, Any],
                   expected_version: frozenset[int] | None) -> Partner:
    """Change a partner's details; no changes change nothing."""
    refuse_clearing(changes, PARTNER_REQUIRED)
    partner = find(uow.session, Partner, partner_id, "partner")
    require_version(partner.version, expected_version)
    if changes:
        change_partner_fields(uow, partner, changes, changes)
    return partner


# --- relationships ---

def check_relationship(session: Session, relationship: PartnerRelationship) -> None:
    """A relationship's period is in order and overlaps no other of its type with the same partner."""
    others = session.scalars(select(PartnerRelationship).where(
        PartnerRelationship.partner_id == relationship.partner_id, PartnerRelationship.id != relationship.id))
    period = Period(relationship.established_on, relationship.ended_on)
    check_no_overlap(RelationshipType(relationship.type), period,
                     [(RelationshipType(o.type), Period(o.established_on, o.ended_on)) for o in others])


def find_relationship(session: Session, partner_id: str, relationship_id: str) -> PartnerRelationship:
    return find(session, PartnerRelationship, relationship_id, "relationship", partner_id=partner_id)


def establish_relationship(uow: UnitOfWork, partner_id: str, fields: dict[str, Any],
                           changes: dict[str, Any]) -> PartnerRelationship:
    find(uow.session, Partner, partner_id, "partner")
    relationship = PartnerRelationship(**fields, partner_id=partner_id, version=1, created_by=uow.actor)
    check_relationship(uow.session, relationship)
    uow.session.add(relationship)
    record_change(uow, "partner-relationship", "established", relationship, contents.partner_relationship, changes)
    return relationship


def update_relationship(uow: UnitOfWork, partner_id: str, relationship_id: str, fields: dict[str, Any],
                        changes: dict[str, Any], expected_version: frozenset[int] | None) -> PartnerRelationship:
    """Change a relationship's dates or basis; giving an open one an end is announced as its end."""
    refuse_clearing(fields, ("established_on",))
    relationship = find_relationship(uow.session, partner_id, relationship_id)
    require_version(relationship.version, expected_version)
    if not fields:
        return relationship
    was_open = relationship.ended_on is None
    apply_changes(relationship, fields)
    check_relationship(uow.session, relationship)
    action = "ended" if was_open and relationship.ended_on is not None else "updated"
    record_change(uow, "partner-relationship", action, relationship, contents.partner_relationship, changes)
    return relationship


def record_twinning(uow: UnitOfWork, agreement_id: str, partner_id: str, signed_on: date, basis: str) -> None:
    """The twin-city relationship a signed twinning agreement establishes (decision 0135), once per agreement.
    Nothing when the partner is not known here or a twin-city relationship with it holds already."""
    known = uow.session.scalar(select(PartnerRelationship.id).where(PartnerRelationship.agreement_id == agreement_id))
    if known or uow.session.get(Partner, partner_id) is None:
        return
    relationship = PartnerRelationship(partner_id=partner_id, type=RelationshipType.TWIN_CITY.value,
                                       established_on=signed_on, basis=basis[:2000], agreement_id=agreement_id,
                                       version=1, created_by=uow.actor)
    try:
        check_relationship(uow.session, relationship)
    except OverlappingRelationship:
        return  # twinned already, by hand or by an earlier agreement
    uow.session.add(relationship)
    record_change(uow, "partner-relationship", "established", relationship, contents.partner_relationship,
                  {"agreement_id": agreement_id})


def end_twinning(uow: UnitOfWork, agreement_id: str, ended_on: date) -> None:
    """A terminated twinning agreement ends the relationship it established, if it still holds."""
    relationship = uow.session.scalar(select(PartnerRelationship).where(
        PartnerRelationship.agreement_id == agreement_id, PartnerRelationship.ended_on.is_(None)))
    if relationship is None:
        return
    relationship.ended_on, relationship.version = max(ended_on, relationship.established_on), relationship.version + 1
    record_change(uow, "partner-relationship", "ended", relationship, contents.partner_relationship,
                  {"agreement_id": agreement_id, "ended_on": relationship.ended_on.isoformat()})


# --- contact people ---

def find_contact(session: Session, partner_id: str, contact_id: str) -> PartnerContact:
    return find(session, PartnerContact, contact_id, "contact", partner_id=partner_id)


def add_contact(uow: UnitOfWork, fields: dict[str, Any], audit: dict[str, Any]) -> PartnerContact:
    """Add a contact person; `audit` names the fields given, never their values."""
    contact = PartnerContact(**fields, version=1, created_by=uow.actor)
    uow.session.add(contact)
    record_change(uow, "partner-contact", "added", contact, contents.partner_contact, audit)
    return contact


def add_partner_contact(uow: UnitOfWork, partner_id: str, fields: dict[str, Any], given: set[str]) -> PartnerContact:
    find(uow.session, Partner, partner_id, "partner")
    return add_contact(uow, {**fields, "partner_id": partner_id}, {"partner_id": partner_id, "fields": sorted(given)})


def change_contact_fields(uow: UnitOfWork, contact: PartnerContact, changes: dict[str, Any],
                          audit: dict[str, Any]) -> None:
    apply_changes(contact, changes)
    record_change(uow, "partner-contact", "updated", contact, contents.partner_contact,
                  {**audit, "fields": sorted(changes)})


def update_contact(uow: UnitOfWork, partner_id: str, contact_id: str, changes: dict[str, Any],
                   expected_version: frozenset[int] | None) -> PartnerContact:
    refuse_clearing(changes, CONTACT_REQUIRED)
    contact = find_contact(uow.session, partner_id, contact_id)
    require_version(contact.version, expected_version)
    if changes:
        change_contact_fields(uow, contact, changes, {})
    return contact


def remove_contact(uow: UnitOfWork, partner_id: str, contact_id: str, expected_version: frozenset[int] | None) -> None:
    contact = find_contact(uow.session, partner_id, contact_id)
    require_version(contact.version, expected_version)
    uow.session.delete(contact)
    record_change(uow, "partner-contact", "removed", contact, contents.partner_contact, {"partner_id": partner_id})
