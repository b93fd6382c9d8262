"""The programme abroad: itinerary legs, stays and meetings with counterparts (with their briefing)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.trips.api.schemas import (
    ChildPath,
    LegIn,
    LegOut,
    LegUpdate,
    MeetingIn,
    MeetingOut,
    MeetingUpdate,
    StayIn,
    StayOut,
    StayUpdate,
    TripPath,
)
from services.trips.api.trips import BODY_PROBLEMS, READERS, TRAVEL, conflict, countries_of, find_trip, invalid
from services.trips.domain.programme import (
    InvalidTime,
    ProgrammeFrozen,
    check_programme_open,
    check_stay,
    leg_instants,
    meeting_instants,
)
from services.trips.domain.trip import TripStatus
from services.trips.store.models import Leg, Meeting, Stay, Trip
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    etag,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

programme_api = APIBlueprint("programme", __name__, url_prefix="/api/v1/trips/<trip_id>", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 404, 422),
                             abp_tags=[Tag(name="programme", description="The programme abroad")])
CHANGE_PROBLEMS = problem_responses(409, 412, *BODY_PROBLEMS)


def local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone_name))


def serialize_leg(leg: Leg) -> dict:
    return LegOut(
        id=leg.id, trip_id=leg.trip_id, origin=leg.origin, destination=leg.destination, mode=leg.mode,
        carrier_reference=leg.carrier_reference, departs_at=local(leg.departs_utc, leg.departs_time_zone),
        departs_time_zone=leg.departs_time_zone, arrives_at=local(leg.arrives_utc, leg.arrives_time_zone),
        arrives_time_zone=leg.arrives_time_zone, arrives_country=leg.arrives_country, version=leg.version,
        duration_minutes=int((leg.arrives_utc - leg.departs_utc).total_seconds() // 60),
    ).model_dump(mode="json")


def serialize_stay(stay: Stay) -> dict:
    return StayOut.model_validate({**{c: getattr(stay, c) for c in StayOut.model_fields if c != "nights"},
                                   "nights": (stay.check_out - stay.check_in).days}).model_dump(mode="json")


def serialize_meeting(meeting: Meeting) -> dict:
    fields = {name: getattr(meeting, name) for name in MeetingOut.model_fields if name not in ("starts_at", "ends_at")}
    zone = ZoneInfo(meeting.time_zone)
    return MeetingOut(**fields, starts_at=meeting.starts_local.replace(tzinfo=zone),
                      ends_at=meeting.ends_local.replace(tzinfo=zone)).model_dump(mode="json")


def event_data(trip: Trip, record: str, body: dict) -> dict:
    """The item as the API shows it, with the trip's partner and country (briefings stay out of events)."""
    data = {name: value for name, value in body.items() if name != "briefing"}
    if record == "meeting":
        data["has_briefing"] = bool(body.get("briefing"))
    return {**data, "partner_id": trip.partner_id, "country": body.get("country") or countries_of(trip)[0]}


def record_change(uow: UnitOfWork, trip: Trip, record: str, action: str, body: dict, changes: dict) -> None:
    uow.emit(f"chancery.trips.{record}.{action}.v1", body["id"], event_data(trip, record, body))
    uow.audit(f"{record}.{action}", record, body["id"], {"trip_id": trip.id, **changes})


def open_trip(session: Session, trip_id: str) -> Trip:
    trip = find_trip(session, trip_id)
    try:
        check_programme_open(TripStatus(trip.status))
    except ProgrammeFrozen as error:
        raise conflict(error, error.status) from error
    return trip


def find_item(session: Session, model, path: ChildPath):
    item = session.get(model, path.item_id)
    if item is None or item.trip_id != path.trip_id:
        raise Problem(404, "Not found", f"No such item {path.item_id} on trip {path.trip_id}", slug="not-found")
    return item


def checked(check, *args):
    try:
        return check(*args)
    except InvalidTime as error:
        raise invalid(error.field, str(error)) from error


def list_items(path: TripPath, query: PageQuery, model, sortable: dict, default: list, serialize):
    with read_only() as session:
        find_trip(session, path.trip_id)
        statement = apply_sort(select(model).where(model.trip_id == path.trip_id), query.sort, sortable, default)
        return json_response(paginate(session, statement, query, serialize))


def add_item(path: TripPath, record: str, item, serialize, changes: dict):
    with unit_of_work() as uow:
        trip = open_trip(uow.session, path.trip_id)
        item.trip_id, item.version = trip.id, 1
        uow.session.add(item)
        uow.session.flush()
        body = serialize(item)
        record_change(uow, trip, record, "added", body, changes)
        return created(uow, body, f"/api/v1/trips/{trip.id}/{record}s/{item.id}", item.version)


def remove_item(path: ChildPath, record: str, model, serialize):
    with unit_of_work() as uow:
        trip = open_trip(uow.session, path.trip_id)
        item = find_item(uow.session, model, path)
        require_fresh(item.version)
        body = serialize(item)
        uow.session.delete(item)
        record_change(uow, trip, record, "removed", body, {})
        return json_response(body)


def update_item(path: ChildPath, record: str, model, body, renamed: dict, check, serialize):
    """Change the fields sent, check the item as a whole again, and record the change (event and audit)."""
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        trip = open_trip(uow.session, path.trip_id)
        item = find_item(uow.session, model, path)
        require_fresh(item.version)
        if changes:
            for name, value in changes.items():
                setattr(item, renamed.get(name, name), value)
            check(item)
            item.version += 1
            uow.session.flush()
            record_change(uow, trip, record, "updated", serialize(item), body.model_dump(mode="json",
                                                                                        exclude_unset=True))
        return json_response(serialize(item), headers={"ETag": etag(item.version)})


# --- legs ---

def set_leg_times(leg: Leg) -> None:
    leg.departs_utc, leg.arrives_utc = checked(leg_instants, leg.departs_local, leg.departs_time_zone,
                                               leg.arrives_local, leg.arrives_time_zone)


@programme_api.get("/legs", summary="List the itinerary legs, earliest departure first",
                   responses={200: Page[LegOut]})
@allow(*READERS)
def list_legs(path: TripPath, query: PageQuery):
    return list_items(path, query, Leg, {"departs_at": Leg.departs_utc, "mode": Leg.mode},
                      [Leg.departs_utc, Leg.id], serialize_leg)


@programme_api.post("/legs", summary="Add an itinerary leg; each end in its own time zone",
                    responses={201: LegOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
@idempotent
def create_leg(path: TripPath, body: LegIn):
    departs, arrives = checked(leg_instants, body.departs_at, body.departs_time_zone, body.arrives_at,
                               body.arrives_time_zone)
    leg = Leg(**body.model_dump(exclude={"departs_at", "arrives_at"}), departs_local=body.departs_at,
              arrives_local=body.arrives_at, departs_utc=departs, arrives_utc=arrives)
    return add_item(path, "leg", leg, serialize_leg, body.model_dump(mode="json"))


@programme_api.delete("/legs/<item_id>", summary="Remove an itinerary leg (send If-Match)",
                      responses={200: LegOut, **problem_responses(409, 412)})
@allow(*TRAVEL)
def delete_leg(path: ChildPath):
    return remove_item(path, "leg", Leg, serialize_leg)


@programme_api.patch("/legs/<item_id>", summary="Change an itinerary leg (send If-Match); each end keeps its time zone",
                     responses={200: LegOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
def update_leg(path: ChildPath, body: LegUpdate):
    return update_item(path, "leg", Leg, body, {"departs_at": "departs_local", "arrives_at": "arrives_local"},
                       set_leg_times, serialize_leg)


# --- stays ---

@programme_api.get("/stays", summary="List the accommodation, earliest check-in first", responses={200: Page[StayOut]})
@allow(*READERS)
def list_stays(path: TripPath, query: PageQuery):
    return list_items(path, query, Stay, {"check_in": Stay.check_in, "city": Stay.city},
                      [Stay.check_in, Stay.id], serialize_stay)


@programme_api.post("/stays", summary="Add accommodation", responses={201: StayOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
@idempotent
def create_stay(path: TripPath, body: StayIn):
    checked(check_stay, body.check_in, body.check_out)
    return add_item(path, "stay", Stay(**body.model_dump()), serialize_stay, body.model_dump(mode="json"))


@programme_api.delete("/stays/<item_id>", summary="Remove accommodation (send If-Match)",
                      responses={200: StayOut, **problem_responses(409, 412)})
@allow(*TRAVEL)
def delete_stay(path: ChildPath):
    return remove_item(path, "stay", Stay, serialize_stay)


@programme_api.patch("/stays/<item_id>", summary="Change accommodation (send If-Match)",
                     responses={200: StayOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
def update_stay(path: ChildPath, body: StayUpdate):
    return update_item(path, "stay", Stay, body, {}, lambda stay: checked(check_stay, stay.check_in, stay.check_out),
                       serialize_stay)


# --- meetings ---

def set_meeting_times(meeting: Meeting) -> None:
    starts, _ = checked(meeting_instants, meeting.starts_local, meeting.ends_local, meeting.time_zone)
    meeting.starts_utc = starts


@programme_api.get("/meetings", summary="List the meetings abroad, earliest first", responses={200: Page[MeetingOut]})
@allow(*READERS)
def list_meetings(path: TripPath, query: PageQuery):
    return list_items(path, query, Meeting, {"starts_at": Meeting.starts_utc, "title": Meeting.title},
                      [Meeting.starts_utc, Meeting.id], serialize_meeting)


@programme_api.get("/meetings/<item_id>", summary="Read a meeting with its briefing",
                   responses={200: MeetingOut})
@allow(*READERS)
def get_meeting(path: ChildPath):
    with read_only() as session:
        meeting = find_item(session, Meeting, path)
        return json_response(serialize_meeting(meeting), headers={"ETag": etag(meeting.version)})


@programme_api.post("/meetings", summary="Add a meeting or event abroad with counterparts and its briefing",
                    responses={201: MeetingOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
@idempotent
def create_meeting(path: TripPath, body: MeetingIn):
    meeting = Meeting(**body.model_dump(exclude={"starts_at", "ends_at"}), starts_local=body.starts_at,
                      ends_local=body.ends_at)
    set_meeting_times(meeting)
    return add_item(path, "meeting", meeting, serialize_meeting, body.model_dump(mode="json", exclude={"briefing"}))


@programme_api.patch("/meetings/<item_id>", summary="Change a meeting or its briefing (send If-Match)",
                     responses={200: MeetingOut, **CHANGE_PROBLEMS})
@allow(*TRAVEL)
def update_meeting(path: ChildPath, body: MeetingUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        trip = open_trip(uow.session, path.trip_id)
        meeting = find_item(uow.session, Meeting, path)
        require_fresh(meeting.version)
        if not changes:
            return json_response(serialize_meeting(meeting), headers={"ETag": etag(meeting.version)})
        renamed = {"starts_at": "starts_local", "ends_at": "ends_local"}
        for name, value in changes.items():
            setattr(meeting, renamed.get(name, name), value)
        set_meeting_times(meeting)
        meeting.version += 1
        uow.session.flush()
        serialized = serialize_meeting(meeting)
        audited = {name: value for name, value in body.model_dump(mode="json", exclude_unset=True).items()
                   if name != "briefing"} | ({"briefing": "changed"} if "briefing" in changes else {})
        record_change(uow, trip, "meeting", "updated", serialized, audited)
        return json_response(serialized, headers={"ETag": etag(meeting.version)})
