"""A visit's programme: agenda items, refused when they would put someone or a venue in two places."""

from __future__ import annotations

from sqlalchemy import Select, exists

from services.visits.api import programme_schemas as schemas
from services.visits.api.common import READERS, WRITERS, starting_in
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.programme import local, normalized
from services.visits.operations import programme as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import AgendaItem, AgendaParticipant
from shared.http.views import Resource, blueprint, changes, fields, versioned

programme_api = blueprint("programme", __name__, "The programme of a visit")


def serialize(item: AgendaItem) -> dict:
    return schemas.AgendaItemOut(
        id=item.id, visit_id=item.visit_id, kind=item.kind, title=item.title, starts_at=item.starts_at,
        ends_at=item.ends_at, time_zone=item.time_zone, starts_at_local=local(item.starts_at, item.time_zone),
        ends_at_local=local(item.ends_at, item.time_zone), venue=item.venue,
        host_participants=item.host_participants, guest_participants=item.guest_participants,
        responsible_staff=item.responsible_staff, notes=item.notes, version=item.version,
    ).model_dump(mode="json")


starting = starting_in(AgendaItem.starts_at)


def where_and_who(statement: Select, query: schemas.AgendaQuery) -> Select:
    if query.venue:
        statement = statement.where(AgendaItem.venue_key == normalized(query.venue))
    if query.official:
        statement = statement.where(exists().where(AgendaParticipant.item_id == AgendaItem.id,
                                                   AgendaParticipant.official_key == normalized(query.official)))
    return starting(statement, query)


ITEMS = Resource(programme_api, "/visits/<visit_id>/agenda-items", "item_id", AgendaItem, schemas.AgendaItemOut,
                 READERS,
                 WRITERS, serialize=serialize, label="agenda item")
ITEMS.create("add_agenda_item", "Add an item to the visit's programme", schemas.AgendaItemCreate,
             fields(operations.schedule_item), path=VisitPath, problems=(404, 409))
for _name, _summary, _path in (("list_visit_agenda", "The visit's programme, in time order", VisitPath),
                               ("list_agenda", "Agenda items of every visit, e.g. one official's schedule", None)):
    ITEMS.listing(_name, _summary, schemas.AgendaQuery, path=_path, parent=find_visit,
                  at=None if _path else "/agenda-items",
                  filters=("kind",), narrow=(where_and_who,), order=("starts_at",),
                  sortable=("starts_at", "ends_at", "kind", "title", "venue"))
ITEMS.read("get_agenda_item", "Read an agenda item", schemas.ItemPath)
ITEMS.change("update_agenda_item", "Change or move an agenda item (send If-Match)", schemas.ItemPath,
             schemas.AgendaItemUpdate,
             changes(operations.update_item), problems=(404, 409, 412))
ITEMS.remove("remove_agenda_item", "Take an item off the programme (send If-Match)", schemas.ItemPath,
             versioned(operations.remove_item), problems=(404, 409, 412))
