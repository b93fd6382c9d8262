"""A visit's programme: agenda items, refused when they would put someone or a venue in two places."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import Select, exists, select

from services.visits.api.common import READERS, WRITERS
from services.visits.api.programme_schemas import (
    AgendaItemCreate,
    AgendaItemOut,
    AgendaItemUpdate,
    AgendaQuery,
    ItemPath,
)
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.programme import local, normalized
from services.visits.operations.programme import remove_item, schedule_item, update_item
from services.visits.operations.visits import find_visit
from services.visits.store.models import AgendaItem, AgendaParticipant
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work

programme_api = APIBlueprint("programme", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="programme", description="The programme of a visit")])


def serialize(item: AgendaItem) -> dict:
    return AgendaItemOut(
        id=item.id, visit_id=item.visit_id, kind=item.kind, title=item.title, starts_at=item.starts_at,
        ends_at=item.ends_at, time_zone=item.time_zone, starts_at_local=local(item.starts_at, item.time_zone),
        ends_at_local=local(item.ends_at, item.time_zone), venue=item.venue,
        host_participants=item.host_participants, guest_participants=item.guest_participants,
        responsible_staff=item.responsible_staff, notes=item.notes, version=item.version,
    ).model_dump(mode="json")


def item_response(item: AgendaItem):
    return record_response(serialize(item), item.version)


@programme_api.post("/visits/<visit_id>/agenda-items", summary="Add an item to the visit's programme",
                    responses={201: AgendaItemOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_agenda_item(path: VisitPath, body: AgendaItemCreate):
    with unit_of_work() as uow:
        item = schedule_item(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(item), f"/api/v1/visits/{path.visit_id}/agenda-items/{item.id}", item.version)


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
    with unit_of_work() as uow:
        item = update_item(uow, path.visit_id, path.item_id, body.model_dump(exclude_unset=True),
                           body.model_dump(mode="json", exclude_unset=True), if_match())
        return item_response(item)


@programme_api.delete("/visits/<visit_id>/agenda-items/<item_id>",
                      summary="Take an item off the programme (send If-Match)",
                      responses={204: None, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def remove_agenda_item(path: ItemPath):
    with unit_of_work() as uow:
        remove_item(uow, path.visit_id, path.item_id, if_match())
    return "", 204
