"""City systems' own queues on the broker, bound to the events they subscribed to (notification admins)."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.notifications.api.schemas import IntegrationIn, IntegrationOut, IntegrationPath, IntegrationPatterns
from services.notifications.integration_queues import integration_queue_name
from services.notifications.store.models import Integration
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    etag,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, runtime, unit_of_work

integrations_api = APIBlueprint("integrations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                abp_responses=problem_responses(401, 403, 422),
                                abp_tags=[Tag(name="integrations",
                                              description="City systems' queues bound to the events they need")])


def _integration(row: Integration) -> dict:
    return IntegrationOut(id=row.id, name=row.name, queue=integration_queue_name(runtime().settings, row.name),
                          patterns=row.patterns, declared=row.declared_patterns == row.patterns, version=row.version,
                          created_at=row.created_at).model_dump(mode="json")


def _found(session, integration_id: str) -> Integration:
    row = session.get(Integration, integration_id)
    if row is None or row.removed:
        raise Problem(404, "Not found", f"No integration {integration_id}", slug="not-found")
    return row


@integrations_api.post("/integrations", summary="Give a city system its own queue bound to some events",
                       responses={201: IntegrationOut, **problem_responses(400, 409, 413, 415)})
@allow("notifications-admin")
@idempotent
def create_integration(body: IntegrationIn):
    try:
        with unit_of_work() as uow:
            row = Integration(name=body.name, patterns=sorted(set(body.patterns)), created_by=uow.actor,
                              removed=False, version=1)
            uow.session.add(row)
            uow.session.flush()
            uow.audit("integration.create", "integration", row.id, body.model_dump())
            return created(uow, _integration(row), f"/api/v1/integrations/{row.id}", row.version)
    except IntegrityError as error:
        raise Problem(409, "Already integrated", f"{body.name} already has a queue", slug="duplicate") from error


@integrations_api.get("/integrations", summary="Every city system's queue", responses={200: Page[IntegrationOut]})
@allow("notifications-admin", "operator")
def list_integrations(query: PageQuery):
    statement = apply_sort(select(Integration).where(Integration.removed.is_(False)), query.sort,
                           {"name": Integration.name}, [Integration.name])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _integration))


@integrations_api.put("/integrations/<integration_id>/patterns", summary="Change what a city system's queue gets",
                      responses={200: IntegrationOut, **problem_responses(400, 404, 412, 413, 415)})
@allow("notifications-admin")
def put_integration_patterns(path: IntegrationPath, body: IntegrationPatterns):
    with unit_of_work() as uow:
        row = _found(uow.session, path.integration_id)
        require_fresh(row.version)
        row.patterns, row.version = sorted(set(body.patterns)), row.version + 1
        uow.audit("integration.patterns", "integration", row.id, body.model_dump())
        answer, version = _integration(row), row.version
    return json_response(answer, headers={"ETag": etag(version)})


@integrations_api.delete("/integrations/<integration_id>", summary="Remove a city system's queue (and its messages)",
                         responses={204: None, **problem_responses(404)})
@allow("notifications-admin")
def delete_integration(path: IntegrationPath):
    with unit_of_work() as uow:
        row = _found(uow.session, path.integration_id)
        row.removed = True
        uow.audit("integration.delete", "integration", row.id, {"name": row.name})
    return json_response(None, 204)
