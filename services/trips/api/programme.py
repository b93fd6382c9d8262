"""The programme abroad: itinerary legs, stays and meetings with counterparts (with their briefing)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_openapi3 import Tag
from pydantic import BaseModel
from sqlalchemy import select

from services.trips.api.common import READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.programme_schemas import (
    LegIn,
    LegOut,
    LegUpdate,
    MeetingIn,
    MeetingOut,
    MeetingUpdate,
    StayIn,
    StayOut,
    StayUpdate,
)
from services.trips.api.trip_schemas import ChildPath, TripPath
from services.trips.events.contents import leg_times, meeting_times
from services.trips.operations.programme import add_item, change_item, find_item, remove_item
from services.trips.operations.trips import find_trip
from services.trips.store.models import Leg, Meeting, Stay
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate, sorted_by
from shared.http.work import read_only, unit_of_work

programme_api = LazyDocBlueprint("programme", __name__, url_prefix="/api/v1/trips/<trip_id>",
                                 abp_security=[{"bearer": []}], abp_responses=problem_responses(401, 403, 404, 422),
                                 abp_tags=[Tag(name="programme", description="The programme abroad")])
CHANGE_PROBLEMS = problem_responses(409, 412, *BODY_PROBLEMS)
# The API's names of a leg's and a meeting's local times -> their columns
LEG_COLUMNS = {"departs_at": "departs_local", "arrives_at": "arrives_local"}
MEETING_COLUMNS = {"starts_at": "starts_local", "ends_at": "ends_local"}


def serialize_leg(leg: Leg) -> dict:
    computed = (*LEG_COLUMNS, "duration_minutes")
    fields = {name: getattr(leg, name) for name in LegOut.model_fields if name not in computed}
    return LegOut(**fields, **leg_times(leg)).model_dump(mode="json")


def serialize_stay(stay: Stay) -> dict:
    return StayOut.model_validate({**{c: getattr(stay, c) for c in StayOut.model_fields if c != "nights"},
                                   "nights": (stay.check_out - stay.check_in).days}).model_dump(mode="json")


def serialize_meeting(meeting: Meeting) -> dict:
    fields = {name: getattr(meeting, name) for name in MeetingOut.model_fields if name not in MEETING_COLUMNS}
    return MeetingOut(**fields, **meeting_times(meeting)).model_dump(mode="json")


SERIALIZE = {"leg": serialize_leg, "stay": serialize_stay, "meeting": serialize_meeting}


def columns(fields: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    return {renamed.get(name, name): value for name, value in fields.items()}


def list_items(path: TripPath, query: PageQuery, model, order: dict, default: list, serialize):
    with read_only() as session:
        find_trip(session, path.trip_id, caller_scope())
        statement = apply_sort(select(model).where(model.trip_id == path.trip_id), query.sort, order, default)
        return json_response(paginate(session, statement, query, serialize))


def add(path: TripPath, record: str, fields: dict[str, Any], changes: dict[str, Any]) -> Response:
    with unit_of_work() as uow:
        item = add_item(uow, path.trip_id, record, fields, changes)
        return created(uow, SERIALIZE[record](item), f"/api/v1/trips/{item.trip_id}/{record}s/{item.id}",
                       item.version)


def change(path: ChildPath, record: str, fields: dict[str, Any], changes: dict[str, Any]) -> Response:
    with unit_of_work() as uow:
        item = change_item(uow, path.trip_id, record, path.item_id, fields, changes, if_match())
        return record_response(SERIALIZE[record](item), item.version)


def remove(path: ChildPath, record: str) -> Response:
    with unit_of_work() as uow:
        return json_response(SERIALIZE[record](remove_item(uow, path.trip_id, record, path.item_id, if_match())))


def sent(body: BaseModel, renamed: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields a change sends, named as the item's columns, and as its audit record keeps them."""
    return columns(body.model_dump(exclude_unset=True), renamed or {}), body.model_dump(mode="json",
                                                                                       exclude_unset=True)


# --- legs ---

LEG_ORDER = {"departs_at": Leg.departs_utc, "mode": Leg.mode}
LegQuery = sorted_by(PageQuery, LEG_ORDER)


@programme_api.get("/legs", summary="List the itinerary legs, earliest departure first",
                   responses={200: Page[LegOut]})
@allow(*READERS)
def list_legs(path: TripPath, query: LegQuery):
    return list_items(path, query, Leg, LEG_ORDER, [Leg.departs_utc, Leg.id], serialize_leg)


@programme_api.post("/legs", summary="Add an itinerary leg; each end in its own time zone",
                    responses={201: LegOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
@idempotent
def create_leg(path: TripPath, body: LegIn):
    return add(path, "leg", columns(body.model_dump(), LEG_COLUMNS), body.model_dump(mode="json"))


@programme_api.delete("/legs/<item_id>", summary="Remove an itinerary leg (send If-Match)",
                      responses={200: LegOut, **problem_responses(409, 412)})
@allow(*TRAVEL)
def delete_leg(path: ChildPath):
    return remove(path, "leg")


@programme_api.patch("/legs/<item_id>", summary="Change an itinerary leg (send If-Match); each end keeps its time zone",
                     responses={200: LegOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
def update_leg(path: ChildPath, body: LegUpdate):
    return change(path, "leg", *sent(body, LEG_COLUMNS))


# --- stays ---

STAY_ORDER = {"check_in": Stay.check_in, "city": Stay.city}
StayQuery = sorted_by(PageQuery, STAY_ORDER)


@programme_api.get("/stays", summary="List the accommodation, earliest check-in first", responses={200: Page[StayOut]})
@allow(*READERS)
def list_stays(path: TripPath, query: StayQuery):
    return list_items(path, query, Stay, STAY_ORDER, [Stay.check_in, Stay.id], serialize_stay)


@programme_api.post("/stays", summary="Add accommodation", responses={201: StayOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
@idempotent
def create_stay(path: TripPath, body: StayIn):
    return add(path, "stay", body.model_dump(), body.model_dump(mode="json"))


@programme_api.delete("/stays/<item_id>", summary="Remove accommodation (send If-Match)",
                      responses={200: StayOut, **problem_responses(409, 412)})
@allow(*TRAVEL)
def delete_stay(path: ChildPath):
    return remove(path, "stay")


@programme_api.patch("/stays/<item_id>", summary="Change accommodation (send If-Match)",
                     responses={200: StayOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
def update_stay(path: ChildPath, body: StayUpdate):
    return change(path, "stay", *sent(body))


# --- meetings ---

MEETING_ORDER = {"starts_at": Meeting.starts_utc, "title": Meeting.title}
MeetingQuery = sorted_by(PageQuery, MEETING_ORDER)


@programme_api.get("/meetings", summary="List the meetings abroad, earliest first", responses={200: Page[MeetingOut]})
@allow(*READERS)
def list_meetings(path: TripPath, query: MeetingQuery):
    return list_items(path, query, Meeting, MEETING_ORDER, [Meeting.starts_utc, Meeting.id], serialize_meeting)


@programme_api.get("/meetings/<item_id>", summary="Read a meeting with its briefing",
                   responses={200: MeetingOut})
@allow(*READERS)
def get_meeting(path: ChildPath):
    with read_only() as session:
        find_trip(session, path.trip_id, caller_scope())
        meeting = find_item(session, "meeting", path.trip_id, path.item_id)
        return record_response(serialize_meeting(meeting), meeting.version)


@programme_api.post("/meetings", summary="Add a meeting or event abroad with counterparts and its briefing",
                    responses={201: MeetingOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
@idempotent
def create_meeting(path: TripPath, body: MeetingIn):
    return add(path, "meeting", columns(body.model_dump(), MEETING_COLUMNS),
               body.model_dump(mode="json", exclude={"briefing"}))


@programme_api.patch("/meetings/<item_id>", summary="Change a meeting or its briefing (send If-Match)",
                     responses={200: MeetingOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
def update_meeting(path: ChildPath, body: MeetingUpdate):
    fields, changes = sent(body, MEETING_COLUMNS)  # the audit record says the briefing changed, not what it says
    changes = {name: value for name, value in changes.items() if name != "briefing"} | (
        {"briefing": "changed"} if "briefing" in fields else {})
    return change(path, "meeting", fields, changes)


@programme_api.delete("/meetings/<item_id>", summary="Remove a meeting abroad (send If-Match)",
                      responses={200: MeetingOut, **problem_responses(409, 412)})
@allow(*TRAVEL)
def delete_meeting(path: ChildPath):
    return remove(path, "meeting")
