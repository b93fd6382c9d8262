"""A visit's programme: agenda items, refused when they would put someone or a venue in two places."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, exists, select

from services.visits.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    find,
    find_visit,
    invalid,
    open_visit,
)
from services.visits.api.engagements import agenda_slot, refuse_clashes
from services.visits.api.programme_schemas import (
    AgendaItemCreate,
    AgendaItemOut,
    AgendaItemUpdate,
    AgendaQuery,
    ItemPath,
)
from services.visits.api.schemas import VisitPath
from services.visits.domain.programme import InvalidTime, check_span, local, normalized, to_utc, zone
from services.visits.store.models import AgendaItem, AgendaParticipant, DelegationMember, Visit
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

programme_api = APIBlueprint("programme", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="programme", description="The programme of a visit")])
EVENT_ITEM_FIELDS = ("id", "kind", "title", "starts_at", "ends_at", "time_zone", "venue", "host_participants",
                     "guest_participants", "responsible_staff", "version")
TIME_FIELDS = ("starts_at", "ends_at", "time_zone")


def serialize(item: AgendaItem) -> dict:
    return AgendaItemOut(
        id=item.id, visit_id=item.visit_id, kind=item.kind, title=item.title, starts_at=item.starts_at,
        ends_at=item.ends_at, time_zone=item.time_zone, starts_at_local=local(item.starts_at, item.time_zone),
        ends_at_local=local(item.ends_at, item.time_zone), venue=item.venue,
        host_participants=item.host_participants, guest_participants=item.guest_participants,
        responsible_staff=item.responsible_staff, notes=item.notes, version=item.version,
    ).model_dump(mode="json")


def item_response(item: AgendaItem, status: int = 200):
    return json_response(serialize(item), status, {"ETag": f'"{item.version}"'})


def emit(uow: UnitOfWork, visit: Visit, item: AgendaItem, action: str, changes: dict) -> None:
    uow.session.flush()
    body = serialize(item)
    uow.emit(f"chancery.visits.agenda-item.{action}.v1", item.id, {
        "visit_id": visit.id, "partner_id": visit.partner_id, "country": visit.country,
        "item": {name: body[name] for name in EVENT_ITEM_FIELDS}})
    uow.audit(f"agenda-item.{action}", "agenda-item", item.id, changes)


def check_guests(uow: UnitOfWork, visit: Visit, guests: list[str]) -> None:
    known = set(uow.session.scalars(select(DelegationMember.id).where(
        DelegationMember.visit_id == visit.id, DelegationMember.id.in_(guests))))
    for position, guest in enumerate(guests):
        if guest not in known:
            raise invalid(f"guest_participants.{position}", f"{guest} is not in this visit's delegation")


def set_participants(item: AgendaItem, officials: list[str], guests: list[str]) -> None:
    item.participants = [
        *(AgendaParticipant(side="host", official=name, official_key=normalized(name), position=position)
          for position, name in enumerate(dict.fromkeys(officials))),
        *(AgendaParticipant(side="guest", member_id=member_id, position=len(officials) + position)
          for position, member_id in enumerate(dict.fromkeys(guests))),
    ]


def place(uow: UnitOfWork, visit: Visit, item: AgendaItem, local_times: dict[str, datetime]) -> None:
    """Set the item's UTC times from the venue's wall-clock times, and check them against the visit's days."""
    try:
        zone(item.time_zone)
        item.starts_at = to_utc(local_times["starts_at"], item.time_zone, "starts_at")
        item.ends_at = to_utc(local_times["ends_at"], item.time_zone, "ends_at")
        check_span(item.starts_at, item.ends_at, visit.starts_on, visit.ends_on, item.time_zone)
    except InvalidTime as error:
        raise invalid(error.field, str(error)) from error
    item.venue_key = normalized(item.venue) if item.venue else None
    refuse_clashes(uow, agenda_slot(item), item.time_zone)


@programme_api.post("/visits/<visit_id>/agenda-items", summary="Add an item to the visit's programme",
                    responses={201: AgendaItemOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_agenda_item(path: VisitPath, body: AgendaItemCreate):
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        check_guests(uow, visit, body.guest_participants)
        item = AgendaItem(visit_id=visit.id, version=1, **body.model_dump(
            exclude={"starts_at", "ends_at", "host_participants", "guest_participants"}))
        set_participants(item, body.host_participants, body.guest_participants)
        place(uow, visit, item, {"starts_at": body.starts_at, "ends_at": body.ends_at})
        uow.session.add(item)
        emit(uow, visit, item, "scheduled", body.model_dump(mode="json"))
        return created(uow, serialize(item), f"/api/v1/visits/{visit.id}/agenda-items/{item.id}", item.version)


def filtered(statement: Select, query: AgendaQuery) -> Select:
    if query.kind:
        statement = statement.where(AgendaItem.kind == query.kind)
    if query.venue:
        statement = statement.where(AgendaItem.venue_key == normalized(query.venue))
    if query.official:
        statement = statement.where(exists().where(AgendaParticipant.item_id == AgendaItem.id,
                                                   AgendaParticipant.official_key == normalized(query.official)))
    if query.on_or_after:
        statement = statement.where(AgendaItem.starts_at >= datetime.combine(query.on_or_after, time(tzinfo=UTC)))
    if query.before:
        statement = statement.where(AgendaItem.starts_at < datetime.combine(query.before, time(tzinfo=UTC)))
    sortable = {name: getattr(AgendaItem, name) for name in ("starts_at", "ends_at", "kind", "title", "venue")}
    return apply_sort(statement, query.sort, sortable, [AgendaItem.starts_at, AgendaItem.id])


@programme_api.get("/visits/<visit_id>/agenda-items", summary="The visit's programme, in time order",
                   responses={200: Page[AgendaItemOut], **problem_responses(404)})
@allow(*READERS)
def list_visit_agenda(path: VisitPath, query: AgendaQuery):
    with read_only() as session:
        find_visit(session, path.visit_id)
        statement = filtered(select(AgendaItem).where(AgendaItem.visit_id == path.visit_id), query)
        return json_response(paginate(session, statement, query, serialize))


@programme_api.get("/agenda-items", summary="Agenda items of every visit, e.g. one official's schedule",
                   responses={200: Page[AgendaItemOut]})
@allow(*READERS)
def list_agenda(query: AgendaQuery):
    with read_only() as session:
        return json_response(paginate(session, filtered(select(AgendaItem), query), query, serialize))


@programme_api.get("/visits/<visit_id>/agenda-items/<item_id>", summary="Read an agenda item",
                   responses={200: AgendaItemOut, **problem_responses(404)})
@allow(*READERS)
def get_agenda_item(path: ItemPath):
    with read_only() as session:
        return item_response(find(session, AgendaItem, path.item_id, "agenda item", visit_id=path.visit_id))


@programme_api.patch("/visits/<visit_id>/agenda-items/<item_id>",
                     summary="Change or move an agenda item (send If-Match)",
                     responses={200: AgendaItemOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_agenda_item(path: ItemPath, body: AgendaItemUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        item = find(uow.session, AgendaItem, path.item_id, "agenda item", visit_id=visit.id)
        require_fresh(item.version)
        if not changes:
            return item_response(item)
        if "guest_participants" in changes:
            check_guests(uow, visit, changes["guest_participants"])
        local_times = {name: changes.pop(name, None) or local(getattr(item, name), item.time_zone).replace(
            tzinfo=None) for name in ("starts_at", "ends_at")}
        officials = changes.pop("host_participants", item.host_participants)
        guests = changes.pop("guest_participants", item.guest_participants)
        for name, value in changes.items():
            setattr(item, name, value)
        set_participants(item, officials, guests)
        place(uow, visit, item, local_times)
        item.version += 1
        emit(uow, visit, item, "updated", body.model_dump(mode="json", exclude_unset=True))
        return item_response(item)


@programme_api.delete("/visits/<visit_id>/agenda-items/<item_id>",
                      summary="Take an item off the programme (send If-Match)",
                      responses={204: None, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def remove_agenda_item(path: ItemPath):
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        item = find(uow.session, AgendaItem, path.item_id, "agenda item", visit_id=visit.id)
        require_fresh(item.version)
        emit(uow, visit, item, "removed", {"title": item.title})
        uow.session.delete(item)
    return "", 204
