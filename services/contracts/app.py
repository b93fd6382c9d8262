"""The composition root of the contracts service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.contracts.events import CATALOG
from services.contracts.handlers import SUBSCRIPTIONS
from services.contracts.operations.ocds import release_on_commit
from services.contracts.settings import contracts_settings
from services.contracts.store.models import Base, plumbing
from services.contracts.tasks import PERIODIC_TASKS
from shared.config import load_settings
from shared.service import ServiceSpec

if TYPE_CHECKING:
    from flask_openapi3 import OpenAPI

SPEC = ServiceSpec(
    own_settings=contracts_settings,
    name="contracts",
    title="Chancery contracts",
    description="Procurement, auctions, cooperation agreements and commitments to foreign investors.",
    metadata=Base.metadata,
    tables=plumbing,
    catalog=CATALOG,
    package_dir=Path(__file__).parent,
    subscriptions=SUBSCRIPTIONS,
    periodic_tasks=PERIODIC_TASKS,
    transaction_hooks=release_on_commit,
    access_notes=(
        "Cooperation agreements and commitments to investors (decision 0135): `procurement`, `outreach` and "
        "`mayor-office` read them, `procurement` alone writes them; only `mayor-office` approves a submitted "
        "agreement or sends it back.",
    ),
)


def create_app(config: dict[str, str] | None = None) -> OpenAPI:
    from services.contracts.api.agreements import agreements_api
    from services.contracts.api.auctions import auctions_api
    from services.contracts.api.awards import awards_api
    from services.contracts.api.bids import bids_api
    from services.contracts.api.commitments import commitments_api
    from services.contracts.api.contracts import contracts_api
    from services.contracts.api.cpv import cpv_api
    from services.contracts.api.ocds import ocds_api
    from services.contracts.api.ocds_feed import ocds_feed_api
    from services.contracts.api.plan import plan_api
    from services.contracts.api.suppliers import suppliers_api
    from services.contracts.api.tenders import tenders_api
    from shared.http.app import create_service_app  # the web process's alone: not the worker's

    app = create_service_app(SPEC, load_settings(SPEC.name, config), contracts_settings(config))
    for blueprint in (plan_api, cpv_api, suppliers_api, tenders_api, bids_api, auctions_api, awards_api,
                      contracts_api, agreements_api, commitments_api, ocds_api, ocds_feed_api):
        app.register_api(blueprint)
    return app
