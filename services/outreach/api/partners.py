"""Partners abroad, the relationships the city keeps with them, and their contact people."""

from __future__ import annotations

from sqlalchemy import Select, select

from services.outreach.api import partner_schemas as schemas
from services.outreach.api.common import (
    CONTACT_DETAILS,
    READERS,
    WRITERS,
    as_caller_may_see,
    masked,
    personal_record_response,
    today,
)
from services.outreach.domain.partners import search_key
from services.outreach.operations import partners as operations
from services.outreach.store.models import Partner, PartnerContact, PartnerRelationship
from shared.http.records import if_match
from shared.http.resources import PageQuery
from shared.http.views import Resource, blueprint, changes, fields, versioned

partners_api = blueprint("partners", __name__, "Foreign cities, regions, capitals and authorities, and the city's "
                                               "ties with them")


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def found(statement: Select, query: schemas.PartnerQuery) -> Select:
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
    return statement


PARTNERS = Resource(partners_api, "/partners", "partner_id", Partner, schemas.PartnerOut, READERS, WRITERS)
PARTNERS.create("create_partner", "Register a partner abroad", schemas.PartnerCreate,
                lambda uow, ids, body: operations.add_partner(uow, body.model_dump(mode="json"),
                                                              body.model_dump(mode="json")), problems=(404,))
PARTNERS.listing("list_partners", "List and search partners", schemas.PartnerQuery, narrow=(found,),
                 sortable=("name", "country", "kind", "created_at"), order=("name",))
PARTNERS.read("get_partner", "Read a partner", schemas.PartnerPath)
PARTNERS.change("update_partner", "Change a partner's details (send If-Match)", schemas.PartnerPath,
                schemas.PartnerUpdate,
                lambda uow, ids, body: operations.update_partner(uow, *ids, body.model_dump(mode="json",
                                                                                            exclude_unset=True),
                                                                 if_match()))

RELATIONSHIPS = Resource(partners_api, "/partners/<partner_id>/relationships", "relationship_id", PartnerRelationship,
                         schemas.RelationshipOut, READERS, WRITERS)
RELATIONSHIPS.create("create_relationship", "Record a relationship with a partner", schemas.RelationshipCreate,
                     fields(operations.establish_relationship), path=schemas.PartnerPath, problems=(404, 409))
RELATIONSHIPS.listing("list_relationships", "List a partner's relationships", PageQuery, path=schemas.PartnerPath,
                      parent=PARTNERS.find, sortable=("established_on", "ended_on", "type"), order=("established_on",))
RELATIONSHIPS.read("get_relationship", "Read a relationship", schemas.RelationshipPath)
RELATIONSHIPS.change("update_relationship",
                     "Change a relationship's dates or basis, or end it with `ended_on` (send If-Match)",
                     schemas.RelationshipPath, schemas.RelationshipUpdate, changes(operations.update_relationship),
                     problems=(404, 412, 409))

# --- contact people (personal data: never in events; e-mail and phone encrypted, masked, reads audited) ---

CONTACTS = Resource(partners_api, "/partners/<partner_id>/contacts", "contact_id", PartnerContact, schemas.ContactOut,
                    READERS, WRITERS,
                    serialize=lambda contact: as_caller_may_see(schemas.ContactOut.model_validate(contact)
                                                                .model_dump(mode="json")),
                    listed=lambda contact: masked(schemas.ContactOut.model_validate(contact).model_dump(mode="json"),
                                                  CONTACT_DETAILS, False))
CONTACTS.create("create_contact", "Add a contact person at a partner", schemas.ContactCreate,
                lambda uow, ids, body: operations.add_partner_contact(uow, *ids, body.model_dump(),
                                                                      body.model_fields_set),
                path=schemas.PartnerPath, problems=(404,))
CONTACTS.listing("list_contacts", "List a partner's contact people (e-mail and phone masked: read one to see them)",
                 PageQuery, path=schemas.PartnerPath, parent=PARTNERS.find, sortable=("name", "position", "created_at"),
                 order=("name",))
CONTACTS.read("get_contact", "Read a contact person (e-mail and phone masked unless the role may read personal data)",
              schemas.ContactPath,
              answer=lambda contact: personal_record_response(
                  schemas.ContactOut.model_validate(contact).model_dump(mode="json"), contact.version,
                  "partner-contact"))
CONTACTS.change("update_contact", "Change a contact person (send If-Match)", schemas.ContactPath,
                schemas.ContactUpdate,
                lambda uow, ids, body: operations.update_contact(uow, *ids, body.model_dump(exclude_unset=True),
                                                                 if_match()))
CONTACTS.remove("delete_contact", "Remove a contact person (send If-Match)", schemas.ContactPath,
                versioned(operations.remove_contact))
