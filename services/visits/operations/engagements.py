"""The office's engagements: agenda items of live visits, meetings and official functions that are not
cancelled. One check refuses any of them that would put an official, a guest, an interpreter or a venue in two
places at once, naming the clashing record (decision 0011), or an official while a trip holds them abroad
(decision 0131)."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import select

from services.visits.domain.meetings import FunctionStatus, MeetingStatus
from services.visits.domain.programme import Clash, Slot, clashes, describe
from services.visits.domain.visit import VisitStatus
from services.visits.operations.officials import refuse_absences
from services.visits.store.models import (
    AgendaItem,
    DelegationMember,
    Interpreter,
    Meeting,
    OfficialFunction,
    Visit,
)
from shared.db import viewer_of
from shared.kit.refusals import Conflict
from shared.kit.withholding import may_know
from shared.uow import UnitOfWork


class ScheduleClash(Conflict):
    def __init__(self, detail: str, found: list[Clash]):
        super().__init__(detail, slug="schedule-clash",
                         clashes=[clash_body(clash) for clash in found])


def clash_body(clash: Clash) -> dict[str, Any]:
    item = clash.item
    return to_jsonable_python({"item_id": item.id, "record": item.record, "visit_id": item.visit_id,
                               "title": item.title, "starts_at": item.starts_at, "ends_at": item.ends_at,
                               "reason": clash.reason, "who": clash.who})


# What a clash says of an engagement withheld from the person (decision 0190): that it is there, not what it is.
WITHHELD_TITLE = "a confidential engagement"


def agenda_slot(item: AgendaItem, known: bool = True) -> Slot:
    return Slot(id=item.id, visit_id=item.visit_id if known else None, title=item.title if known else WITHHELD_TITLE,
                starts_at=item.starts_at,
                ends_at=item.ends_at, venue=item.venue, officials=frozenset(item.host_participants),
                guests=frozenset(item.guest_participants),
                interpreters=frozenset(need.interpreter_id for need in item.interpretation if need.interpreter_id))


def meeting_slot(meeting: Meeting, known: bool = True) -> Slot:
    return Slot(id=meeting.id, visit_id=meeting.visit_id if known else None,
                title=meeting.title if known else WITHHELD_TITLE, starts_at=meeting.starts_at,
                ends_at=meeting.ends_at, venue=meeting.venue, officials=frozenset([meeting.official]),
                record="meeting", linked=frozenset([meeting.agenda_item_id] if meeting.agenda_item_id else []))


def function_slot(function: OfficialFunction) -> Slot:
    return Slot(id=function.id, visit_id=function.visit_id, title=function.title, starts_at=function.starts_at,
                ends_at=function.ends_at, venue=function.venue, officials=frozenset(function.officials),
                record="function",
                linked=frozenset([function.agenda_item_id] if function.agenda_item_id else []))


def overlapping(uow: UnitOfWork, candidate: Slot) -> list[Slot]:
    """Every other engagement that overlaps the candidate's time; one withheld from the person (decision 0190)
    without its title or visit."""
    session, starts, ends = uow.session, candidate.starts_at, candidate.ends_at
    viewer = viewer_of(session)
    items = session.execute(
        select(AgendaItem, Visit).join(Visit, Visit.id == AgendaItem.visit_id)
        .where(AgendaItem.starts_at < ends, AgendaItem.ends_at > starts, AgendaItem.id != candidate.id,
               Visit.status != VisitStatus.CANCELLED.value)).tuples()
    meetings = session.scalars(
        select(Meeting).where(Meeting.starts_at < ends, Meeting.ends_at > starts, Meeting.id != candidate.id,
                              Meeting.status != MeetingStatus.CANCELLED.value))
    functions = session.scalars(
        select(OfficialFunction).where(OfficialFunction.starts_at < ends, OfficialFunction.ends_at > starts,
                                       OfficialFunction.id != candidate.id,
                                       OfficialFunction.status != FunctionStatus.CANCELLED.value))
    return [*(agenda_slot(item, may_know(visit, viewer)) for item, visit in items),
            *(meeting_slot(meeting, may_know(meeting, viewer)) for meeting in meetings),
            *map(function_slot, functions)]


def refuse_clashes(uow: UnitOfWork, candidate: Slot, time_zone: str, override_reason: str | None = None) -> None:
    """ScheduleClash naming every clashing engagement: officials, interpreters and venues across the office,
    guests within the visit; then OfficialBusy naming the trips abroad that hold an official, unless overridden."""
    found = clashes(candidate, overlapping(uow, candidate))
    if not found:
        refuse_absences(uow, candidate, time_zone, override_reason)
        return
    names = {**dict(uow.session.execute(select(DelegationMember.id, DelegationMember.name_latin)
                                        .where(DelegationMember.id.in_(candidate.guests))).all()),
             **dict(uow.session.execute(select(Interpreter.id, Interpreter.name)
                                        .where(Interpreter.id.in_(candidate.interpreters))).all())}
    raise ScheduleClash(describe(found, time_zone, names), found)
