"""Webhooks (signed per Standard Webhooks) and the delivery log with every attempt."""

from __future__ import annotations

from flask import current_app, g
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.notifications.api.schemas import (
    AttemptOut,
    DeliveryDetail,
    DeliveryOut,
    DeliveryPath,
    DeliveryQuery,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
    WebhookPath,
)
from services.notifications.channels.webhook import new_secret, vetted_address
from services.notifications.dispatch import webhook_event_data
from services.notifications.domain.audience import PatternNotAllowed, check_pattern_allowed
from services.notifications.domain.targets import TargetRefused
from services.notifications.store.models import Delivery, DeliveryAttempt, Webhook
from shared.http.auth import ANY_STAFF, allow
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
from shared.http.work import read_only, unit_of_work

webhooks_api = APIBlueprint("webhooks", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="webhooks", description="Webhooks and the delivery log")])
ADMINS = ("notifications-admin",)


def _webhook(row: Webhook) -> dict:
    return WebhookOut.model_validate(row).model_dump(mode="json")


def _refused(field: str, message: str) -> Problem:
    return Problem(422, "The request is not valid", message, slug="validation",
                   errors=[{"field": field, "message": message}])


def _own_webhook(session, webhook_id: str) -> Webhook:
    row = session.get(Webhook, webhook_id)
    if row is None or (row.owner != g.principal.subject and not g.principal.has_any(ADMINS)):
        raise Problem(404, "Not found", f"No webhook {webhook_id}", slug="not-found")
    return row


@webhooks_api.post("/webhooks", summary="Register a webhook for the events matching a pattern",
                   responses={201: WebhookCreated, **problem_responses(400, 413, 415)})
@allow(*ANY_STAFF)
@idempotent
def create_webhook(body: WebhookCreate):
    try:
        check_pattern_allowed(body.pattern, g.principal.roles)
    except PatternNotAllowed as error:
        raise _refused("pattern", str(error)) from error
    try:
        vetted_address(body.url, current_app.extensions["notifications.settings"].webhook_allowed_networks)
    except TargetRefused as error:
        raise _refused("url", str(error)) from error
    with unit_of_work() as uow:
        row = Webhook(owner=uow.actor, owner_roles=",".join(sorted(uow.roles)), url=body.url, pattern=body.pattern,
                      secret=new_secret(), enabled=True, consecutive_failures=0, version=1)
        uow.session.add(row)
        uow.session.flush()
        uow.audit("webhook.create", "webhook", row.id,
                  {"pattern": body.pattern, "host": webhook_event_data(row)["host"]})
        answer = WebhookCreated(**_webhook(row), secret=row.secret).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/webhooks/{row.id}", row.version)


@webhooks_api.get("/webhooks", summary="Your webhooks (notification admins: everyone's)",
                  responses={200: Page[WebhookOut]})
@allow(*ANY_STAFF)
def list_webhooks(query: PageQuery):
    statement = select(Webhook)
    if not g.principal.has_any(ADMINS):
        statement = statement.where(Webhook.owner == g.principal.subject)
    statement = apply_sort(statement, query.sort, {"created_at": Webhook.created_at}, [Webhook.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _webhook))


@webhooks_api.post("/webhooks/<webhook_id>/enable", summary="Enable a webhook again (after it was disabled)",
                   responses={200: WebhookOut, **problem_responses(404, 412)})
@allow(*ANY_STAFF)
def enable_webhook(path: WebhookPath):
    with unit_of_work() as uow:
        row = _own_webhook(uow.session, path.webhook_id)
        require_fresh(row.version)
        if not row.enabled:
            row.enabled, row.consecutive_failures, row.disabled_reason = True, 0, None
            row.version += 1
            uow.audit("webhook.enable", "webhook", row.id, {})
        answer, version = _webhook(row), row.version
    return json_response(answer, headers={"ETag": etag(version)})


@webhooks_api.delete("/webhooks/<webhook_id>", summary="Remove a webhook",
                     responses={204: None, **problem_responses(404)})
@allow(*ANY_STAFF)
def delete_webhook(path: WebhookPath):
    with unit_of_work() as uow:
        row = _own_webhook(uow.session, path.webhook_id)
        uow.session.delete(row)
        uow.audit("webhook.delete", "webhook", row.id, {"pattern": row.pattern})
    return json_response(None, 204)


@webhooks_api.get("/deliveries", summary="The delivery log: every planned delivery and its state",
                  responses={200: Page[DeliveryOut]})
@allow(*ADMINS, "operator", "auditor")
def list_deliveries(query: DeliveryQuery):
    statement = select(Delivery)
    for name in ("event_id", "recipient", "channel", "status"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Delivery, name) == getattr(query, name))
    statement = apply_sort(statement, query.sort, {"created_at": Delivery.created_at, "due_at": Delivery.due_at},
                           [Delivery.created_at.desc(), Delivery.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query,
                                      lambda row: DeliveryOut.model_validate(row).model_dump(mode="json")))


@webhooks_api.get("/deliveries/<delivery_id>", summary="One delivery with every attempt (channel, outcome, error)",
                  responses={200: DeliveryDetail, **problem_responses(404)})
@allow(*ADMINS, "operator", "auditor")
def get_delivery(path: DeliveryPath):
    with read_only() as session:
        row = session.get(Delivery, path.delivery_id)
        if row is None:
            raise Problem(404, "Not found", f"No delivery {path.delivery_id}", slug="not-found")
        attempts = session.execute(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == row.id)
                                   .order_by(DeliveryAttempt.number)).scalars()
        body = DeliveryDetail(**DeliveryOut.model_validate(row).model_dump(),
                              attempts_log=[AttemptOut.model_validate(attempt) for attempt in attempts])
        return json_response(body.model_dump(mode="json"))
