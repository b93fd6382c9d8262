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
from services.outreach.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    apply_changes,
    conflict,
    find,
    invalid,
    record_change,
    record_response,
)
from services.outreach.domain.campaigns import (
    MATERIAL_EVENT_ACTION,
    MATERIAL_TRANSITIONS,
    MaterialStatus,
    MissingLanguages,
    NotEditable,
    SameReviewer,
    check_editable,
    check_transition,
    missing_languages,
)
from services.outreach.domain.lifecycle import IllegalTransition, MissingReason, allowed
from services.outreach.store.models import Campaign, Material
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
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


def campaign_event(campaign: Campaign) -> dict:
    body = serialize_campaign(campaign)
    return {name: body[name] for name in ("id", "title", "audiences", "channels", "starts_on", "ends_on",
                                          "partner_id", "version")}


@campaigns_api.post("/campaigns", summary="Plan an information campaign",
                    responses={201: CampaignOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_campaign(body: CampaignCreate):
    with unit_of_work() as uow:
        campaign = Campaign(**body.model_dump(), version=1, created_by=uow.actor)
        uow.session.add(campaign)
        record_change(uow, "campaign", "created", campaign, campaign_event, body.model_dump(mode="json"))
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
    sortable = {name: getattr(Campaign, name) for name in ("title", "starts_on", "ends_on", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Campaign.starts_on.desc(), Campaign.id])
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
    changes = body.model_dump(exclude_unset=True)
    for name in set(changes) - {"partner_id"}:
        if changes[name] is None:
            raise invalid(name, f"{name} cannot be cleared")
    with unit_of_work() as uow:
        campaign = find(uow.session, Campaign, path.campaign_id, "campaign")
        require_fresh(campaign.version)
        if changes:
            apply_changes(campaign, changes)
            if campaign.ends_on < campaign.starts_on:
                raise invalid("ends_on", "a campaign must not end before it starts")
            record_change(uow, "campaign", "updated", campaign, campaign_event,
                          body.model_dump(mode="json", exclude_unset=True))
        return record_response(serialize_campaign(campaign), campaign.version)


# --- materials ---

def serialize_material(material: Material) -> dict:
    status = MaterialStatus(material.status)
    return MaterialOut.model_validate({
        **{name: getattr(material, name) for name in MaterialOut.model_fields
           if name not in ("missing_languages", "allowed_actions")},
        "missing_languages": missing_languages(material.texts),
        "allowed_actions": allowed(MATERIAL_TRANSITIONS, status)}).model_dump(mode="json")


def material_event(material: Material) -> dict:
    return {"id": material.id, "campaign_id": material.campaign_id, "kind": material.kind, "status": material.status,
            "titles": {language: text["title"] for language, text in material.texts.items() if text},
            "version": material.version}


def check_campaign(session, campaign_id: str | None) -> None:
    if campaign_id is not None and session.get(Campaign, campaign_id) is None:
        raise invalid("campaign_id", f"no campaign {campaign_id}")


@campaigns_api.post("/materials", summary="Draft a press release or material",
                    responses={201: MaterialOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_material(body: MaterialCreate):
    with unit_of_work() as uow:
        check_campaign(uow.session, body.campaign_id)
        material = Material(kind=body.kind.value, campaign_id=body.campaign_id,
                            texts=body.texts.model_dump(exclude_none=True), status=MaterialStatus.DRAFT.value,
                            version=1, created_by=uow.actor)
        uow.session.add(material)
        record_change(uow, "material", "created", material, material_event,
                      {"kind": body.kind.value, "campaign_id": body.campaign_id,
                       "languages": sorted(material.texts)})
        return created(uow, serialize_material(material), f"/api/v1/materials/{material.id}", material.version)


@campaigns_api.get("/materials", summary="List materials", responses={200: Page[MaterialOut]})
@allow(*READERS)
def list_materials(query: MaterialQuery):
    statement = select(Material)
    for name in ("campaign_id", "kind", "status"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Material, name) == value)
    sortable = {name: getattr(Material, name) for name in ("created_at", "published_at", "status", "kind")}
    statement = apply_sort(statement, query.sort, sortable, [Material.created_at.desc(), Material.id])
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
    changes = body.model_dump(mode="json", exclude_unset=True)
    for name in ("kind", "texts"):
        if name in changes and changes[name] is None:
            raise invalid(name, f"{name} cannot be cleared")
    with unit_of_work() as uow:
        material = find(uow.session, Material, path.material_id, "material")
        require_fresh(material.version)
        try:
            check_editable(MaterialStatus(material.status))
        except NotEditable as error:
            raise conflict(str(error), allowed(MATERIAL_TRANSITIONS, error.status)) from error
        if not changes:
            return record_response(serialize_material(material), material.version)
        if "campaign_id" in changes:
            check_campaign(uow.session, changes["campaign_id"])
        texts = body.texts.model_dump(exclude_unset=True, exclude_none=True) if body.texts else {}
        changes.pop("texts", None)
        apply_changes(material, {**changes, "texts": {**material.texts, **texts}})
        record_change(uow, "material", "updated", material, material_event,
                      {**changes, "languages": sorted(texts)})
        return record_response(serialize_material(material), material.version)


def _material_transition(action: str):
    def transition(path: MaterialPath, body: Decision):
        with unit_of_work() as uow:
            material = find(uow.session, Material, path.material_id, "material")
            require_fresh(material.version)
            try:
                target = check_transition(MaterialStatus(material.status), action, body.reason, material.texts,
                                          material.submitted_by, uow.actor)
            except IllegalTransition as error:
                raise conflict(str(error), error.allowed) from error
            except MissingReason as error:
                raise invalid("reason", str(error)) from error
            except MissingLanguages as error:
                raise Problem(422, "The request is not valid", str(error), slug="validation", errors=[
                    {"field": f"texts.{language}", "message": "missing"} for language in error.missing]) from error
            except SameReviewer as error:
                raise Problem(403, "Your roles do not allow this", str(error), slug="four-eyes") from error
            previous = material.status
            material.status, material.status_reason, material.version = target.value, body.reason, \
                material.version + 1
            if action == "submit":
                material.submitted_by = uow.actor
            if action == "publish":
                material.published_by, material.published_at = uow.actor, utcnow()
            record_change(uow, "material", MATERIAL_EVENT_ACTION[action], material, material_event,
                          {"status": [previous, target.value], "reason": body.reason})
            return record_response(serialize_material(material), material.version)

    transition.__name__ = f"{action}_material"
    return transition


for _action in MATERIAL_TRANSITIONS:
    campaigns_api.post(f"/materials/<material_id>/{_action}", summary=f"{_action.capitalize()} a material "
                       "(send If-Match)", responses={200: MaterialOut, **CHANGE_PROBLEMS})(
        allow(*WRITERS)(_material_transition(_action)))
