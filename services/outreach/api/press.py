"""Media contacts and their accreditations (personal data: never in events or audit records)."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.outreach.api.campaign_schemas import (
    AccreditationCreate,
    AccreditationOut,
    AccreditationPath,
    AccreditationQuery,
    Decision,
    MediaContactCreate,
    MediaContactOut,
    MediaContactPath,
    MediaContactQuery,
    MediaContactUpdate,
)
from services.outreach.api.common import (
    BODY_PROBLEMS,
    CONTACT_DETAILS,
    READERS,
    WRITERS,
    apply_changes,
    as_caller_may_see,
    conflict,
    find,
    invalid,
    masked,
    personal_record_response,
    record_change,
    record_response,
)
from services.outreach.domain.campaigns import (
    ACCREDITATION_EVENT_ACTION,
    ACCREDITATION_TRANSITIONS,
    REASON_REQUIRED,
    AccreditationStatus,
)
from services.outreach.domain.lifecycle import IllegalTransition, MissingReason, next_state
from services.outreach.store.models import Accreditation, Campaign, MediaContact
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work

press_api = APIBlueprint("press", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                         abp_responses=problem_responses(401, 403, 422),
                         abp_tags=[Tag(name="press", description="Media contacts and accreditations")])


def serialize_contact(contact: MediaContact) -> dict:
    return MediaContactOut.model_validate(contact).model_dump(mode="json")


def contact_event(contact: MediaContact) -> dict:
    return {"id": contact.id, "outlet": contact.outlet, "country": contact.country, "version": contact.version}


@press_api.post("/media-contacts", summary="Add a media contact",
                responses={201: MediaContactOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def create_media_contact(body: MediaContactCreate):
    with unit_of_work() as uow:
        contact = MediaContact(**body.model_dump(), version=1, created_by=uow.actor)
        uow.session.add(contact)
        record_change(uow, "media-contact", "added", contact, contact_event,
                      {"outlet": body.outlet, "fields": sorted(body.model_fields_set)})
        return created(uow, as_caller_may_see(serialize_contact(contact)), f"/api/v1/media-contacts/{contact.id}",
                       contact.version)


@press_api.get("/media-contacts", summary="List media contacts (e-mail and phone masked: read one to see them)",
               responses={200: Page[MediaContactOut]})
@allow(*READERS)
def list_media_contacts(query: MediaContactQuery):
    statement = select(MediaContact)
    for name in ("outlet", "country"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(MediaContact, name) == value)
    sortable = {name: getattr(MediaContact, name) for name in ("name", "outlet", "country", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [MediaContact.outlet, MediaContact.name, MediaContact.id])
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
    changes = body.model_dump(exclude_unset=True)
    for name in ("name", "outlet", "country", "languages"):
        if name in changes and changes[name] is None:
            raise invalid(name, f"{name} cannot be cleared")
    with unit_of_work() as uow:
        contact = find(uow.session, MediaContact, path.contact_id, "media contact")
        require_fresh(contact.version)
        if changes:
            apply_changes(contact, changes)
            record_change(uow, "media-contact", "updated", contact, contact_event, {"fields": sorted(changes)})
        return record_response(as_caller_may_see(serialize_contact(contact)), contact.version)


@press_api.delete("/media-contacts/<contact_id>", summary="Remove a media contact who has no accreditations "
                  "(send If-Match)", responses={204: None, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def delete_media_contact(path: MediaContactPath):
    with unit_of_work() as uow:
        contact = find(uow.session, MediaContact, path.contact_id, "media contact")
        require_fresh(contact.version)
        if uow.session.scalar(select(Accreditation.id).where(Accreditation.media_contact_id == contact.id).limit(1)):
            raise Problem(409, "Has accreditations", "a media contact with accreditations is kept for their record",
                          slug="has-accreditations")
        data = contact_event(contact)
        uow.session.delete(contact)
        record_change(uow, "media-contact", "removed", contact, lambda _: data, {"outlet": data["outlet"]})
        return Response(status=204)


# --- accreditations ---

def serialize_accreditation(accreditation: Accreditation) -> dict:
    return AccreditationOut.model_validate(accreditation).model_dump(mode="json")


def accreditation_event(accreditation: Accreditation) -> dict:
    body = serialize_accreditation(accreditation)
    return {name: body[name] for name in ("id", "media_contact_id", "event_name", "campaign_id", "valid_from",
                                          "valid_until", "status", "version")}


@press_api.post("/media-contacts/<contact_id>/accreditations", summary="Request an accreditation for a contact",
                responses={201: AccreditationOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def request_accreditation(path: MediaContactPath, body: AccreditationCreate):
    with unit_of_work() as uow:
        find(uow.session, MediaContact, path.contact_id, "media contact")
        if body.campaign_id and uow.session.get(Campaign, body.campaign_id) is None:
            raise invalid("campaign_id", f"no campaign {body.campaign_id}")
        accreditation = Accreditation(**body.model_dump(), media_contact_id=path.contact_id,
                                      status=AccreditationStatus.REQUESTED.value, version=1, created_by=uow.actor)
        uow.session.add(accreditation)
        record_change(uow, "accreditation", "requested", accreditation, accreditation_event,
                      body.model_dump(mode="json"))
        return created(uow, serialize_accreditation(accreditation), f"/api/v1/accreditations/{accreditation.id}",
                       accreditation.version)


@press_api.get("/accreditations", summary="List accreditations", responses={200: Page[AccreditationOut]})
@allow(*READERS)
def list_accreditations(query: AccreditationQuery):
    statement = select(Accreditation)
    for name in ("status", "campaign_id", "media_contact_id"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Accreditation, name) == value)
    if query.on:
        statement = statement.where(Accreditation.valid_from <= query.on, Accreditation.valid_until >= query.on)
    sortable = {name: getattr(Accreditation, name) for name in ("valid_from", "valid_until", "status", "event_name")}
    statement = apply_sort(statement, query.sort, sortable, [Accreditation.valid_from, Accreditation.id])
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
            accreditation = find(uow.session, Accreditation, path.accreditation_id, "accreditation")
            require_fresh(accreditation.version)
            try:
                target = next_state("accreditation", ACCREDITATION_TRANSITIONS,
                                    AccreditationStatus(accreditation.status), action, body.reason, REASON_REQUIRED)
            except IllegalTransition as error:
                raise conflict(str(error), error.allowed) from error
            except MissingReason as error:
                raise invalid("reason", str(error)) from error
            previous = accreditation.status
            accreditation.status, accreditation.status_reason = target.value, body.reason
            accreditation.version += 1
            record_change(uow, "accreditation", ACCREDITATION_EVENT_ACTION[action], accreditation,
                          accreditation_event, {"status": [previous, target.value], "reason": body.reason})
            return record_response(serialize_accreditation(accreditation), accreditation.version)

    transition.__name__ = f"{action}_accreditation"
    return transition


for _action in ACCREDITATION_TRANSITIONS:
    press_api.post(f"/accreditations/<accreditation_id>/{_action}",
                   summary=f"{_action.capitalize()} an accreditation (send If-Match)",
                   responses={200: AccreditationOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*WRITERS)(_accreditation_transition(_action)))
