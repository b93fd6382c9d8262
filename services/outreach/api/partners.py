"""Partners abroad, the relationships the city keeps with them, and their contact people."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.outreach.api import clock
from services.outreach.api.common import (
    BODY_PROBLEMS,
    CONTACT_DETAILS,
    READERS,
    WRITERS,
    apply_changes,
    as_caller_may_see,
    find,
    invalid,
    masked,
    personal_record_response,
    record_change,
    record_response,
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
from services.outreach.domain.partners import (
    InvalidPeriod,
    OverlappingRelationship,
    Period,
    RelationshipType,
    check_no_overlap,
    search_key,
    search_text,
)
from services.outreach.store.models import Partner, PartnerContact, PartnerRelationship
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
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


def partner_event(partner: Partner) -> dict:
    body = serialize_partner(partner)
    return {name: body[name] for name in ("id", "kind", "name", "names", "country", "region", "version")}


def index_names(partner: Partner) -> None:
    partner.search_text = search_text([partner.name, *(entry["name"] for entry in partner.names)])


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@partners_api.post("/partners", summary="Register a partner abroad",
                   responses={**CREATED, 201: PartnerOut})
@allow(*WRITERS)
@idempotent
def create_partner(body: PartnerCreate):
    with unit_of_work() as uow:
        partner = Partner(**body.model_dump(mode="json"), version=1, created_by=uow.actor)
        index_names(partner)
        uow.session.add(partner)
        record_change(uow, "partner", "created", partner, partner_event, body.model_dump(mode="json"))
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
        day = query.on or clock.today()
        holding = select(PartnerRelationship.partner_id).where(
            PartnerRelationship.type == query.relationship.value, PartnerRelationship.established_on <= day,
            (PartnerRelationship.ended_on.is_(None)) | (PartnerRelationship.ended_on >= day))
        statement = statement.where(Partner.id.in_(holding))
    sortable = {name: getattr(Partner, name) for name in ("name", "country", "kind", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Partner.name, Partner.id])
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
    changes = body.model_dump(mode="json", exclude_unset=True)
    for required in ("kind", "name", "names", "country"):
        if required in changes and changes[required] is None:
            raise invalid(required, f"{required} cannot be cleared")
    with unit_of_work() as uow:
        partner = find(uow.session, Partner, path.partner_id, "partner")
        require_fresh(partner.version)
        if changes:
            apply_changes(partner, changes)
            index_names(partner)
            record_change(uow, "partner", "updated", partner, partner_event, changes)
        return record_response(serialize_partner(partner), partner.version)


# --- relationships ---

def serialize_relationship(relationship: PartnerRelationship) -> dict:
    return RelationshipOut.model_validate(relationship).model_dump(mode="json")


def relationship_event(relationship: PartnerRelationship) -> dict:
    body = serialize_relationship(relationship)
    return {name: body[name] for name in ("id", "partner_id", "type", "established_on", "ended_on", "version")}


def check_relationship(session: Session, relationship: PartnerRelationship) -> None:
    others = session.scalars(select(PartnerRelationship).where(
        PartnerRelationship.partner_id == relationship.partner_id, PartnerRelationship.id != relationship.id))
    try:
        period = Period(relationship.established_on, relationship.ended_on)
        check_no_overlap(RelationshipType(relationship.type), period,
                         [(RelationshipType(o.type), Period(o.established_on, o.ended_on)) for o in others])
    except InvalidPeriod as error:
        raise invalid("ended_on", str(error)) from error
    except OverlappingRelationship as error:
        raise Problem(409, "Overlaps another relationship", str(error), slug="overlapping-relationship") from error


@partners_api.post("/partners/<partner_id>/relationships", summary="Record a relationship with a partner",
                   responses={**CREATED, 201: RelationshipOut, **problem_responses(409)})
@allow(*WRITERS)
@idempotent
def create_relationship(path: PartnerPath, body: RelationshipCreate):
    with unit_of_work() as uow:
        find(uow.session, Partner, path.partner_id, "partner")
        relationship = PartnerRelationship(**body.model_dump(), partner_id=path.partner_id, version=1,
                                           created_by=uow.actor)
        check_relationship(uow.session, relationship)
        uow.session.add(relationship)
        record_change(uow, "partner-relationship", "established", relationship, relationship_event,
                      body.model_dump(mode="json"))
        return created(uow, serialize_relationship(relationship),
                       f"/api/v1/partners/{path.partner_id}/relationships/{relationship.id}", relationship.version)


@partners_api.get("/partners/<partner_id>/relationships", summary="List a partner's relationships",
                  responses={200: Page[RelationshipOut], **problem_responses(404)})
@allow(*READERS)
def list_relationships(path: PartnerPath, query: PageQuery):
    statement = select(PartnerRelationship).where(PartnerRelationship.partner_id == path.partner_id)
    sortable = {name: getattr(PartnerRelationship, name) for name in ("established_on", "ended_on", "type")}
    statement = apply_sort(statement, query.sort, sortable, [PartnerRelationship.established_on,
                                                             PartnerRelationship.id])
    with read_only() as session:
        find(session, Partner, path.partner_id, "partner")
        return json_response(paginate(session, statement, query, serialize_relationship))


def find_relationship(session: Session, path: RelationshipPath) -> PartnerRelationship:
    relationship = find(session, PartnerRelationship, path.relationship_id, "relationship")
    if relationship.partner_id != path.partner_id:
        raise Problem(404, "Not found", f"No relationship {path.relationship_id} with this partner", slug="not-found")
    return relationship


@partners_api.get("/partners/<partner_id>/relationships/<relationship_id>", summary="Read a relationship",
                  responses={200: RelationshipOut, **problem_responses(404)})
@allow(*READERS)
def get_relationship(path: RelationshipPath):
    with read_only() as session:
        relationship = find_relationship(session, path)
        return record_response(serialize_relationship(relationship), relationship.version)


@partners_api.patch("/partners/<partner_id>/relationships/<relationship_id>",
                    summary="Change a relationship's dates or basis, or end it with `ended_on` (send If-Match)",
                    responses={200: RelationshipOut, **UPDATED, **problem_responses(409)})
@allow(*WRITERS)
def update_relationship(path: RelationshipPath, body: RelationshipUpdate):
    changes = body.model_dump(exclude_unset=True)
    if "established_on" in changes and changes["established_on"] is None:
        raise invalid("established_on", "established_on cannot be cleared")
    with unit_of_work() as uow:
        relationship = find_relationship(uow.session, path)
        require_fresh(relationship.version)
        if changes:
            was_open = relationship.ended_on is None
            apply_changes(relationship, changes)
            check_relationship(uow.session, relationship)
            action = "ended" if was_open and relationship.ended_on is not None else "updated"
            record_change(uow, "partner-relationship", action, relationship, relationship_event,
                          body.model_dump(mode="json", exclude_unset=True))
        return record_response(serialize_relationship(relationship), relationship.version)


# --- contact people (personal data: never in events; e-mail and phone encrypted, masked, reads audited) ---

def serialize_contact(contact: PartnerContact) -> dict:
    return ContactOut.model_validate(contact).model_dump(mode="json")


def contact_event(contact: PartnerContact) -> dict:
    return {"id": contact.id, "partner_id": contact.partner_id, "position": contact.position,
            "version": contact.version}


def find_contact(session: Session, path: ContactPath) -> PartnerContact:
    contact = find(session, PartnerContact, path.contact_id, "contact")
    if contact.partner_id != path.partner_id:
        raise Problem(404, "Not found", f"No contact {path.contact_id} of this partner", slug="not-found")
    return contact


@partners_api.post("/partners/<partner_id>/contacts", summary="Add a contact person at a partner",
                   responses={**CREATED, 201: ContactOut})
@allow(*WRITERS)
@idempotent
def create_contact(path: PartnerPath, body: ContactCreate):
    with unit_of_work() as uow:
        find(uow.session, Partner, path.partner_id, "partner")
        contact = PartnerContact(**body.model_dump(), partner_id=path.partner_id, version=1, created_by=uow.actor)
        uow.session.add(contact)
        record_change(uow, "partner-contact", "added", contact, contact_event,
                      {"partner_id": path.partner_id, "fields": sorted(body.model_fields_set)})
        return created(uow, as_caller_may_see(serialize_contact(contact)),
                       f"/api/v1/partners/{path.partner_id}/contacts/{contact.id}", contact.version)


@partners_api.get("/partners/<partner_id>/contacts",
                  summary="List a partner's contact people (e-mail and phone masked: read one to see them)",
                  responses={200: Page[ContactOut], **problem_responses(404)})
@allow(*READERS)
def list_contacts(path: PartnerPath, query: PageQuery):
    statement = select(PartnerContact).where(PartnerContact.partner_id == path.partner_id)
    sortable = {name: getattr(PartnerContact, name) for name in ("name", "position", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [PartnerContact.name, PartnerContact.id])
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
        contact = find_contact(session, path)
        return personal_record_response(serialize_contact(contact), contact.version, "partner-contact")


@partners_api.patch("/partners/<partner_id>/contacts/<contact_id>", summary="Change a contact person (send If-Match)",
                    responses={200: ContactOut, **UPDATED})
@allow(*WRITERS)
def update_contact(path: ContactPath, body: ContactUpdate):
    changes = body.model_dump(exclude_unset=True)
    for required in ("name", "languages"):
        if required in changes and changes[required] is None:
            raise invalid(required, f"{required} cannot be cleared")
    with unit_of_work() as uow:
        contact = find_contact(uow.session, path)
        require_fresh(contact.version)
        if changes:
            apply_changes(contact, changes)
            record_change(uow, "partner-contact", "updated", contact, contact_event,
                          {"fields": sorted(changes)})
        return record_response(as_caller_may_see(serialize_contact(contact)), contact.version)


@partners_api.delete("/partners/<partner_id>/contacts/<contact_id>",
                     summary="Remove a contact person (send If-Match)",
                     responses={204: None, **problem_responses(404, 412)})
@allow(*WRITERS)
def delete_contact(path: ContactPath):
    with unit_of_work() as uow:
        contact = find_contact(uow.session, path)
        require_fresh(contact.version)
        data = contact_event(contact)
        uow.session.delete(contact)
        record_change(uow, "partner-contact", "removed", contact, lambda _: data, {"partner_id": path.partner_id})
        return Response(status=204)
