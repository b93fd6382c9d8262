"""The register of officials (decision 0130) and an official's time in visits and abroad (decision 0131)."""

from __future__ import annotations

from services.visits.api import official_schemas as schemas
from services.visits.api.common import READERS, WRITERS
from services.visits.operations import officials as operations
from services.visits.store.models import Official
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import json_response
from shared.http.views import Resource, blueprint, changes, fields
from shared.http.work import read_only
from shared.kit.withholding import BUSY

officials_api = blueprint("officials", __name__, "The register of officials and their time")
# Travel staff name an official traveller of a trip by their id, so they read the register too.
REGISTER_READERS = (*READERS, "travel")

OFFICIALS = Resource(officials_api, "/officials", "official_id", Official, schemas.OfficialOut, REGISTER_READERS,
                     WRITERS)
OFFICIALS.create("register_official", "Register an official by their identity provider subject (409 when one of "
                                      "their names names another)",
                 schemas.OfficialCreate, fields(operations.register_official), problems=(409,))
OFFICIALS.listing("list_officials", "The register of officials", schemas.OfficialQuery,
                  sortable=("display_name",), order=("display_name",))
OFFICIALS.read("get_official", "Read an official of the register", schemas.OfficialPath)
OFFICIALS.change("update_official", "Change an official's name, offices or aliases (send If-Match)",
                 schemas.OfficialPath, schemas.OfficialUpdate, changes(operations.update_official),
                 problems=(404, 409, 412))


def schedule_items(time: operations.OfficialTime) -> list[schemas.ScheduleItem]:
    visits = [*(("agenda-item", item, visit.status) for item, visit in time.items),
              *(("meeting", meeting, meeting.status) for meeting in time.meetings),
              *(("function", function, function.status) for function in time.functions)]
    items = [schemas.ScheduleItem(
        source="visits", record=record, id=engagement.id, title=engagement.title,
        starts_on=engagement.starts_at.date(), ends_on=engagement.ends_at.date(), starts_at=engagement.starts_at,
        ends_at=engagement.ends_at, time_zone=engagement.time_zone, status=status, visit_id=engagement.visit_id)
        for record, engagement, status in visits]
    items += [schemas.ScheduleItem(
        source="trips", record="trip", id=trip.trip_id, title=trip.title if time.knows(trip) else BUSY,
        starts_on=trip.starts_on, ends_on=trip.ends_on, starts_at=None, ends_at=None, time_zone=None,
        status=trip.status, visit_id=None)
        for trip in time.trips]
    return sorted(items, key=lambda item: (item.starts_on, item.starts_at is not None, item.starts_at, item.id))


@officials_api.get("/officials/<official_id>/schedule",
                   summary="A registered official's time: agenda items, meetings, functions and trips abroad, in "
                           "time order",
                   responses={200: schemas.ScheduleOut, **problem_responses(404)})
@allow(*READERS)
def official_schedule(path: schemas.OfficialPath, query: schemas.ScheduleQuery):
    with read_only() as session:
        official = find(session, Official, path.official_id, "official")
        time = operations.official_time(session, operations.keys_of(session, frozenset([official.display_name])),
                                        query.on_or_after, query.before)
        body = schemas.ScheduleOut(official=schemas.OfficialOut.model_validate(official),
                                   items=schedule_items(time))
    return json_response(body.model_dump(mode="json"))
