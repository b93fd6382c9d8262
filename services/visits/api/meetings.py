"""Meetings of the mayor and officials with foreign guests: briefing, talking points, outcome, follow-ups, minutes."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import func, select

from services.visits.api.common import BODY_PROBLEMS, READERS, WRITERS, find, find_visit, invalid, record_response
from services.visits.operations.engagements import meeting_slot, refuse_clashes
from services.visits.api.meeting_schemas import (
    FollowUpCreate,
    FollowUpOut,
    FollowUpPath,
    HoldRequest,
    MeetingCreate,
    MeetingOut,
    MeetingPath,
    MeetingQuery,
    MeetingUpdate,
    MinutesHistory,
    MinutesIn,
    MinutesOut,
)
from services.visits.domain.meetings import (
    MeetingClosed,
    MeetingStatus,
    allowed_meeting_actions,
    check_meeting_action,
    check_minutes_writable,
)
from services.visits.domain.programme import InvalidTime, local, to_utc
from services.visits.store.models import AgendaItem, FollowUp, Meeting, MinutesRevision
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

meetings_api = APIBlueprint("meetings", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="meetings", description="Meetings with foreign guests")])
MOVING = {"official", "starts_at", "ends_at", "time_zone", "venue"}
# Briefing notes, talking points and minutes are internal preparation: events carry who met whom and when.
EVENT_FIELDS = ("id", "title", "official", "country", "partner_id", "visit_id", "starts_at", "ends_at", "status",
                "version")


def utc_span(starts_at: datetime, ends_at: datetime, zone: str) -> tuple[datetime, datetime]:
    try:
        starts, ends = to_utc(starts_at, zone, "starts_at"), to_utc(ends_at, zone, "ends_at")
    except InvalidTime as error:
        raise invalid(error.field, str(error)) from error
    if ends <= starts:
        raise invalid("ends_at", "must be after starts_at")
    return starts, ends


def emit(uow: UnitOfWork, meeting: Meeting, action: str, changes: dict) -> None:
    uow.session.flush()
    body = MeetingOut.model_validate(meeting).model_dump(mode="json")
    uow.emit(f"chancery.visits.meeting.{action}.v1", meeting.id, {name: body[name] for name in EVENT_FIELDS})
    uow.audit(f"meeting.{action}", "meeting", meeting.id, changes)


def conflict(error: MeetingClosed) -> Problem:
    return Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                   allowed_actions=allowed_meeting_actions(error.status))


@meetings_api.post("/meetings", summary="Plan a meeting with foreign guests (409 when the official or the venue is "
                   "taken)", responses={201: MeetingOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def plan_meeting(body: MeetingCreate):
    starts_at, ends_at = utc_span(body.starts_at, body.ends_at, body.time_zone)
    with unit_of_work() as uow:
        if body.visit_id:
            find_visit(uow.session, body.visit_id)
        if body.agenda_item_id:
            find(uow.session, AgendaItem, body.agenda_item_id, "agenda item")
        meeting = Meeting(**body.model_dump(exclude={"starts_at", "ends_at"}), starts_at=starts_at, ends_at=ends_at,
                          status=MeetingStatus.PLANNED.value, version=1, created_by=uow.actor)
        refuse_clashes(uow, meeting_slot(meeting), body.time_zone)
        uow.session.add(meeting)
        emit(uow, meeting, "planned", body.model_dump(mode="json"))
        answer = MeetingOut.model_validate(meeting).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/meetings/{meeting.id}", meeting.version)


@meetings_api.get("/meetings", summary="Meetings, e.g. one official's, in time order",
                  responses={200: Page[MeetingOut]})
@allow(*READERS)
def list_meetings(query: MeetingQuery):
    statement = select(Meeting)
    for name in ("official", "status", "country", "visit_id"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(Meeting, name) == value)
    if query.on_or_after:
        statement = statement.where(Meeting.starts_at >= datetime.combine(query.on_or_after, time(tzinfo=UTC)))
    if query.before:
        statement = statement.where(Meeting.starts_at < datetime.combine(query.before, time(tzinfo=UTC)))
    statement = apply_sort(statement, query.sort, {"starts_at": Meeting.starts_at, "official": Meeting.official},
                           [Meeting.starts_at, Meeting.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query,
                                      lambda m: MeetingOut.model_validate(m).model_dump(mode="json")))


@meetings_api.get("/meetings/<meeting_id>", summary="Read a meeting with its briefing and talking points",
                  responses={200: MeetingOut, **problem_responses(404)})
@allow(*READERS)
def get_meeting(path: MeetingPath):
    with read_only() as session:
        return record_response(MeetingOut, find(session, Meeting, path.meeting_id, "meeting"))


@meetings_api.patch("/meetings/<meeting_id>", summary="Change the briefing, talking points or guests, or move a "
                    "planned meeting (If-Match; 409 when the official or the venue is taken)",
                    responses={200: MeetingOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_meeting(path: MeetingPath, body: MeetingUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        meeting = find(uow.session, Meeting, path.meeting_id, "meeting")
        require_fresh(meeting.version)
        if not changes:
            return record_response(MeetingOut, meeting)
        moving = bool(changes.keys() & MOVING)
        if moving:
            move(uow, meeting, changes)
        for name, value in changes.items():
            setattr(meeting, name, value)
        if moving:
            refuse_clashes(uow, meeting_slot(meeting), meeting.time_zone)
        meeting.version += 1
        emit(uow, meeting, "updated", body.model_dump(mode="json", exclude_unset=True))
        return record_response(MeetingOut, meeting)


def move(uow: UnitOfWork, meeting: Meeting, changes: dict) -> None:
    """Set a planned meeting's new times (popped from `changes`) in its zone, or the new one."""
    if meeting.status != MeetingStatus.PLANNED:
        raise Problem(409, "The meeting cannot move", f"it was {meeting.status}; only a planned meeting moves",
                      slug="meeting-closed")
    zone = changes.pop("time_zone", meeting.time_zone)
    local_times = {name: changes.pop(name, None) or local(getattr(meeting, name), meeting.time_zone)
                   .replace(tzinfo=None) for name in ("starts_at", "ends_at")}
    meeting.starts_at, meeting.ends_at = utc_span(local_times["starts_at"], local_times["ends_at"], zone)
    meeting.time_zone = zone


@meetings_api.post("/meetings/<meeting_id>/hold", summary="Record that the meeting was held, with its outcome",
                   responses={200: MeetingOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def hold_meeting(path: MeetingPath, body: HoldRequest):
    with unit_of_work() as uow:
        meeting = find(uow.session, Meeting, path.meeting_id, "meeting")
        require_fresh(meeting.version)
        try:
            check_meeting_action(MeetingStatus(meeting.status), "hold")
        except MeetingClosed as error:
            raise conflict(error) from error
        meeting.status, meeting.outcome, meeting.version = MeetingStatus.HELD.value, body.outcome, meeting.version + 1
        emit(uow, meeting, "held", body.model_dump(mode="json"))
        return record_response(MeetingOut, meeting)


@meetings_api.post("/meetings/<meeting_id>/cancel", summary="Cancel a planned meeting (send If-Match)",
                   responses={200: MeetingOut, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def cancel_meeting(path: MeetingPath):
    with unit_of_work() as uow:
        meeting = find(uow.session, Meeting, path.meeting_id, "meeting")
        require_fresh(meeting.version)
        try:
            check_meeting_action(MeetingStatus(meeting.status), "cancel")
        except MeetingClosed as error:
            raise conflict(error) from error
        meeting.status, meeting.version = MeetingStatus.CANCELLED.value, meeting.version + 1
        emit(uow, meeting, "cancelled", {})
        return record_response(MeetingOut, meeting)


@meetings_api.post("/meetings/<meeting_id>/follow-ups", summary="Add a follow-up action with its due date",
                   responses={201: FollowUpOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_follow_up(path: MeetingPath, body: FollowUpCreate):
    with unit_of_work() as uow:
        meeting = find(uow.session, Meeting, path.meeting_id, "meeting")
        follow_up = FollowUp(meeting_id=meeting.id, **body.model_dump(), version=1)
        uow.session.add(follow_up)
        uow.session.flush()
        answer = FollowUpOut.model_validate(follow_up).model_dump(mode="json")
        uow.emit("chancery.visits.meeting-follow-up.added.v1", follow_up.id, {
            "meeting_id": meeting.id, "partner_id": meeting.partner_id, "country": meeting.country,
            "follow_up": {name: answer[name] for name in ("id", "title", "responsible_body", "due_on", "done_at")}})
        uow.audit("meeting-follow-up.added", "meeting-follow-up", follow_up.id, body.model_dump(mode="json"))
        return created(uow, answer, f"/api/v1/meetings/{meeting.id}/follow-ups/{follow_up.id}", follow_up.version)


@meetings_api.get("/meetings/<meeting_id>/follow-ups", summary="The meeting's follow-up actions",
                  responses={200: Page[FollowUpOut], **problem_responses(404)})
@allow(*READERS)
def list_follow_ups(path: MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        follow_ups = session.scalars(select(FollowUp).where(FollowUp.meeting_id == path.meeting_id)
                                     .order_by(FollowUp.due_on, FollowUp.id)).all()
        items = [FollowUpOut.model_validate(f).model_dump(mode="json") for f in follow_ups]
    return json_response({"items": items, "page": 1, "page_size": len(items), "total": len(items)})


@meetings_api.post("/meetings/<meeting_id>/follow-ups/<follow_up_id>/complete", summary="Mark a follow-up done",
                   responses={200: FollowUpOut, **problem_responses(404, 409)})
@allow(*WRITERS)
def complete_follow_up(path: FollowUpPath):
    with unit_of_work() as uow:
        meeting = find(uow.session, Meeting, path.meeting_id, "meeting")
        follow_up = find(uow.session, FollowUp, path.follow_up_id, "follow-up", meeting_id=meeting.id)
        require_fresh(follow_up.version)
        if follow_up.done_at is not None:
            raise Problem(409, "Transition not allowed", "the follow-up is already done", slug="illegal-transition",
                          allowed_actions=[])
        follow_up.done_at, follow_up.version = utcnow(), follow_up.version + 1
        uow.session.flush()
        answer = FollowUpOut.model_validate(follow_up).model_dump(mode="json")
        uow.emit("chancery.visits.meeting-follow-up.completed.v1", follow_up.id, {
            "meeting_id": meeting.id, "partner_id": meeting.partner_id, "country": meeting.country,
            "follow_up": {name: answer[name] for name in ("id", "title", "responsible_body", "due_on", "done_at")}})
        uow.audit("meeting-follow-up.completed", "meeting-follow-up", follow_up.id, {})
        return json_response(answer, headers={"ETag": etag(follow_up.version)})


def revisions(session, meeting_id: str) -> list[MinutesRevision]:
    return list(session.scalars(select(MinutesRevision).where(MinutesRevision.meeting_id == meeting_id)
                                .order_by(MinutesRevision.number)))


@meetings_api.put("/meetings/<meeting_id>/minutes",
                  summary="Save the minutes as a new revision (If-Match: the revision you edited; \"0\" for the first)",
                  responses={200: MinutesOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def revise_minutes(path: MeetingPath, body: MinutesIn):
    with unit_of_work() as uow:
        meeting = find(uow.session, Meeting, path.meeting_id, "meeting")
        try:
            check_minutes_writable(MeetingStatus(meeting.status))
        except MeetingClosed as error:
            raise conflict(error) from error
        current = uow.session.scalar(select(func.max(MinutesRevision.number))
                                     .where(MinutesRevision.meeting_id == meeting.id)) or 0
        require_fresh(current)
        revision = MinutesRevision(meeting_id=meeting.id, number=current + 1, text=body.text, note=body.note,
                                   author=uow.actor)
        uow.session.add(revision)
        uow.session.flush()
        uow.emit("chancery.visits.meeting-minutes.revised.v1", meeting.id, {
            "meeting_id": meeting.id, "partner_id": meeting.partner_id, "country": meeting.country,
            "revision": revision.number, "author": revision.author})
        uow.audit("meeting-minutes.revised", "meeting", meeting.id, {"revision": revision.number, "note": body.note})
        return json_response(MinutesOut.model_validate(revision), headers={"ETag": etag(revision.number)})


@meetings_api.get("/meetings/<meeting_id>/minutes", summary="The current minutes",
                  responses={200: MinutesOut, **problem_responses(404)})
@allow(*READERS)
def get_minutes(path: MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        history = revisions(session, path.meeting_id)
    if not history:
        raise Problem(404, "Not found", "the meeting has no minutes yet", slug="not-found")
    return json_response(MinutesOut.model_validate(history[-1]), headers={"ETag": etag(history[-1].number)})


@meetings_api.get("/meetings/<meeting_id>/minutes/revisions", summary="Every revision of the minutes, oldest first",
                  responses={200: MinutesHistory, **problem_responses(404)})
@allow(*READERS)
def minutes_revisions(path: MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        items = [MinutesOut.model_validate(r).model_dump(mode="json") for r in revisions(session, path.meeting_id)]
    return json_response({"items": items})
