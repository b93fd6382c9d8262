"""The composition root of the contracts service."""

from __future__ import annotations

from pathlib import Path

from flask_openapi3 import OpenAPI

from services.contracts.events import CATALOG
from services.contracts.handlers import SUBSCRIPTIONS
from services.contracts.store.models import Base, plumbing
from shared.config import load_settings
from shared.http.app import create_service_app
from shared.service import ServiceSpec

SPEC = ServiceSpec(
    name="contracts",
    title="Chancery contracts",
    description="Procurement, auctions, cooperation agreements and commitments to foreign investors.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    from services.contracts.api.plan import plan_api

    app = create_service_app(SPEC, load_settings(SPEC.name, config))
    app.register_api(plan_api)
    return app
