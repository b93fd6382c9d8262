"""Media contacts and their accreditations. A contact's personal data never reaches events or audit records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.outreach.domain.campaigns import ACCREDITATION_LIFECYCLE, AccreditationStatus
from services.outreach.events import contents
from services.outreach.operations.changes import apply_changes, record_change, refuse_clearing
from services.outreach.store.models import Accreditation, Campaign, MediaContact
from shared.db import find
from shared.kit.refusals import Conflict, Invalid, require_version
from shared.uow import UnitOfWork

MEDIA_CONTACT_REQUIRED = ("name", "outlet", "country", "languages")


def find_media_contact(uow: UnitOfWork, contact_id: str) -> MediaContact:
    return find(uow.session, MediaContact, contact_id, "media contact")


def add_media_contact(uow: UnitOfWork, fields: dict[str, Any], given: set[str]) -> MediaContact:
    contact = MediaContact(**fields, version=1, created_by=uow.actor)
    uow.session.add(contact)
    record_change(uow, "media-contact", "added", contact, contents.media_contact,
                  {"outlet": contact.outlet, "fields": sorted(given)})
    return contact


def update_media_contact(uow: UnitOfWork, contact_id: str, changes: dict[str, Any],
                         expected_version: frozenset[int] | None) -> MediaContact:
    refuse_clearing(changes, MEDIA_CONTACT_REQUIRED)
    contact = find_media_contact(uow, contact_id)
    require_version(contact.version, expected_version)
    if changes:
        apply_changes(contact, changes)
        record_change(uow, "media-contact", "updated", contact, contents.media_contact, {"fields": sorted(changes)})
    return contact


def remove_media_contact(uow: UnitOfWork, contact_id: str, expected_version: frozenset[int] | None) -> None:
    """A media contact with accreditations is kept for their record."""
    contact = find_media_contact(uow, contact_id)
    require_version(contact.version, expected_version)
    if uow.session.scalar(select(Accreditation.id).where(Accreditation.media_contact_id == contact.id).limit(1)):
        raise Conflict("a media contact with accreditations is kept for their record", slug="has-accreditations")
    uow.session.delete(contact)
    record_change(uow, "media-contact", "removed", contact, contents.media_contact, {"outlet": contact.outlet})


def request_accreditation(uow: UnitOfWork, contact_id: str, fields: dict[str, Any],
                          changes: dict[str, Any]) -> Accreditation:
    find_media_contact(uow, contact_id)
    campaign_id = fields.get("campaign_id")
    if campaign_id and uow.session.get(Campaign, campaign_id) is None:
        raise Invalid("campaign_id", f"no campaign {campaign_id}")
    accreditation = Accreditation(**fields, media_contact_id=contact_id, status=AccreditationStatus.REQUESTED.value,
                                  version=1, created_by=uow.actor)
    uow.session.add(accreditation)
    record_change(uow, "accreditation", "requested", accreditation, contents.accreditation, changes)
    return accreditation


def move_accreditation(uow: UnitOfWork, accreditation_id: str, action: str, reason: str | None,
                       expected_version: frozenset[int] | None) -> Accreditation:
    accreditation = find(uow.session, Accreditation, accreditation_id, "accreditation")
    require_version(accreditation.version, expected_version)
    previous = ACCREDITATION_LIFECYCLE.advance(accreditation, action, reason)
    record_change(uow, "accreditation", ACCREDITATION_LIFECYCLE.past_tense(action), accreditation,
                  contents.accreditation, {"status": [previous, accreditation.status],
                                           "reason": accreditation.status_reason})
    return accreditation
