"""Meetings of the mayor and officials with foreign guests: briefing, talking points, outcome, follow-ups, minutes."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import READERS, WRITERS
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
from services.visits.operations import meetings as operations
from services.visits.store.models import FollowUp, Meeting, MinutesRevision
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, where_set
from shared.http.work import read_only, unit_of_work

meetings_api = APIBlueprint("meetings", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="meetings", description="Meetings with foreign guests")])


def serialize(meeting: Meeting) -> dict:
    return MeetingOut.model_validate(meeting).model_dump(mode="json")


def meeting_response(meeting: Meeting):
    return record_response(serialize(meeting), meeting.version)


def follow_up_response(follow_up: FollowUp):
    return record_response(FollowUpOut.model_validate(follow_up).model_dump(mode="json"), follow_up.version)


@meetings_api.post("/meetings", summary="Plan a meeting with foreign guests (409 when the official or the venue is "
                   "taken)", responses={201: MeetingOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def plan_meeting(body: MeetingCreate):
    with unit_of_work() as uow:
        meeting = operations.plan_meeting(uow, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(meeting), f"/api/v1/meetings/{meeting.id}", meeting.version)


@meetings_api.get("/meetings", summary="Meetings, e.g. one official's, in time order",
                  responses={200: Page[MeetingOut]})
@allow(*READERS)
def list_meetings(query: MeetingQuery):
    statement = select(Meeting)
    statement = where_set(statement, Meeting, query, ("official", "status", "country", "visit_id"))
    if query.on_or_after:
        statement = statement.where(Meeting.starts_at >= datetime.combine(query.on_or_after, time(tzinfo=UTC)))
    if query.before:
        statement = statement.where(Meeting.starts_at < datetime.combine(query.before, time(tzinfo=UTC)))
    statement = apply_sort(statement, query.sort, {"starts_at": Meeting.starts_at, "official": Meeting.official},
                           [Meeting.starts_at, Meeting.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@meetings_api.get("/meetings/<meeting_id>", summary="Read a meeting with its briefing and talking points",
                  responses={200: MeetingOut, **problem_responses(404)})
@allow(*READERS)
def get_meeting(path: MeetingPath):
    with read_only() as session:
        return meeting_response(find(session, Meeting, path.meeting_id, "meeting"))


@meetings_api.patch("/meetings/<meeting_id>", summary="Change the briefing, talking points or guests, or move a "
                    "planned meeting (If-Match; 409 when the official or the venue is taken)",
                    responses={200: MeetingOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_meeting(path: MeetingPath, body: MeetingUpdate):
    with unit_of_work() as uow:
        meeting = operations.update_meeting(uow, path.meeting_id, body.model_dump(exclude_unset=True),
                                            body.model_dump(mode="json", exclude_unset=True), if_match())
        return meeting_response(meeting)


@meetings_api.post("/meetings/<meeting_id>/hold", summary="Record that the meeting was held, with its outcome",
                   responses={200: MeetingOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def hold_meeting(path: MeetingPath, body: HoldRequest):
    with unit_of_work() as uow:
        meeting = operations.hold_meeting(uow, path.meeting_id, body.outcome, body.model_dump(mode="json"),
                                          if_match())
        return meeting_response(meeting)


@meetings_api.post("/meetings/<meeting_id>/cancel", summary="Cancel a planned meeting (send If-Match)",
                   responses={200: MeetingOut, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def cancel_meeting(path: MeetingPath):
    with unit_of_work() as uow:
        return meeting_response(operations.cancel_meeting(uow, path.meeting_id, if_match()))


@meetings_api.post("/meetings/<meeting_id>/follow-ups", summary="Add a follow-up action with its due date",
                   responses={201: FollowUpOut, **problem_responses(404, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_follow_up(path: MeetingPath, body: FollowUpCreate):
    with unit_of_work() as uow:
        follow_up = operations.add_follow_up(uow, path.meeting_id, body.model_dump(), body.model_dump(mode="json"))
        answer = FollowUpOut.model_validate(follow_up).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/meetings/{path.meeting_id}/follow-ups/{follow_up.id}",
                       follow_up.version)


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
        return follow_up_response(operations.complete_follow_up(uow, path.meeting_id, path.follow_up_id,
                                                                if_match()))


def revisions(session, meeting_id: str) -> list[MinutesRevision]:
    return list(session.scalars(select(MinutesRevision).where(MinutesRevision.meeting_id == meeting_id)
                                .order_by(MinutesRevision.number)))


@meetings_api.put("/meetings/<meeting_id>/minutes",
                  summary="Save the minutes as a new revision (If-Match: the revision you edited; \"0\" for the first)",
                  responses={200: MinutesOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def revise_minutes(path: MeetingPath, body: MinutesIn):
    with unit_of_work() as uow:
        revision = operations.revise_minutes(uow, path.meeting_id, body.text, body.note, if_match())
        return json_response(MinutesOut.model_validate(revision), headers={"ETag": etag(revision.number)})


@meetings_api.get("/meetings/<meeting_id>/minutes", summary="The current minutes",
                  responses={200: MinutesOut, **problem_responses(404)})
@allow(*READERS)
def get_minutes(path: MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        history = revisions(session, path.meeting_id)
    if not history:
        raise Problem("not-found", "the meeting has no minutes yet")
    return json_response(MinutesOut.model_validate(history[-1]), headers={"ETag": etag(history[-1].number)})


@meetings_api.get("/meetings/<meeting_id>/minutes/revisions", summary="Every revision of the minutes, oldest first",
                  responses={200: MinutesHistory, **problem_responses(404)})
@allow(*READERS)
def minutes_revisions(path: MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        items = [MinutesOut.model_validate(r).model_dump(mode="json") for r in revisions(session, path.meeting_id)]
    return json_response({"items": items})
