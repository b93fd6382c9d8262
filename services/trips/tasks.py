"""The trips worker's periodic tasks (docs/decisions/0004, 0005)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from services.trips.store.models import Traveller, Trip
from shared.service import PeriodicTask
from shared.uow import UnitOfWork


def purge_passport_data(work: UnitOfWork, now: datetime) -> None:
    """Erase the passport numbers and dates of birth of trips that ended longer ago than the retention period."""
    ended_before = now.date() - timedelta(days=work.runtime.settings.pii_retention_days)
    travellers = work.session.scalars(
        select(Traveller).join(Trip, Trip.id == Traveller.trip_id)
        .where(Trip.ends_on < ended_before,
               or_(Traveller.passport_number.is_not(None), Traveller.date_of_birth.is_not(None))))
    for traveller in travellers:
        traveller.passport_number = traveller.date_of_birth = None
        work.audit("personal-data.purged", "traveller", traveller.id,
                   {"trip_id": traveller.trip_id, "fields": ["date_of_birth", "passport_number"]})


PERIODIC_TASKS = [PeriodicTask("purge-passport-data", 3600, purge_passport_data)]
