"""Information campaigns and their materials in three languages, reviewed by a second person before publication."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.outreach.domain.campaigns import MATERIAL_LIFECYCLE, MaterialStatus, check_editable, check_transition
from services.outreach.events import contents
from services.outreach.operations.changes import apply_changes, record_change, refuse_clearing
from services.outreach.store.models import Campaign, Material
from shared.db import find
from shared.kit.refusals import Invalid, require_version
from shared.uow import UnitOfWork

# --- campaigns ---


def create_campaign(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Campaign:
    campaign = Campaign(**fields, version=1, created_by=uow.actor)
    uow.session.add(campaign)
    record_change(uow, "campaign", "created", campaign, contents.campaign, changes)
    return campaign


def update_campaign(uow: UnitOfWork, campaign_id: str, fields: dict[str, Any], changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> Campaign:
    """Change a campaign; only its partner may be cleared, and it must not end before it starts."""
    refuse_clearing(fields, set(fields) - {"partner_id"})
    campaign = find(uow.session, Campaign, campaign_id, "campaign")
    require_version(campaign.version, expected_version)
    if fields:
        apply_changes(campaign, fields)
        if campaign.ends_on < campaign.starts_on:
            raise Invalid("ends_on", "a campaign must not end before it starts")
        record_change(uow, "campaign", "updated", campaign, contents.campaign, changes)
    return campaign


# --- materials ---

def check_campaign(session: Session, campaign_id: str | None) -> None:
    if campaign_id is not None and session.get(Campaign, campaign_id) is None:
        raise Invalid("campaign_id", f"no campaign {campaign_id}")


def create_material(uow: UnitOfWork, kind: str, campaign_id: str | None, texts: dict[str, Any]) -> Material:
    check_campaign(uow.session, campaign_id)
    material = Material(kind=kind, campaign_id=campaign_id, texts=texts, status=MaterialStatus.DRAFT.value,
                        version=1, created_by=uow.actor)
    uow.session.add(material)
    record_change(uow, "material", "created", material, contents.material,
                  {"kind": kind, "campaign_id": campaign_id, "languages": sorted(texts)})
    return material


def update_material(uow: UnitOfWork, material_id: str, changes: dict[str, Any], texts: dict[str, Any],
                    expected_version: frozenset[int] | None) -> Material:
    """Edit a draft: `changes` its details, `texts` the language versions sent (the others stay)."""
    refuse_clearing(changes, ("kind", "texts"))
    material = find(uow.session, Material, material_id, "material")
    require_version(material.version, expected_version)
    check_editable(MaterialStatus(material.status))
    if not changes:
        return material
    if "campaign_id" in changes:
        check_campaign(uow.session, changes["campaign_id"])
    details = {name: value for name, value in changes.items() if name != "texts"}
    apply_changes(material, {**details, "texts": {**material.texts, **texts}})
    record_change(uow, "material", "updated", material, contents.material, {**details, "languages": sorted(texts)})
    return material


def move_material(uow: UnitOfWork, material_id: str, action: str, reason: str | None,
                  expected_version: frozenset[int] | None) -> Material:
    """Submit, return, publish or withdraw a material; its submitter does not publish it too (four eyes)."""
    material = find(uow.session, Material, material_id, "material")
    require_version(material.version, expected_version)
    check_transition(MaterialStatus(material.status), action, reason, material.texts, material.submitted_by,
                     uow.actor)
    previous = MATERIAL_LIFECYCLE.advance(material, action, reason)
    if action == "submit":
        material.submitted_by = uow.actor
    if action == "publish":
        material.published_by, material.published_at = uow.actor, uow.now()
    record_change(uow, "material", MATERIAL_LIFECYCLE.past_tense(action), material, contents.material,
                  {"status": [previous, material.status], "reason": material.status_reason})
    return material
