"""The composition root of the outreach service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.outreach.events import CATALOG
from services.outreach.handlers import SUBSCRIPTIONS
from services.outreach.store.models import Base, plumbing
from shared.config import load_settings
from shared.service import ServiceSpec

if TYPE_CHECKING:
    from flask_openapi3 import OpenAPI

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
    access_notes=(
        "Plan items of a department (decision 0136): an item belongs to the department its responsible body names. "
        "A `department-head` lists and reads only its own department's (the token's `department` claim, compared "
        "ignoring case and spacing; a head without the claim reads none), starts, completes and reports progress "
        "on them; another department's answers 404, as one that does not exist. `outreach`, `mayor-office` "
        "and `admin` read every department's; `?department=` lists one department's.",
    ),
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
    from shared.http.app import create_service_app  # the web process's alone: not the worker's

    app = create_service_app(SPEC, load_settings(SPEC.name, config))
    for api in (partners_api, timeline_api, plan_api, versions_api, campaigns_api, press_api,
                surveys_api, relations_api, analytics_api):
        app.register_api(api)
    return app
