"""Visits as iCalendar feeds (docs/decisions/0006): a visit's programme, and one official's schedule."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import select

from services.visits.api.common import READERS
from services.visits.api.official_schemas import OfficialPath
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.meetings import FunctionStatus, MeetingStatus
from services.visits.domain.visit import VisitStatus
from services.visits.operations.officials import OfficialTime, keys_of, official_time
from services.visits.operations.visits import find_visit
from services.visits.store.models import AgendaItem, Meeting, Official, OfficialFunction, TripAbsence, Visit
from shared.calendars import CalendarEntry
from shared.db import find
from shared.http.auth import allow
from shared.http.calendar_api import calendar_feed, calendar_response
from shared.http.problems import problem_responses
from shared.http.views import blueprint
from shared.http.work import read_only
from shared.kit.withholding import BUSY

calendar_api = blueprint("visit_calendars", __name__, "Programmes and schedules as iCalendar", tag="calendars")
FEED_RESPONSE = {200: {"description": "An iCalendar (RFC 5545) feed", "content": {"text/calendar": {}}}}
TRIP_STATUS = {"submitted": "TENTATIVE", "approved": "CONFIRMED", "closed": "CONFIRMED"}
VISIT_STATUS = {VisitStatus.CONFIRMED: "CONFIRMED", VisitStatus.IN_PROGRESS: "CONFIRMED",
                VisitStatus.COMPLETED: "CONFIRMED", VisitStatus.CANCELLED: "CANCELLED"}  # otherwise TENTATIVE


class OfficialName(BaseModel):
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


def trip_entry(trip: TripAbsence, known: bool) -> CalendarEntry:
    """A trip abroad; one the reader may not know of is busy time only (decision 0190)."""
    travelling = ", ".join(person["name"] for person in trip.officials)
    summary, location, description = (f"Trip abroad: {trip.title}", ", ".join(trip.countries),
                                      f"Officials travelling: {travelling or '-'}.") if known else (BUSY, "", "")
    return CalendarEntry(
        uid=f"trip-{trip.trip_id}@chancery", summary=summary, starts=trip.starts_on,
        ends=trip.ends_on + timedelta(days=1), location=location, description=description,
        status=TRIP_STATUS[trip.status], updated=trip.updated_at)


def official_entries(time: OfficialTime) -> list[CalendarEntry]:
    return [*(item_entry(item, visit) for item, visit in time.items), *map(meeting_entry, time.meetings),
            *map(function_entry, time.functions), *(trip_entry(trip, time.knows(trip)) for trip in time.trips)]


@calendar_api.get("/officials/<official>/visits.ics",
                  summary="One official's agenda items, meetings with foreign guests, official functions and trips "
                          "abroad as an iCalendar feed, by a name records use for them",
                  responses=FEED_RESPONSE)
@allow(*READERS)
@calendar_feed
def official_calendar(path: OfficialName):
    with read_only() as session:
        entries = official_entries(official_time(session, keys_of(session, frozenset([path.official]))))
    return calendar_response(f"Programme: {path.official}", entries)


@calendar_api.get("/officials/<official_id>/calendar.ics",
                  summary="A registered official's time in one feed: their agenda items, meetings, functions and "
                          "trips abroad",
                  responses={**FEED_RESPONSE, **problem_responses(404)})
@allow(*READERS)
@calendar_feed
def registered_official_calendar(path: OfficialPath):
    with read_only() as session:
        official = find(session, Official, path.official_id, "official")
        entries = official_entries(official_time(session, keys_of(session, frozenset([official.display_name]))))
    return calendar_response(f"Programme: {official.display_name}", entries)
