"""The composition root of the notifications service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.notifications.channels.dispatcher import dispatcher_loop
from services.notifications.channels.integration_queues import integration_queues_loop
from services.notifications.events import CATALOG
from services.notifications.handlers import SUBSCRIPTIONS
from services.notifications.settings import load_notification_settings
from services.notifications.store.arrivals import InboxArrivals
from services.notifications.store.models import Base, plumbing
from services.notifications.tasks import PERIODIC_TASKS
from shared.config import load_settings
from shared.service import ServiceSpec

if TYPE_CHECKING:
    from flask_openapi3 import OpenAPI

SPEC = ServiceSpec(
    own_settings=load_notification_settings,
    name="notifications",
    title="Chancery notifications",
    description="Who wants to hear about what, and the in-app inbox where they hear it.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
    periodic_tasks=PERIODIC_TASKS,
    access_notes=(
        "Who hears which events, whatever the registration (decisions 0051, 0125): a service's events reach its "
        "departments' roles; agreements' events also reach `outreach` and `mayor-office`. A `department-head` hears "
        "trips' events only when their data names the head's own `department` claim (`department`, or "
        "`awaiting_department` for the step awaited; compared ignoring case and spacing, decision 0080), never "
        "another department's. An escalated decision reaches everyone holding the role it escalates to.",
        "`PUT /api/v1/people/me` registers the caller from their own token (subject, roles, department); "
        "`POST /api/v1/people/import` (notification admins) imports the identity provider's directory, all or "
        "nothing (decision 0126). Default role subscriptions are rows of `/api/v1/role-subscriptions` that "
        "notification admins change, audited (decision 0127).",
    ),
    worker_loops=[dispatcher_loop, integration_queues_loop],
    metrics=("chancery_notification_deliveries_total", "chancery_inbox_stream_reads_total",
             "chancery_decisions_waiting"),
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    from services.notifications.api.inbox import hold_inbox_arrivals, inbox_api
    from services.notifications.api.integrations import integrations_api
    from services.notifications.api.people import people_api
    from services.notifications.api.preferences import preferences_api
    from services.notifications.api.templates import templates_api
    from services.notifications.api.webhook_actions import webhook_actions_api
    from services.notifications.api.webhooks import webhooks_api
    from shared.http.app import create_service_app  # the web process's alone: not the worker's
    from shared.http.stream_slots import hold_stream_slots

    settings = load_notification_settings(config)
    app = create_service_app(SPEC, load_settings(SPEC.name, config), settings)
    hold_stream_slots(app, settings.max_streams)
    hold_inbox_arrivals(app, InboxArrivals(app.extensions["chancery"].database.url))
    for api in (inbox_api, templates_api, preferences_api, webhooks_api, webhook_actions_api, integrations_api,
                people_api):
        app.register_api(api)
    return app
