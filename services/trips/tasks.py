"""The trips worker's periodic tasks (docs/decisions/0004, 0005)."""

from __future__ import annotations

from services.trips.operations.documents import purge_passport_data
from shared.service import PeriodicTask

PERIODIC_TASKS = [PeriodicTask("purge-passport-data", 3600, purge_passport_data)]
