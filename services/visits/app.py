"""The composition root of the visits service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.visits.events import CATALOG
from services.visits.handlers import SUBSCRIPTIONS
from services.visits.operations.reports import announce_report_released
from services.visits.settings import own_settings
from services.visits.store.models import Base, plumbing
from services.visits.tasks import PERIODIC_TASKS
from shared.config import load_settings
from shared.service import ServiceSpec

if TYPE_CHECKING:
    from flask_openapi3 import OpenAPI

SPEC = ServiceSpec(
    own_settings=own_settings,
    name="visits",
    title="Chancery visits",
    description="Incoming delegations, their programmes, protocol, interpreters, visa letters and the mayor's "
                "invitations.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
    periodic_tasks=PERIODIC_TASKS,
    on_release=announce_report_released,
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    from services.visits.api.calendar import calendar_api
    from services.visits.api.checklist import checklist_api
    from services.visits.api.delegation import delegation_api
    from services.visits.api.functions import functions_api
    from services.visits.api.gifts import gifts_api
    from services.visits.api.interpreters import interpreters_api
    from services.visits.api.invitations import invitations_api
    from services.visits.api.meetings import meetings_api
    from services.visits.api.officials import officials_api
    from services.visits.api.programme import programme_api
    from services.visits.api.protocol import protocol_api
    from services.visits.api.reports import reports_api
    from services.visits.api.visa_letters import visa_letters_api
    from services.visits.api.visits import visits_api
    from services.visits.api.waiting import waiting_api
    from shared.http.app import create_service_app  # the web process's alone: not the worker's

    app = create_service_app(SPEC, load_settings(SPEC.name, config), own_settings(config))
    for api in (visits_api, delegation_api, programme_api, protocol_api, gifts_api, checklist_api,
                interpreters_api, invitations_api, meetings_api, functions_api, calendar_api, visa_letters_api,
                waiting_api, officials_api, reports_api):
        app.register_api(api)
    return app
