"""Partners abroad, the relationships the city keeps with them, and their contact people."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api.common import (
    CONTACT_DETAILS,
    READERS,
    WRITERS,
    as_caller_may_see,
    masked,
    personal_record_response,
    today,
)
from services.outreach.api.partner_schemas import (
    ContactCreate,
    ContactOut,
    ContactPath,
    ContactUpdate,
    PartnerCreate,
    PartnerOut,
    PartnerPath,
    PartnerQuery,
    PartnerUpdate,
    RelationshipCreate,
    RelationshipOut,
    RelationshipPath,
    RelationshipUpdate,
)
from services.outreach.domain.partners import search_key
from services.outreach.operations import partners as operations
from services.outreach.store.models import Partner, PartnerContact, PartnerRelationship
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, created, idempotent, json_response, paginate, sort_by
from shared.http.work import read_only, unit_of_work

partners_api = APIBlueprint("partners", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="partners", description="Foreign cities, regions, capitals and "
                                                                       "authorities, and the city's ties with them")])
CREATED = {201: None, **problem_responses(404, *BODY_PROBLEMS)}
UPDATED = problem_responses(404, 412, *BODY_PROBLEMS)


# --- partners ---

def serialize_partner(partner: Partner) -> dict:
    return PartnerOut.model_validate(partner).model_dump(mode="json")


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@partners_api.post("/partners", summary="Register a partner abroad",
                   responses={**CREATED, 201: PartnerOut})
@allow(*WRITERS)
@idempotent
def create_partner(body: PartnerCreate):
    with unit_of_work() as uow:
        partner = operations.add_partner(uow, body.model_dump(mode="json"), body.model_dump(mode="json"))
        return created(uow, serialize_partner(partner), f"/api/v1/partners/{partner.id}", partner.version)


@partners_api.get("/partners", summary="List and search partners", responses={200: Page[PartnerOut]})
@allow(*READERS)
def list_partners(query: PartnerQuery):
    statement = select(Partner)
    if query.q:
        statement = statement.where(Partner.search_text.like(like_pattern(search_key(query.q)), escape="\\"))
    if query.kind:
        statement = statement.where(Partner.kind == query.kind.value)
    if query.country:
        statement = statement.where(Partner.country == query.country)
    if query.registry_id:
        statement = statement.where(Partner.registry_id == query.registry_id)
    if query.relationship:
        day = query.on or today()
        holding = select(PartnerRelationship.partner_id).where(
            PartnerRelationship.type == query.relationship.value, PartnerRelationship.established_on <= day,
            (PartnerRelationship.ended_on.is_(None)) | (PartnerRelationship.ended_on >= day))
        statement = statement.where(Partner.id.in_(holding))
    statement = sort_by(statement, query.sort, Partner, ("name", "country", "kind", "created_at"),
                        [Partner.name, Partner.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize_partner))


@partners_api.get("/partners/<partner_id>", summary="Read a partner",
                  responses={200: PartnerOut, **problem_responses(404)})
@allow(*READERS)
def get_partner(path: PartnerPath):
    with read_only() as session:
        partner = find(session, Partner, path.partner_id, "partner")
        return record_response(serialize_partner(partner), partner.version)


@partners_api.patch("/partners/<partner_id>", summary="Change a partner's details (send If-Match)",
                    responses={200: PartnerOut, **UPDATED})
@allow(*WRITERS)
def update_partner(path: PartnerPath, body: PartnerUpdate):
    with unit_of_work() as uow:
        partner = operations.update_partner(uow, path.partner_id, body.model_dump(mode="json", exclude_unset=True),
                                            if_match())
        return record_response(serialize_partner(partner), partner.version)


# --- relationships ---

def serialize_relationship(relationship: PartnerRelationship) -> dict:
    return RelationshipOut.model_validate(relationship).model_dump(mode="json")


@partners_api.post("/partners/<partner_id>/relationships", summary="Record a relationship with a partner",
                   responses={**CREATED, 201: RelationshipOut, **problem_responses(409)})
@allow(*WRITERS)
@idempotent
def create_relationship(path: PartnerPath, body: RelationshipCreate):
    with unit_of_work() as uow:
        relationship = operations.establish_relationship(uow, path.partner_id, body.model_dump(),
                                                         body.model_dump(mode="json"))
        return created(uow, serialize_relationship(relationship),
                       f"/api/v1/partners/{path.partner_id}/relationships/{relationship.id}", relationship.version)


@partners_api.get("/partners/<partner_id>/relationships", summary="List a partner's relationships",
                  responses={200: Page[RelationshipOut], **problem_responses(404)})
@allow(*READERS)
def list_relationships(path: PartnerPath, query: PageQuery):
    statement = select(PartnerRelationship).where(PartnerRelationship.partner_id == path.partner_id)
    statement = sort_by(statement, query.sort, PartnerRelationship, ("established_on", "ended_on", "type"),
                        [PartnerRelationship.established_on, PartnerRelationship.id])
    with read_only() as session:
        find(session, Partner, path.partner_id, "partner")
        return json_response(paginate(session, statement, query, serialize_relationship))


@partners_api.get("/partners/<partner_id>/relationships/<relationship_id>", summary="Read a relationship",
                  responses={200: RelationshipOut, **problem_responses(404)})
@allow(*READERS)
def get_relationship(path: RelationshipPath):
    with read_only() as session:
        relationship = operations.find_relationship(session, path.partner_id, path.relationship_id)
        return record_response(serialize_relationship(relationship), relationship.version)


@partners_api.patch("/partners/<partner_id>/relationships/<relationship_id>",
                    summary="Change a relationship's dates or basis, or end it with `ended_on` (send If-Match)",
                    responses={200: RelationshipOut, **UPDATED, **problem_responses(409)})
@allow(*WRITERS)
def update_relationship(path: RelationshipPath, body: RelationshipUpdate):
    with unit_of_work() as uow:
        relationship = operations.update_relationship(
            uow, path.partner_id, path.relationship_id, body.model_dump(exclude_unset=True),
            body.model_dump(mode="json", exclude_unset=True), if_match())
        return record_response(serialize_relationship(relationship), relationship.version)


# --- contact people (personal data: never in events; e-mail and phone encrypted, masked, reads audited) ---

def serialize_contact(contact: PartnerContact) -> dict:
    return ContactOut.model_validate(contact).model_dump(mode="json")


@partners_api.post("/partners/<partner_id>/contacts", summary="Add a contact person at a partner",
                   responses={**CREATED, 201: ContactOut})
@allow(*WRITERS)
@idempotent
def create_contact(path: PartnerPath, body: ContactCreate):
    with unit_of_work() as uow:
        contact = operations.add_partner_contact(uow, path.partner_id, body.model_dump(), body.model_fields_set)
        return created(uow, as_caller_may_see(serialize_contact(contact)),
                       f"/api/v1/partners/{path.partner_id}/contacts/{contact.id}", contact.version)


@partners_api.get("/partners/<partner_id>/contacts",
                  summary="List a partner's contact people (e-mail and phone masked: read one to see them)",
                  responses={200: Page[ContactOut], **problem_responses(404)})
@allow(*READERS)
def list_contacts(path: PartnerPath, query: PageQuery):
    statement = select(PartnerContact).where(PartnerContact.partner_id == path.partner_id)
    statement = sort_by(statement, query.sort, PartnerContact, ("name", "position", "created_at"),
                        [PartnerContact.name, PartnerContact.id])
    with read_only() as session:
        find(session, Partner, path.partner_id, "partner")
        return json_response(paginate(session, statement, query,
                                      lambda contact: masked(serialize_contact(contact), CONTACT_DETAILS, False)))


@partners_api.get("/partners/<partner_id>/contacts/<contact_id>",
                  summary="Read a contact person (e-mail and phone masked unless the role may read personal data)",
                  responses={200: ContactOut, **problem_responses(404)})
@allow(*READERS)
def get_contact(path: ContactPath):
    with read_only() as session:
        contact = operations.find_contact(session, path.partner_id, path.contact_id)
        return personal_record_response(serialize_contact(contact), contact.version, "partner-contact")


@partners_api.patch("/partners/<partner_id>/contacts/<contact_id>", summary="Change a contact person (send If-Match)",
                    responses={200: ContactOut, **UPDATED})
@allow(*WRITERS)
def update_contact(path: ContactPath, body: ContactUpdate):
    with unit_of_work() as uow:
        contact = operations.update_contact(uow, path.partner_id, path.contact_id, body.model_dump(exclude_unset=True),
                                            if_match())
        return record_response(as_caller_may_see(serialize_contact(contact)), contact.version)


@partners_api.delete("/partners/<partner_id>/contacts/<contact_id>",
                     summary="Remove a contact person (send If-Match)",
                     responses={204: None, **problem_responses(404, 412)})
@allow(*WRITERS)
def delete_contact(path: ContactPath):
    with unit_of_work() as uow:
        operations.remove_contact(uow, path.partner_id, path.contact_id, if_match())
    return Response(status=204)
