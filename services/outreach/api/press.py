"""Media contacts and their accreditations (personal data: never in events or audit records)."""

from __future__ import annotations

from sqlalchemy import Select

from services.outreach.api import press_schemas as schemas
from services.outreach.api.campaign_schemas import Decision
from services.outreach.api.common import (
    CONTACT_DETAILS,
    READERS,
    WRITERS,
    as_caller_may_see,
    masked,
    personal_record_response,
)
from services.outreach.domain.campaigns import ACCREDITATION_LIFECYCLE
from services.outreach.operations import press as operations
from services.outreach.store.models import Accreditation, MediaContact
from shared.http.records import if_match
from shared.http.views import Resource, blueprint, fields, versioned

press_api = blueprint("press", __name__, "Media contacts and accreditations")


def contact_data(contact: MediaContact) -> dict:
    return schemas.MediaContactOut.model_validate(contact).model_dump(mode="json")


CONTACTS = Resource(press_api, "/media-contacts", "contact_id", MediaContact, schemas.MediaContactOut, READERS,
                    WRITERS, label="media contact", serialize=lambda contact: as_caller_may_see(contact_data(contact)),
                    listed=lambda contact: masked(contact_data(contact), CONTACT_DETAILS, False))
CONTACTS.create("create_media_contact", "Add a media contact", schemas.MediaContactCreate,
                lambda uow, ids, body: operations.add_media_contact(uow, body.model_dump(), body.model_fields_set))
CONTACTS.listing("list_media_contacts", "List media contacts (e-mail and phone masked: read one to see them)",
                 schemas.MediaContactQuery, filters=("outlet", "country"),
                 sortable=("name", "outlet", "country", "created_at"), order=("outlet", "name"))
CONTACTS.read("get_media_contact",
              "Read a media contact (e-mail and phone masked unless the role may read personal data)",
              schemas.MediaContactPath,
              answer=lambda contact: personal_record_response(contact_data(contact), contact.version, "media-contact"))
CONTACTS.change("update_media_contact", "Change a media contact (send If-Match)", schemas.MediaContactPath,
                schemas.MediaContactUpdate,
                lambda uow, ids, body: operations.update_media_contact(uow, *ids, body.model_dump(exclude_unset=True),
                                                                       if_match()))
CONTACTS.remove("delete_media_contact", "Remove a media contact who has no accreditations (send If-Match)",
                schemas.MediaContactPath, versioned(operations.remove_media_contact), problems=(404, 409, 412))


# --- accreditations ---

def valid_on(statement: Select, query: schemas.AccreditationQuery) -> Select:
    if query.on:
        statement = statement.where(Accreditation.valid_from <= query.on, Accreditation.valid_until >= query.on)
    return statement


ACCREDITATIONS = Resource(press_api, "/media-contacts/<contact_id>/accreditations", "accreditation_id", Accreditation,
                          schemas.AccreditationOut, READERS, WRITERS, home="/accreditations")
ACCREDITATIONS.create("request_accreditation", "Request an accreditation for a contact", schemas.AccreditationCreate,
                      fields(operations.request_accreditation), path=schemas.MediaContactPath, problems=(404,))
ACCREDITATIONS.listing("list_accreditations", "List accreditations", schemas.AccreditationQuery, at="/accreditations",
                       filters=("status", "campaign_id", "media_contact_id"), narrow=(valid_on,),
                       sortable=("valid_from", "valid_until", "status", "event_name"), order=("valid_from",))
ACCREDITATIONS.read("get_accreditation", "Read an accreditation", schemas.AccreditationPath)
ACCREDITATIONS.transitions(schemas.AccreditationPath, operations.move_accreditation,
                           ACCREDITATION_LIFECYCLE,
                           {action: f"{action.capitalize()} an accreditation (send If-Match)"
                            for action in ACCREDITATION_LIFECYCLE.transitions}, body=Decision)
