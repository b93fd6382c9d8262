"""Trips as iCalendar feeds (docs/decisions/0006): every trip, or one official's, as whole-day events."""

from __future__ import annotations

from datetime import timedelta

from flask_openapi3 import Tag
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.trips.api.common import READERS
from services.trips.api.departments import caller_scope
from services.trips.domain.trip import TripStatus
from services.trips.store.departments import readable_trips
from services.trips.store.models import Traveller, Trip
from shared.calendars import CalendarEntry
from shared.db import viewer_of, visible_to
from shared.http.auth import allow
from shared.http.calendar_api import calendar_feed, calendar_response
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.work import read_only

calendar_api = LazyDocBlueprint("trip_calendars", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                abp_responses=problem_responses(401, 403, 422),
                                abp_tags=[Tag(name="calendars", description="Trips as iCalendar feeds")])
CALENDAR_STATUS = {TripStatus.APPROVED: "CONFIRMED", TripStatus.CLOSED: "CONFIRMED",
                   TripStatus.CANCELLED: "CANCELLED"}  # requests not yet approved are TENTATIVE
FEED_RESPONSE = {200: {"description": "An iCalendar (RFC 5545) feed", "content": {"text/calendar": {}}}}


class OfficialPath(BaseModel):
    official: str = Field(min_length=1, max_length=200, description="The traveller's full name, as on the trips")


def entry(trip: Trip) -> CalendarEntry:
    places = "; ".join(f"{d.city}, {d.country}" for d in trip.destinations)
    travellers = ", ".join(f"{t.full_name} ({t.job_title})" for t in trip.travellers)
    return CalendarEntry(
        uid=f"trip-{trip.id}@chancery", summary=f"{trip.title} — {places}", starts=trip.starts_on,
        ends=trip.ends_on + timedelta(days=1), location=places, updated=trip.updated_at,
        description=f"{trip.purpose}\nTravellers: {travellers or '-'}\nStatus: {trip.status}",
        status=CALENDAR_STATUS.get(TripStatus(trip.status), "TENTATIVE"))


def feed(name: str, statement):
    with read_only() as session:
        shown = statement.where(visible_to(Trip, viewer_of(session))).order_by(Trip.starts_on, Trip.id)
        entries = [entry(trip) for trip in session.scalars(shown)]
    return calendar_response(name, entries)


@calendar_api.get("/trips/calendar.ics", summary="Every trip request as an iCalendar feed", responses=FEED_RESPONSE)
@allow(*READERS)
@calendar_feed
def trips_calendar():
    return feed("Trips abroad", select(Trip).where(readable_trips(caller_scope())))


@calendar_api.get("/officials/<official>/trips.ics", summary="One official's trips as an iCalendar feed",
                  responses=FEED_RESPONSE)
@allow(*READERS)
@calendar_feed
def official_calendar(path: OfficialPath):
    return feed(f"Trips abroad: {path.official}",
                select(Trip).where(Trip.travellers.any(Traveller.full_name == path.official),
                                   readable_trips(caller_scope())))
