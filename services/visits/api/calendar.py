"""Visits as iCalendar feeds (docs/decisions/0006): a visit's programme, and one official's schedule."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import exists, select

from services.visits.api.common import READERS
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.meetings import FunctionStatus, MeetingStatus
from services.visits.domain.programme import normalized
from services.visits.domain.visit import VisitStatus
from services.visits.operations.functions import taking_part
from services.visits.operations.visits import find_visit
from services.visits.store.models import AgendaItem, AgendaParticipant, Meeting, OfficialFunction, Visit
from shared.calendars import CalendarEntry
from shared.http.auth import allow
from shared.http.calendar_api import calendar_feed, calendar_response
from shared.http.problems import problem_responses
from shared.http.views import blueprint
from shared.http.work import read_only

calendar_api = blueprint("visit_calendars", __name__, "Programmes and schedules as iCalendar", tag="calendars")
FEED_RESPONSE = {200: {"description": "An iCalendar (RFC 5545) feed", "content": {"text/calendar": {}}}}
VISIT_STATUS = {VisitStatus.CONFIRMED: "CONFIRMED", VisitStatus.IN_PROGRESS: "CONFIRMED",
                VisitStatus.COMPLETED: "CONFIRMED", VisitStatus.CANCELLED: "CANCELLED"}  # otherwise TENTATIVE


class OfficialPath(BaseModel):
    official: str = Field(min_length=1, max_length=200, description="The official's name, as in the programmes")


def item_entry(item: AgendaItem, visit: Visit) -> CalendarEntry:
    zone = ZoneInfo(item.time_zone)  # written with the venue's zone, so clients show the venue's clock
    people = ", ".join(item.host_participants)
    return CalendarEntry(
        uid=f"agenda-item-{item.id}@chancery", summary=f"{item.title} ({visit.delegation_name})",
        starts=item.starts_at.astimezone(zone), ends=item.ends_at.astimezone(zone), location=item.venue or "",
        description=f"{item.kind.replace('_', ' ').capitalize()}. Officials: {people or '-'}. "
                    f"Responsible: {item.responsible_staff or '-'}.",
        status=VISIT_STATUS.get(VisitStatus(visit.status), "TENTATIVE"), updated=item.updated_at)


def visit_entry(visit: Visit) -> CalendarEntry:
    return CalendarEntry(
        uid=f"visit-{visit.id}@chancery", summary=f"Visit: {visit.delegation_name}", starts=visit.starts_on,
        ends=visit.ends_on + timedelta(days=1), location=f"{visit.city}, {visit.country}",
        description=visit.purpose, status=VISIT_STATUS.get(VisitStatus(visit.status), "TENTATIVE"),
        updated=visit.updated_at)


def meeting_entry(meeting: Meeting) -> CalendarEntry:
    zone = ZoneInfo(meeting.time_zone)
    return CalendarEntry(
        uid=f"meeting-{meeting.id}@chancery", summary=meeting.title, starts=meeting.starts_at.astimezone(zone),
        ends=meeting.ends_at.astimezone(zone), location=meeting.venue or "",
        description="Guests: " + "; ".join(meeting.guests),
        status="CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED", updated=meeting.updated_at)


def function_entry(function: OfficialFunction) -> CalendarEntry:
    zone = ZoneInfo(function.time_zone)
    return CalendarEntry(
        uid=f"function-{function.id}@chancery", summary=function.title,
        starts=function.starts_at.astimezone(zone), ends=function.ends_at.astimezone(zone), location=function.venue,
        description=f"{function.kind.replace('_', ' ').capitalize()}. Officials: {', '.join(function.officials)}.",
        status="CANCELLED" if function.status == FunctionStatus.CANCELLED else "CONFIRMED", updated=function.updated_at)


@calendar_api.get("/visits/<visit_id>/calendar.ics", summary="A visit and its programme as an iCalendar feed",
                  responses={**FEED_RESPONSE, **problem_responses(404)})
@allow(*READERS)
@calendar_feed
def visit_calendar(path: VisitPath):
    with read_only() as session:
        visit = find_visit(session, path.visit_id)
        items = session.scalars(select(AgendaItem).where(AgendaItem.visit_id == visit.id)
                                .order_by(AgendaItem.starts_at, AgendaItem.id)).all()
        entries = [visit_entry(visit), *(item_entry(item, visit) for item in items)]
    return calendar_response(f"Visit: {visit.delegation_name}", entries)


@calendar_api.get("/officials/<official>/visits.ics",
                  summary="One official's agenda items, meetings with foreign guests and official functions as "
                          "an iCalendar feed",
                  responses=FEED_RESPONSE)
@allow(*READERS)
@calendar_feed
def official_calendar(path: OfficialPath):
    key = normalized(path.official)
    with read_only() as session:
        rows = session.execute(
            select(AgendaItem, Visit).join(Visit, Visit.id == AgendaItem.visit_id)
            .where(exists().where(AgendaParticipant.item_id == AgendaItem.id, AgendaParticipant.official_key == key))
            .order_by(AgendaItem.starts_at, AgendaItem.id)).all()
        meetings = session.scalars(select(Meeting).where(Meeting.official == path.official)
                                   .order_by(Meeting.starts_at)).all()
        functions = session.scalars(select(OfficialFunction).where(taking_part(path.official))
                                    .order_by(OfficialFunction.starts_at)).all()
        entries = [*(item_entry(item, visit) for item, visit in rows), *(meeting_entry(m) for m in meetings),
                   *(function_entry(f) for f in functions)]
    return calendar_response(f"Programme: {path.official}", entries)
