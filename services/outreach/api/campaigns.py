"""Information campaigns and their materials (press releases, printed and audio-visual) in en/ru/bg."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import func, select

from services.outreach.api.campaign_schemas import (
    CampaignCreate,
    CampaignOut,
    CampaignPath,
    CampaignQuery,
    CampaignUpdate,
    Decision,
    MaterialCreate,
    MaterialOut,
    MaterialPath,
    MaterialQuery,
    MaterialUpdate,
)
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
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

campaigns_api = APIBlueprint("campaigns", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="campaigns", description="Information campaigns, press releases "
                                                                         "and materials in English, Russian and "
                                                                         "Bulgarian, reviewed before publication")])
CHANGE_PROBLEMS = problem_responses(404, 409, 412, *BODY_PROBLEMS)


# --- campaigns ---

def serialize_campaign(campaign: Campaign) -> dict:
    return CampaignOut.model_validate(campaign).model_dump(mode="json")


@campaigns_api.post("/campaigns", summary="Plan an information campaign",
                    responses={201: CampaignOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_campaign(body: CampaignCreate):
    with unit_of_work() as uow:
        campaign = operations.create_campaign(uow, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize_campaign(campaign), f"/api/v1/campaigns/{campaign.id}", campaign.version)


@campaigns_api.get("/campaigns", summary="List campaigns", responses={200: Page[CampaignOut]})
@allow(*READERS)
def list_campaigns(query: CampaignQuery):
    statement = select(Campaign)
    if query.q:
        statement = statement.where(func.lower(Campaign.title).contains(query.q.lower(), autoescape=True))
    if query.on:
        statement = statement.where(Campaign.starts_on <= query.on, Campaign.ends_on >= query.on)
    if query.partner_id:
        statement = statement.where(Campaign.partner_id == query.partner_id)
    statement = sort_by(statement, query.sort, Campaign, ("title", "starts_on", "ends_on", "created_at"),
                        [Campaign.starts_on.desc(), Campaign.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize_campaign))


@campaigns_api.get("/campaigns/<campaign_id>", summary="Read a campaign",
                   responses={200: CampaignOut, **problem_responses(404)})
@allow(*READERS)
def get_campaign(path: CampaignPath):
    with read_only() as session:
        campaign = find(session, Campaign, path.campaign_id, "campaign")
        return record_response(serialize_campaign(campaign), campaign.version)


@campaigns_api.patch("/campaigns/<campaign_id>", summary="Change a campaign (send If-Match)",
                     responses={200: CampaignOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_campaign(path: CampaignPath, body: CampaignUpdate):
    with unit_of_work() as uow:
        campaign = operations.update_campaign(uow, path.campaign_id, body.model_dump(exclude_unset=True),
                                              body.model_dump(mode="json", exclude_unset=True), if_match())
        return record_response(serialize_campaign(campaign), campaign.version)


# --- materials ---

def serialize_material(material: Material) -> dict:
    status = MaterialStatus(material.status)
    return MaterialOut.model_validate({
        **{name: getattr(material, name) for name in MaterialOut.model_fields
           if name not in ("missing_languages", "allowed_actions")},
        "missing_languages": missing_languages(material.texts),
        "allowed_actions": MATERIAL_LIFECYCLE.allowed_actions(status)}).model_dump(mode="json")


@campaigns_api.post("/materials", summary="Draft a press release or material",
                    responses={201: MaterialOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_material(body: MaterialCreate):
    with unit_of_work() as uow:
        material = operations.create_material(uow, body.kind.value, body.campaign_id,
                                              body.texts.model_dump(exclude_none=True))
        return created(uow, serialize_material(material), f"/api/v1/materials/{material.id}", material.version)


@campaigns_api.get("/materials", summary="List materials", responses={200: Page[MaterialOut]})
@allow(*READERS)
def list_materials(query: MaterialQuery):
    statement = select(Material)
    statement = where_set(statement, Material, query, ("campaign_id", "kind", "status"))
    statement = sort_by(statement, query.sort, Material, ("created_at", "published_at", "status", "kind"),
                        [Material.created_at.desc(), Material.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize_material))


@campaigns_api.get("/materials/<material_id>", summary="Read a material with its language versions",
                   responses={200: MaterialOut, **problem_responses(404)})
@allow(*READERS)
def get_material(path: MaterialPath):
    with read_only() as session:
        material = find(session, Material, path.material_id, "material")
        return record_response(serialize_material(material), material.version)


@campaigns_api.patch("/materials/<material_id>", summary="Edit a draft material (send If-Match)",
                     responses={200: MaterialOut, **CHANGE_PROBLEMS})
@allow(*WRITERS)
def update_material(path: MaterialPath, body: MaterialUpdate):
    texts = body.texts.model_dump(exclude_unset=True, exclude_none=True) if body.texts else {}
    with unit_of_work() as uow:
        material = operations.update_material(uow, path.material_id, body.model_dump(mode="json", exclude_unset=True),
                                              texts, if_match())
        return record_response(serialize_material(material), material.version)


def _material_transition(action: str):
    def transition(path: MaterialPath, body: Decision):
        with unit_of_work() as uow:
            material = operations.move_material(uow, path.material_id, action, body.reason, if_match())
            return record_response(serialize_material(material), material.version)

    transition.__name__ = f"{action}_material"
    return transition


for _action in MATERIAL_LIFECYCLE.transitions:
    campaigns_api.post(f"/materials/<material_id>/{_action}", summary=f"{_action.capitalize()} a material "
                       "(send If-Match)", responses={200: MaterialOut, **CHANGE_PROBLEMS})(
        allow(*WRITERS)(_material_transition(_action)))


@campaigns_api.errorhandler(MissingLanguages)
def on_missing_languages(error: MissingLanguages):
    return Problem("validation", str(error), errors=[
        {"field": f"texts.{language}", "message": "missing"} for language in error.missing]).to_response()


@campaigns_api.errorhandler(SameReviewer)
def on_same_reviewer(error: SameReviewer):
    return Problem("four-eyes", str(error)).to_response()
