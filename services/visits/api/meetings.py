"""Meetings of the mayor and officials with foreign guests: briefing, talking points, outcome, follow-ups, minutes."""

from __future__ import annotations

from sqlalchemy import select

from services.visits.api import meeting_schemas as schemas
from services.visits.api.common import READERS, WRITERS, starting_in
from services.visits.operations import meetings as operations
from services.visits.store.models import FollowUp, Meeting, MinutesRevision
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.records import BODY_PROBLEMS, if_match
from shared.http.resources import Page, etag, json_response, page_of_items
from shared.http.views import Resource, acting, blueprint, changes, fields, versioned
from shared.http.work import read_only, unit_of_work

meetings_api = blueprint("meetings", __name__, "Meetings with foreign guests")

MEETINGS = Resource(meetings_api, "/meetings", "meeting_id", Meeting, schemas.MeetingOut, READERS, WRITERS)
MEETINGS.create("plan_meeting", "Plan a meeting with foreign guests (409 when the official or the venue is taken)",
                schemas.MeetingCreate, fields(operations.plan_meeting), problems=(404, 409))
MEETINGS.listing("list_meetings", "Meetings, e.g. one official's, in time order", schemas.MeetingQuery,
                 filters=("official", "status", "country", "visit_id"), narrow=(starting_in(Meeting.starts_at),),
                 sortable=("starts_at", "official"), order=("starts_at",))
MEETINGS.read("get_meeting", "Read a meeting with its briefing and talking points", schemas.MeetingPath)
MEETINGS.change("update_meeting", "Change the briefing, talking points or guests, or move a planned meeting "
                                  "(If-Match; 409 when the official or the venue is taken)", schemas.MeetingPath,
                schemas.MeetingUpdate, changes(operations.update_meeting), problems=(404, 409, 412))
MEETINGS.act("hold", "hold_meeting", "Record that the meeting was held, with its outcome", schemas.MeetingPath,
             acting(operations.hold_meeting, "outcome"), body=schemas.HoldRequest)
MEETINGS.act("cancel", "cancel_meeting", "Cancel a planned meeting (send If-Match)", schemas.MeetingPath,
             versioned(operations.cancel_meeting))

FOLLOW_UPS = Resource(meetings_api, "/meetings/<meeting_id>/follow-ups", "follow_up_id", FollowUp, schemas.FollowUpOut,
                      READERS, WRITERS)
FOLLOW_UPS.create("add_follow_up", "Add a follow-up action with its due date", schemas.FollowUpCreate,
                  fields(operations.add_follow_up), path=schemas.MeetingPath, problems=(404,))
FOLLOW_UPS.change("update_follow_up", "Change an open follow-up's title, responsible body or due date (If-Match)",
                  schemas.FollowUpPath, schemas.FollowUpUpdate, changes(operations.update_follow_up),
                  problems=(404, 409, 412))
FOLLOW_UPS.remove("remove_follow_up", "Take a follow-up off its meeting (send If-Match)", schemas.FollowUpPath,
                  versioned(operations.remove_follow_up))
FOLLOW_UPS.act("complete", "complete_follow_up", "Mark a follow-up done", schemas.FollowUpPath,
               versioned(operations.complete_follow_up), problems=(404, 409))


@meetings_api.get("/meetings/<meeting_id>/follow-ups", summary="The meeting's follow-up actions",
                  responses={200: Page[schemas.FollowUpOut], **problem_responses(404)})
@allow(*READERS)
def list_follow_ups(path: schemas.MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        follow_ups = session.scalars(select(FollowUp).where(FollowUp.meeting_id == path.meeting_id)
                                     .order_by(FollowUp.due_on, FollowUp.id)).all()
        items = [schemas.FollowUpOut.model_validate(f).model_dump(mode="json") for f in follow_ups]
    return json_response(page_of_items(items))


def revisions(session, meeting_id: str) -> list[MinutesRevision]:
    return list(session.scalars(select(MinutesRevision).where(MinutesRevision.meeting_id == meeting_id)
                                .order_by(MinutesRevision.number)))


@meetings_api.put("/meetings/<meeting_id>/minutes",
                  summary="Save the minutes as a new revision (If-Match: the revision you edited; \"0\" for the first)",
                  responses={200: schemas.MinutesOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def revise_minutes(path: schemas.MeetingPath, body: schemas.MinutesIn):
    with unit_of_work() as uow:
        revision = operations.revise_minutes(uow, path.meeting_id, body.text, body.note, if_match())
        return json_response(schemas.MinutesOut.model_validate(revision), headers={"ETag": etag(revision.number)})


@meetings_api.get("/meetings/<meeting_id>/minutes", summary="The current minutes",
                  responses={200: schemas.MinutesOut, **problem_responses(404)})
@allow(*READERS)
def get_minutes(path: schemas.MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        history = revisions(session, path.meeting_id)
    if not history:
        raise Problem("not-found", "the meeting has no minutes yet")
    return json_response(schemas.MinutesOut.model_validate(history[-1]), headers={"ETag": etag(history[-1].number)})


@meetings_api.get("/meetings/<meeting_id>/minutes/revisions", summary="Every revision of the minutes, oldest first",
                  responses={200: schemas.MinutesHistory, **problem_responses(404)})
@allow(*READERS)
def minutes_revisions(path: schemas.MeetingPath):
    with read_only() as session:
        find(session, Meeting, path.meeting_id, "meeting")
        items = [schemas.MinutesOut.model_validate(r).model_dump(mode="json") for r in revisions(session,
                                                                                                 path.meeting_id)]
    return json_response({"items": items})
