"""The composition root of the outreach service."""

from __future__ import annotations

from pathlib import Path

from flask_openapi3 import OpenAPI

from services.outreach.events import CATALOG
from services.outreach.handlers import SUBSCRIPTIONS
from services.outreach.store.models import Base, plumbing
from shared.config import load_settings
from shared.http.app import create_service_app
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    name="outreach",
    title="Chancery outreach",
    description="Partners and twin cities, their timeline, the consolidated annual plan and its monitoring, "
                "information campaigns and materials in three languages, the press, public opinion surveys, "
                "missions, organisations, offices abroad, compatriots, societies and export promotion.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    from services.outreach.api import compatriots, export_promotion, missions, offices  # noqa: F401 (their routes)
    from services.outreach.api.analytics import analytics_api
    from services.outreach.api.campaigns import campaigns_api
    from services.outreach.api.partners import partners_api
    from services.outreach.api.plan import plan_api
    from services.outreach.api.plan_versions import versions_api
    from services.outreach.api.press import press_api
    from services.outreach.api.registers import relations_api
    from services.outreach.api.surveys import surveys_api
    from services.outreach.api.timeline import timeline_api

    app = create_service_app(SPEC, load_settings(SPEC.name, config))
    for api in (partners_api, timeline_api, plan_api, versions_api, campaigns_api, press_api,
                surveys_api, relations_api, analytics_api):
        app.register_api(api)
    return app
