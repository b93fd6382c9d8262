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
    description="Partners, missions, compatriots, campaigns, the annual plan and analytics.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    return create_service_app(SPEC, load_settings(SPEC.name, config))
