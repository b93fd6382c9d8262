"""Media contacts and their accreditations (personal data: never in events or audit records)."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api.campaign_schemas import Decision
from services.outreach.api.common import (
    CONTACT_DETAILS,
    READERS,
    WRITERS,
    as_caller_may_see,
    masked,
    personal_record_response,
)
from services.outreach.api.press_schemas import (
    AccreditationCreate,
    AccreditationOut,
    AccreditationPath,
    AccreditationQuery,
    MediaContactCreate,
    MediaContactOut,
    MediaContactPath,
    MediaContactQuery,
    MediaContactUpdate,
)
from services.outreach.domain.campaigns import ACCREDITATION_LIFECYCLE
from services.outreach.operations import press as operations
from services.outreach.store.models import Accreditation, MediaContact
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

press_api = APIBlueprint("press", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                         abp_responses=problem_responses(401, 403, 422),
                         abp_tags=[Tag(name="press", description="Media contacts and accreditations")])


def serialize_contact(contact: MediaContact) -> dict:
    return MediaContactOut.model_validate(contact).model_dump(mode="json")


@press_api.post("/media-contacts", summary="Add a media contact",
                responses={201: MediaContactOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_media_contact(body: MediaContactCreate):
    with unit_of_work() as uow:
        contact = operations.add_media_contact(uow, body.model_dump(), body.model_fields_set)
        return created(uow, as_caller_may_see(serialize_contact(contact)), f"/api/v1/media-contacts/{contact.id}",
                       contact.version)


@press_api.get("/media-contacts", summary="List media contacts (e-mail and phone masked: read one to see them)",
               responses={200: Page[MediaContactOut]})
@allow(*READERS)
def list_media_contacts(query: MediaContactQuery):
    statement = select(MediaContact)
    statement = where_set(statement, MediaContact, query, ("outlet", "country"))
    statement = sort_by(statement, query.sort, MediaContact, ("name", "outlet", "country", "created_at"),
                        [MediaContact.outlet, MediaContact.name, MediaContact.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query,
                                      lambda contact: masked(serialize_contact(contact), CONTACT_DETAILS, False)))


@press_api.get("/media-contacts/<contact_id>",
               summary="Read a media contact (e-mail and phone masked unless the role may read personal data)",
               responses={200: MediaContactOut, **problem_responses(404)})
@allow(*READERS)
def get_media_contact(path: MediaContactPath):
    with read_only() as session:
        contact = find(session, MediaContact, path.contact_id, "media contact")
        return personal_record_response(serialize_contact(contact), contact.version, "media-contact")


@press_api.patch("/media-contacts/<contact_id>", summary="Change a media contact (send If-Match)",
                 responses={200: MediaContactOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_media_contact(path: MediaContactPath, body: MediaContactUpdate):
    with unit_of_work() as uow:
        contact = operations.update_media_contact(uow, path.contact_id, body.model_dump(exclude_unset=True), if_match())
        return record_response(as_caller_may_see(serialize_contact(contact)), contact.version)


@press_api.delete("/media-contacts/<contact_id>", summary="Remove a media contact who has no accreditations "
                  "(send If-Match)", responses={204: None, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def delete_media_contact(path: MediaContactPath):
    with unit_of_work() as uow:
        operations.remove_media_contact(uow, path.contact_id, if_match())
    return Response(status=204)


# --- accreditations ---

def serialize_accreditation(accreditation: Accreditation) -> dict:
    return AccreditationOut.model_validate(accreditation).model_dump(mode="json")


@press_api.post("/media-contacts/<contact_id>/accreditations", summary="Request an accreditation for a contact",
                responses={201: AccreditationOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def request_accreditation(path: MediaContactPath, body: AccreditationCreate):
    with unit_of_work() as uow:
        accreditation = operations.request_accreditation(uow, path.contact_id, body.model_dump(),
                                                         body.model_dump(mode="json"))
        return created(uow, serialize_accreditation(accreditation), f"/api/v1/accreditations/{accreditation.id}",
                       accreditation.version)


@press_api.get("/accreditations", summary="List accreditations", responses={200: Page[AccreditationOut]})
@allow(*READERS)
def list_accreditations(query: AccreditationQuery):
    statement = select(Accreditation)
    statement = where_set(statement, Accreditation, query, ("status", "campaign_id", "media_contact_id"))
    if query.on:
        statement = statement.where(Accreditation.valid_from <= query.on, Accreditation.valid_until >= query.on)
    statement = sort_by(statement, query.sort, Accreditation, ("valid_from", "valid_until", "status", "event_name"),
                        [Accreditation.valid_from, Accreditation.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize_accreditation))


@press_api.get("/accreditations/<accreditation_id>", summary="Read an accreditation",
               responses={200: AccreditationOut, **problem_responses(404)})
@allow(*READERS)
def get_accreditation(path: AccreditationPath):
    with read_only() as session:
        accreditation = find(session, Accreditation, path.accreditation_id, "accreditation")
        return record_response(serialize_accreditation(accreditation), accreditation.version)


def _accreditation_transition(action: str):
    def transition(path: AccreditationPath, body: Decision):
        with unit_of_work() as uow:
            accreditation = operations.move_accreditation(uow, path.accreditation_id, action, body.reason, if_match())
            return record_response(serialize_accreditation(accreditation), accreditation.version)

    transition.__name__ = f"{action}_accreditation"
    return transition


for _action in ACCREDITATION_LIFECYCLE.transitions:
    press_api.post(f"/accreditations/<accreditation_id>/{_action}",
                   summary=f"{_action.capitalize()} an accreditation (send If-Match)",
                   responses={200: AccreditationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*WRITERS)(_accreditation_transition(_action)))
