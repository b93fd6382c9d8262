"""Information campaigns and their materials (press releases, printed and audio-visual) in en/ru/bg."""

from __future__ import annotations

from sqlalchemy import Select, func

from services.outreach.api import campaign_schemas as schemas
from services.outreach.api.common import READERS, WRITERS
from services.outreach.domain.campaigns import (
    MATERIAL_LIFECYCLE,
    MaterialStatus,
    MissingLanguages,
    SameReviewer,
    missing_languages,
)
from services.outreach.operations import campaigns as operations
from services.outreach.store.models import Campaign, Material
from shared.http.problems import Problem
from shared.http.records import if_match
from shared.http.views import Resource, blueprint, changes, fields
from shared.uow import UnitOfWork

campaigns_api = blueprint("campaigns", __name__, "Information campaigns, press releases and materials in English, "
                                                 "Russian and Bulgarian, reviewed before publication")


def running(statement: Select, query: schemas.CampaignQuery) -> Select:
    if query.q:
        statement = statement.where(func.lower(Campaign.title).contains(query.q.lower(), autoescape=True))
    if query.on:
        statement = statement.where(Campaign.starts_on <= query.on, Campaign.ends_on >= query.on)
    if query.partner_id:
        statement = statement.where(Campaign.partner_id == query.partner_id)
    return statement


CAMPAIGNS = Resource(campaigns_api, "/campaigns", "campaign_id", Campaign, schemas.CampaignOut, READERS, WRITERS)
CAMPAIGNS.create("create_campaign", "Plan an information campaign", schemas.CampaignCreate,
                 fields(operations.create_campaign))
CAMPAIGNS.listing("list_campaigns", "List campaigns", schemas.CampaignQuery, narrow=(running,),
                  sortable=("title", "starts_on", "ends_on", "created_at"), order=("-starts_on",))
CAMPAIGNS.read("get_campaign", "Read a campaign", schemas.CampaignPath)
CAMPAIGNS.change("update_campaign", "Change a campaign (send If-Match)", schemas.CampaignPath, schemas.CampaignUpdate,
                 changes(operations.update_campaign))


def serialize_material(material: Material) -> dict:
    status = MaterialStatus(material.status)
    return schemas.MaterialOut.model_validate({
        **{name: getattr(material, name) for name in schemas.MaterialOut.model_fields
           if name not in ("missing_languages", "allowed_actions")},
        "missing_languages": missing_languages(material.texts),
        "allowed_actions": MATERIAL_LIFECYCLE.allowed_actions(status)}).model_dump(mode="json")


def edit_material(uow: UnitOfWork, ids: tuple[str, ...], body: schemas.MaterialUpdate) -> Material:
    texts = body.texts.model_dump(exclude_unset=True, exclude_none=True) if body.texts else {}
    return operations.update_material(uow, *ids, body.model_dump(mode="json", exclude_unset=True), texts, if_match())


MATERIALS = Resource(campaigns_api, "/materials", "material_id", Material, schemas.MaterialOut, READERS, WRITERS,
                     serialize=serialize_material)
MATERIALS.create("create_material", "Draft a press release or material", schemas.MaterialCreate,
                 lambda uow, ids, body: operations.create_material(uow, body.kind.value, body.campaign_id,
                                                                   body.texts.model_dump(exclude_none=True)))
MATERIALS.listing("list_materials", "List materials", schemas.MaterialQuery, filters=("campaign_id", "kind", "status"),
                  sortable=("created_at", "published_at", "status", "kind"), order=("-created_at",))
MATERIALS.read("get_material", "Read a material with its language versions", schemas.MaterialPath)
MATERIALS.change("update_material", "Edit a draft material (send If-Match)", schemas.MaterialPath,
                 schemas.MaterialUpdate, edit_material, problems=(404, 409, 412))
MATERIALS.transitions(schemas.MaterialPath, operations.move_material, MATERIAL_LIFECYCLE,
                      {action: f"{action.capitalize()} a material (send If-Match)"
                       for action in MATERIAL_LIFECYCLE.transitions}, body=schemas.Decision)


@campaigns_api.errorhandler(MissingLanguages)
def on_missing_languages(error: MissingLanguages):
    return Problem("validation", str(error), errors=[
        {"field": f"texts.{language}", "message": "missing"} for language in error.missing]).to_response()


@campaigns_api.errorhandler(SameReviewer)
def on_same_reviewer(error: SameReviewer):
    return Problem("four-eyes", str(error)).to_response()
