"""The composition root of the trips service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.trips.events import CATALOG
from services.trips.handlers import SUBSCRIPTIONS
from services.trips.operations.reports import announce_report_released
from services.trips.store.models import Base, plumbing
from services.trips.tasks import PERIODIC_TASKS
from shared.config import load_settings
from shared.service import ServiceSpec

if TYPE_CHECKING:
    from flask_openapi3 import OpenAPI

SPEC = ServiceSpec(
    name="trips",
    title="Chancery trips",
    description="Business trips abroad of the mayor, delegations and officials: requests and their "
                "approval, from the invitation to the report.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
    periodic_tasks=PERIODIC_TASKS,
    on_release=announce_report_released,
    access_notes=(
        "A `department-head` decides only the staff steps of trips whose staff travellers are of the token's "
        "`department` (compared ignoring case and spacing); a decision by another department's head is 403 "
        "`not-the-approver` and recorded in the audit trail as `trip.decision-refused`.",
        "Records that belong to a department (decision 0080): a trip request belongs to the department that asks "
        "for it and to each traveller's department, a proposal to its department. A `department-head` reads, lists, "
        "exports in calendar feeds and totals only its own department's; another department's answers 404, as one "
        "that does not exist (a decision on it too, still audited). `travel` (the travel desk, which arranges every "
        "department's trips), `mayor-office`, `auditor` and `admin` read every department's.",
    ),
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    from services.trips.api.budget import budget_api
    from services.trips.api.calendar import calendar_api
    from services.trips.api.documents import documents_api
    from services.trips.api.programme import programme_api
    from services.trips.api.proposals import proposals_api
    from services.trips.api.reports import reports_api
    from services.trips.api.trips import trips_api
    from shared.http.app import create_service_app  # the web process's alone: not the worker's

    app = create_service_app(SPEC, load_settings(SPEC.name, config))
    app.register_api(trips_api)
    app.register_api(programme_api)
    app.register_api(budget_api)
    app.register_api(proposals_api)
    app.register_api(reports_api)
    app.register_api(documents_api)
    app.register_api(calendar_api)
    return app
