"""The trips worker's periodic tasks (docs/decisions/0004, 0005)."""

from __future__ import annotations

from datetime import datetime

from services.trips.events import contents
from services.trips.operations.coordination import announce_coordination
from services.trips.operations.documents import purge_passport_data
from services.trips.store.models import Trip
from shared.service import PeriodicTask
from shared.uow import UnitOfWork, release_embargoes


def release_passed_embargoes(work: UnitOfWork, now: datetime) -> None:
    """Announce trips whose embargo has passed as released, and the coordination their release reveals
    (decision 0190)."""
    for trip in release_embargoes(work, Trip, "trip", contents.trip, now):
        announce_coordination(work, trip)


PERIODIC_TASKS = [PeriodicTask("purge-passport-data", 3600, purge_passport_data),
                  PeriodicTask("release-embargoes", 30, release_passed_embargoes)]
