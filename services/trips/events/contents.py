"""Each event's data, built from the record it is about: one function per record type (docs/architecture.md).

The programme's items, costs, reports and documents carry the trip's partner and country beside their own
fields, so that subscribers need not ask trips about the trip.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.trips.domain.coordination import Match
from services.trips.domain.officials import is_official
from services.trips.domain.trip import chain_of, countries_of
from services.trips.events import CATALOG
from services.trips.store.models import (
    CostLine,
    DailyRateRow,
    ExchangeRateRow,
    Leg,
    Meeting,
    Proposal,
    Report,
    Stay,
    Traveller,
    Trip,
)


def trip(record: Trip) -> dict[str, Any]:
    countries = countries_of(record)
    categories = dict.fromkeys(traveller.category for traveller in record.travellers)
    officials = [{"official_id": traveller.official_id, "name": traveller.full_name} for traveller in record.travellers
                 if is_official(traveller.category, traveller.official_id)]
    return CATALOG.contents(
        "trip", record, country=countries[0], countries=countries, officials=officials,
        destinations=[{"country": place.country, "city": place.city} for place in record.destinations],
        traveller_count=len(record.travellers), traveller_categories=list(categories),
        approval_chain=[step.role.value for step in chain_of(record)])


def about_trip(record: Trip) -> dict[str, Any]:
    """What an event about a part of the trip says of the trip itself."""
    return {"partner_id": record.partner_id, "country": countries_of(record)[0]}


def local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone_name))


def leg_times(record: Leg) -> dict[str, Any]:
    """The leg's ends as local times with their offsets, and how long it takes."""
    return {"departs_at": local(record.departs_utc, record.departs_time_zone),
            "arrives_at": local(record.arrives_utc, record.arrives_time_zone),
            "duration_minutes": int((record.arrives_utc - record.departs_utc).total_seconds() // 60)}


def meeting_times(record: Meeting) -> dict[str, Any]:
    zone = ZoneInfo(record.time_zone)
    return {"starts_at": record.starts_local.replace(tzinfo=zone), "ends_at": record.ends_local.replace(tzinfo=zone)}


def leg(record: Leg, of: Trip) -> dict[str, Any]:
    return CATALOG.contents("leg", record, **leg_times(record), **about_trip(of))


def stay(record: Stay, of: Trip) -> dict[str, Any]:
    """A stay names its own country."""
    return CATALOG.contents("stay", record, nights=(record.check_out - record.check_in).days,
                            partner_id=of.partner_id)


def meeting(record: Meeting, of: Trip) -> dict[str, Any]:
    """Briefings stay out of events: only whether there is one."""
    return CATALOG.contents("meeting", record, **meeting_times(record), has_briefing=bool(record.briefing),
                            **about_trip(of))


def daily_rate(record: DailyRateRow) -> dict[str, Any]:
    return CATALOG.contents("daily-rate", record)


def exchange_rate(record: ExchangeRateRow) -> dict[str, Any]:
    return CATALOG.contents("exchange-rate", record)


def cost(record: CostLine, of: Trip) -> dict[str, Any]:
    return CATALOG.contents("cost", record, budget_currency=of.budget_currency, **about_trip(of))


def proposal(record: Proposal) -> dict[str, Any]:
    return CATALOG.contents("proposal", record)


def report(record: Report, of: Trip) -> dict[str, Any]:
    """As agreed with outreach: the follow-ups feed the plan, keyed by the report's and each follow-up's id."""
    countries = countries_of(of)
    follow_ups = [{"id": item.id, "title": item.title, "due_on": item.due_on, "responsible_body": item.responsible_body}
                  for item in record.follow_ups]
    return CATALOG.contents("report", record, title=of.title, countries=countries, country=countries[0],
                            partner_id=of.partner_id, follow_ups=follow_ups, coverage_count=len(record.coverage))


def document(traveller: Traveller, of: Trip, kind: str, status: str, valid_until: Any,
             ready_for_departure: bool) -> dict[str, Any]:
    """No personal data: the kind, its state and the trip's partner and country, never a number or a date of birth."""
    return CATALOG.contents("document", traveller, trip_id=of.id, traveller_id=traveller.id, kind=kind,
                            status=status, valid_until=valid_until, trip_ready_for_departure=ready_for_departure,
                            **about_trip(of))


def coordination(record: Trip, other: Trip, match: Match) -> dict[str, Any]:
    """The two trips going the same way, and where and when they meet."""
    trips = [{name: str(getattr(each, name)) for name in ("id", "title", "department", "starts_on", "ends_on")}
             for each in (record, other)]
    return CATALOG.contents("coordination", match, trips=trips, partner_id=record.partner_id or other.partner_id)
