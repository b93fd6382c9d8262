"""City systems' own queues on the broker, bound to the events they subscribed to (notification admins)."""

from __future__ import annotations

from sqlalchemy import Select

from services.notifications.api.common import ADMINS, NO_CONTENT
from services.notifications.api.integration_schemas import (
    IntegrationIn,
    IntegrationOut,
    IntegrationPath,
    IntegrationPatterns,
)
from services.notifications.channels.integration_queues import integration_queue_name
from services.notifications.operations.integrations import change_patterns, integrate, remove_integration
from services.notifications.store.models import Integration
from shared.http.records import if_match
from shared.http.resources import PageQuery
from shared.http.views import Resource, blueprint
from shared.http.work import runtime

integrations_api = blueprint("integrations", __name__, "City systems' queues bound to the events they need")


def present(statement: Select, query: PageQuery) -> Select:
    return statement.where(Integration.removed.is_(False))


def _integration(row: Integration) -> dict:
    return IntegrationOut(id=row.id, name=row.name, queue=integration_queue_name(runtime().settings, row.name),
                          patterns=row.patterns, declared=row.declared_patterns == row.patterns, version=row.version,
                          created_at=row.created_at).model_dump(mode="json")


INTEGRATIONS = Resource(integrations_api, "/integrations", "integration_id", Integration, IntegrationOut,
                        (*ADMINS, "operator"), ADMINS, serialize=_integration)
INTEGRATIONS.create("create_integration", "Give a city system its own queue bound to some events", IntegrationIn,
                    lambda uow, ids, body: integrate(uow, body.name, body.patterns, body.model_dump()),
                    problems=(409,))
INTEGRATIONS.listing("list_integrations", "Every city system's queue", PageQuery, narrow=(present,),
                     sortable=("name",), order=("name",))
INTEGRATIONS.write("put", "/integrations/<integration_id>/patterns", "put_integration_patterns",
                   "Change what a city system's queue gets",
                   lambda uow, ids, body: change_patterns(uow, *ids, body.patterns, body.model_dump(), if_match()),
                   path=IntegrationPath, body=IntegrationPatterns, problems=(404, 412))
INTEGRATIONS.remove("delete_integration", "Remove a city system's queue (and its messages)", IntegrationPath,
                    lambda uow, ids, body: remove_integration(uow, *ids), problems=(404,), gone=NO_CONTENT)
