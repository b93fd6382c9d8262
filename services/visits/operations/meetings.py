"""Meetings of the mayor and officials with foreign guests: planned, moved, held with an outcome or cancelled;
their follow-up actions and their minutes, revision by revision."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import func, select

from services.visits.domain.meetings import MeetingStatus, check_minutes_writable, meeting_moved_to
from services.visits.domain.programme import local, to_utc
from services.visits.events import contents
from services.visits.operations.engagements import meeting_slot, refuse_clashes
from services.visits.operations.officials import name_of
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import find_visit
from services.visits.store.models import AgendaItem, FollowUp, Meeting, MinutesRevision
from shared.db import find
from shared.kit.ids import new_id
from shared.kit.refusals import Conflict, Invalid, require_version
from shared.uow import UnitOfWork

MOVING = {"official", "starts_at", "ends_at", "time_zone", "venue"}
TIMES = ("starts_at", "ends_at")


def utc_span(starts_at: datetime, ends_at: datetime, zone: str) -> tuple[datetime, datetime]:
    """A venue's wall-clock start and end as UTC; the end comes after the start."""
    starts, ends = to_utc(starts_at, zone, "starts_at"), to_utc(ends_at, zone, "ends_at")
    if ends <= starts:
        raise Invalid("ends_at", "must be after starts_at")
    return starts, ends


def moved_span(record: Any, changes: dict[str, Any]) -> None:
    """Set a meeting's or function's times from `changes` (popped): times not sent keep their wall-clock time
    at the venue, read in the new zone if one is sent."""
    zone = changes.pop("time_zone", record.time_zone)
    local_times = {name: changes.pop(name, None) or local(getattr(record, name), record.time_zone)
                   .replace(tzinfo=None) for name in TIMES}
    record.starts_at, record.ends_at = utc_span(local_times["starts_at"], local_times["ends_at"], zone)
    record.time_zone = zone


def find_meeting(uow: UnitOfWork, meeting_id: str, expected_version: frozenset[int] | None) -> Meeting:
    return find_current(uow.session, Meeting, meeting_id, "meeting", expected_version)


def plan_meeting(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Meeting:
    """A new meeting, refused when its official or its venue is taken at that time, or its official abroad."""
    fields = dict(fields)
    override_reason = fields.pop("override_reason", None)
    name_of(uow.session, fields)
    starts_at, ends_at = utc_span(fields["starts_at"], fields["ends_at"], fields["time_zone"])
    if fields["visit_id"]:
        find_visit(uow.session, fields["visit_id"])
    if fields["agenda_item_id"]:
        find(uow.session, AgendaItem, fields["agenda_item_id"], "agenda item")
    meeting = Meeting(**{name: value for name, value in fields.items() if name not in TIMES}, id=new_id(),
                      starts_at=starts_at, ends_at=ends_at, status=MeetingStatus.PLANNED.value, version=1,
                      created_by=uow.actor)
    refuse_clashes(uow, meeting_slot(meeting), fields["time_zone"], override_reason)
    uow.session.add(meeting)
    uow.record_change("meeting", "planned", meeting, contents.meeting, changes)
    return meeting


def update_meeting(uow: UnitOfWork, meeting_id: str, fields: dict[str, Any], changes: dict[str, Any],
                   expected_version: frozenset[int] | None) -> Meeting:
    """Change the briefing, talking points or guests, or move a planned meeting (refused when taken)."""
    meeting = find_meeting(uow, meeting_id, expected_version)
    if not fields:
        return meeting
    fields = dict(fields)
    override_reason = fields.pop("override_reason", None)
    name_of(uow.session, fields)
    moving = bool(fields.keys() & MOVING)
    if moving:
        if meeting.status != MeetingStatus.PLANNED:
            raise Conflict(f"it was {meeting.status}; only a planned meeting moves", slug="meeting-closed")
        moved_span(meeting, fields)
    set_fields(meeting, fields)
    if moving:
        refuse_clashes(uow, meeting_slot(meeting), meeting.time_zone, override_reason)
    meeting.version += 1
    uow.record_change("meeting", "updated", meeting, contents.meeting, changes)
    return meeting


def hold_meeting(uow: UnitOfWork, meeting_id: str, outcome: str | None, changes: dict[str, Any],
                 expected_version: frozenset[int] | None) -> Meeting:
    """Record that the meeting was held, with its outcome."""
    meeting = find_meeting(uow, meeting_id, expected_version)
    meeting.status = meeting_moved_to(MeetingStatus(meeting.status), "hold").value
    meeting.outcome, meeting.version = outcome, meeting.version + 1
    uow.record_change("meeting", "held", meeting, contents.meeting, changes)
    return meeting


def cancel_meeting(uow: UnitOfWork, meeting_id: str, expected_version: frozenset[int] | None) -> Meeting:
    meeting = find_meeting(uow, meeting_id, expected_version)
    meeting.status = meeting_moved_to(MeetingStatus(meeting.status), "cancel").value
    meeting.version += 1
    uow.record_change("meeting", "cancelled", meeting, contents.meeting, {})
    return meeting


def record_follow_up_change(uow: UnitOfWork, meeting: Meeting, follow_up: FollowUp, action: str,
                            changes: dict[str, Any]) -> None:
    uow.record_change("meeting-follow-up", action, follow_up, partial(contents.meeting_follow_up, meeting=meeting),
                      changes, part_of=meeting)


def add_follow_up(uow: UnitOfWork, meeting_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> FollowUp:
    meeting = find(uow.session, Meeting, meeting_id, "meeting")
    follow_up = FollowUp(meeting_id=meeting.id, **fields, version=1)
    uow.session.add(follow_up)
    record_follow_up_change(uow, meeting, follow_up, "added", changes)
    return follow_up


def find_follow_up(uow: UnitOfWork, meeting: Meeting, follow_up_id: str,
                   expected_version: frozenset[int] | None) -> FollowUp:
    return find_current(uow.session, FollowUp, follow_up_id, "follow-up", expected_version, meeting_id=meeting.id)


def update_follow_up(uow: UnitOfWork, meeting_id: str, follow_up_id: str, fields: dict[str, Any],
                     changes: dict[str, Any], expected_version: frozenset[int] | None) -> FollowUp:
    """Change an open follow-up's title, responsible body or due date (its plan item moves with it)."""
    meeting = find(uow.session, Meeting, meeting_id, "meeting")
    follow_up = find_follow_up(uow, meeting, follow_up_id, expected_version)
    if not fields:
        return follow_up
    if follow_up.done_at is not None:
        raise Conflict("the follow-up is done; it no longer changes", slug="illegal-transition", allowed_actions=[])
    set_fields(follow_up, fields)
    follow_up.version += 1
    record_follow_up_change(uow, meeting, follow_up, "updated", changes)
    return follow_up


def remove_follow_up(uow: UnitOfWork, meeting_id: str, follow_up_id: str,
                     expected_version: frozenset[int] | None) -> None:
    """Take a follow-up agreed by mistake off its meeting (its plan item is withdrawn)."""
    meeting = find(uow.session, Meeting, meeting_id, "meeting")
    follow_up = find_follow_up(uow, meeting, follow_up_id, expected_version)
    record_follow_up_change(uow, meeting, follow_up, "removed", {"title": follow_up.title})
    uow.session.delete(follow_up)


def complete_follow_up(uow: UnitOfWork, meeting_id: str, follow_up_id: str,
                       expected_version: frozenset[int] | None) -> FollowUp:
    meeting = find(uow.session, Meeting, meeting_id, "meeting")
    follow_up = find_follow_up(uow, meeting, follow_up_id, expected_version)
    if follow_up.done_at is not None:
        raise Conflict("the follow-up is already done", slug="illegal-transition",
                       allowed_actions=[])
    follow_up.done_at, follow_up.version = uow.now(), follow_up.version + 1
    record_follow_up_change(uow, meeting, follow_up, "completed", {})
    return follow_up


def revise_minutes(uow: UnitOfWork, meeting_id: str, text: str, note: str | None,
                   expected_version: frozenset[int] | None) -> MinutesRevision:
    """The minutes of a held meeting as a new revision; `expected_version` names the revision edited (0: none)."""
    meeting = find(uow.session, Meeting, meeting_id, "meeting")
    check_minutes_writable(MeetingStatus(meeting.status))
    current = uow.session.scalar(select(func.max(MinutesRevision.number))
                                 .where(MinutesRevision.meeting_id == meeting.id)) or 0
    require_version(current, expected_version)
    revision = MinutesRevision(meeting_id=meeting.id, number=current + 1, text=text, note=note, author=uow.actor)
    uow.session.add(revision)
    uow.session.flush()
    # The minutes are the meeting's: its audit trail keeps each revision, and the event names the meeting.
    uow.emit("chancery.visits.meeting-minutes.revised.v1", meeting.id,
             uow.marked(contents.meeting_minutes(revision, meeting), meeting))
    uow.audit("meeting-minutes.revised", "meeting", meeting.id, {"revision": revision.number, "note": note})
    return revision
