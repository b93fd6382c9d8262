"""Each traveller's documents: the recorded visa, insurance and travel order, and the passport (personal data:
encrypted, purged after the retention period; docs/decisions/0005 and 0025)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from services.trips.domain.documents import DocumentKind, DocumentStatus, check_waivable
from services.trips.domain.trip import TripStatus, chain_of
from services.trips.events import contents
from services.trips.operations.trips import find_traveller, find_trip, trip_missing_documents
from services.trips.store.models import Decision, Traveller, TravellerDocument, Trip
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork


def record_paper(uow: UnitOfWork, trip: Trip, traveller: Traveller, kind: DocumentKind, status: DocumentStatus,
                 valid_until: date | None, changes: dict[str, Any]) -> None:
    """The document's event, saying whether the trip is now ready for departure, and its audit record."""
    uow.session.flush()
    ready = not trip_missing_documents(trip)
    uow.emit("chancery.trips.document.recorded.v1", traveller.id,
             uow.marked(contents.document(traveller, trip, kind.value, status.value, valid_until, ready), trip))
    uow.audit(f"document.{kind.value}.recorded", "traveller", traveller.id, {"trip_id": trip.id, **changes})


def record_document(uow: UnitOfWork, trip_id: str, traveller_id: str, kind: DocumentKind, fields: dict[str, Any],
                    changes: dict[str, Any], expected_version: frozenset[int] | None) -> Trip:
    """Record a traveller's visa, insurance or travel order (`status`, `valid_until`, `reference`); the version
    is checked only when one is recorded already."""
    check_waivable(kind, fields["status"])
    trip = find_trip(uow.session, trip_id)
    traveller = find_traveller(trip, traveller_id)
    document = next((d for d in traveller.documents if d.kind == kind.value), None)
    if document is None:
        document = TravellerDocument(kind=kind.value, version=0)
        traveller.documents.append(document)
    else:
        require_version(document.version, expected_version)
    document.status, document.valid_until, document.reference = (
        fields["status"].value, fields["valid_until"], fields["reference"])
    document.version += 1
    record_paper(uow, trip, traveller, kind, fields["status"], fields["valid_until"], changes)
    return trip


def record_passport(uow: UnitOfWork, trip_id: str, traveller_id: str, number: str, expires_on: date,
                    date_of_birth: date | None) -> Traveller:
    trip = find_trip(uow.session, trip_id)
    traveller = find_traveller(trip, traveller_id)
    traveller.passport_number, traveller.passport_expires_on = number, expires_on
    traveller.date_of_birth = date_of_birth.isoformat() if date_of_birth else None
    given = ["expires_on", "number", *(["date_of_birth"] if date_of_birth else [])]
    record_paper(uow, trip, traveller, DocumentKind.PASSPORT, DocumentStatus.OBTAINED, expires_on,
                 {"fields": sorted(given)})
    return traveller


def purge_passport_data(uow: UnitOfWork, now: datetime) -> None:
    """Erase the passport numbers and dates of birth of trips that ended longer ago than the retention period."""
    ended_before = now.date() - timedelta(days=uow.runtime.settings.pii_retention_days)
    travellers = uow.session.scalars(
        select(Traveller).join(Trip, Trip.id == Traveller.trip_id)
        .where(Trip.ends_on < ended_before,
               or_(Traveller.passport_number.is_not(None), Traveller.date_of_birth.is_not(None))))
    for traveller in travellers:
        traveller.passport_number = traveller.date_of_birth = None
        uow.audit("personal-data.purged", "traveller", traveller.id,
                  {"trip_id": traveller.trip_id, "fields": ["date_of_birth", "passport_number"]})


def final_approvals(trip: Trip) -> list[Decision]:
    """The approvals of the round that approved the trip (earlier rounds may have ended sent back)."""
    if TripStatus(trip.status) not in (TripStatus.APPROVED, TripStatus.CLOSED):
        return []
    return [d for d in trip.decisions if d.outcome == "approved"][-len(chain_of(trip)):]


def travel_order_context(trip: Trip, issued_on: date) -> dict[str, Any]:
    """What the travel order of the trip says, in every language."""
    return {
        "number": trip.travel_order_number, "title": trip.title, "purpose": trip.purpose,
        "destinations": "; ".join(f"{d.city}, {d.country}" for d in trip.destinations),
        "starts_on": trip.starts_on, "ends_on": trip.ends_on, "days": (trip.ends_on - trip.starts_on).days + 1,
        "host": trip.host, "international_function": trip.international_function, "funding": trip.funding,
        "travellers": [{"full_name": t.full_name, "job_title": t.job_title, "department": t.department}
                       for t in trip.travellers],
        "decisions": [{"step": d.step, "department": d.department, "decided_by": d.decided_by,
                       "decided_on": d.decided_at.date()}
                      for d in final_approvals(trip)],
        "issued_on": issued_on,
    }
