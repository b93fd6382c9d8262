"""City systems' own queues on the broker, bound to the events they subscribed to (notification admins)."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.notifications.api.common import ADMINS
from services.notifications.api.integration_schemas import (
    IntegrationIn,
    IntegrationOut,
    IntegrationPath,
    IntegrationPatterns,
)
from services.notifications.channels.integration_queues import integration_queue_name
from services.notifications.operations.integrations import change_patterns, integrate, remove_integration
from services.notifications.store.models import Integration
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, runtime, unit_of_work

integrations_api = APIBlueprint("integrations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                abp_responses=problem_responses(401, 403, 422),
                                abp_tags=[Tag(name="integrations",
                                              description="City systems' queues bound to the events they need")])


def _integration(row: Integration) -> dict:
    return IntegrationOut(id=row.id, name=row.name, queue=integration_queue_name(runtime().settings, row.name),
                          patterns=row.patterns, declared=row.declared_patterns == row.patterns, version=row.version,
                          created_at=row.created_at).model_dump(mode="json")


@integrations_api.post("/integrations", summary="Give a city system its own queue bound to some events",
                       responses={201: IntegrationOut, **problem_responses(400, 409, 413, 415)})
@allow(*ADMINS)
@idempotent
def create_integration(body: IntegrationIn):
    with unit_of_work() as uow:
        row = integrate(uow, body.name, body.patterns, body.model_dump())
        return created(uow, _integration(row), f"/api/v1/integrations/{row.id}", row.version)


@integrations_api.get("/integrations", summary="Every city system's queue", responses={200: Page[IntegrationOut]})
@allow(*ADMINS, "operator")
def list_integrations(query: PageQuery):
    statement = apply_sort(select(Integration).where(Integration.removed.is_(False)), query.sort,
                           {"name": Integration.name}, [Integration.name])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _integration))


@integrations_api.put("/integrations/<integration_id>/patterns", summary="Change what a city system's queue gets",
                      responses={200: IntegrationOut, **problem_responses(400, 404, 412, 413, 415)})
@allow(*ADMINS)
def put_integration_patterns(path: IntegrationPath, body: IntegrationPatterns):
    with unit_of_work() as uow:
        row = change_patterns(uow, path.integration_id, body.patterns, body.model_dump(), if_match())
        return record_response(_integration(row), row.version)


@integrations_api.delete("/integrations/<integration_id>", summary="Remove a city system's queue (and its messages)",
                         responses={204: None, **problem_responses(404)})
@allow(*ADMINS)
def delete_integration(path: IntegrationPath):
    with unit_of_work() as uow:
        remove_integration(uow, path.integration_id)
    return json_response(None, 204)
