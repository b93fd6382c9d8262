"""Webhooks (signed per Standard Webhooks) and the delivery log with every attempt."""

from __future__ import annotations

from flask import Response, g
from sqlalchemy import select

from services.notifications.api import delivery_schemas
from services.notifications.api.common import ADMINS
from services.notifications.api.delivery_schemas import AttemptOut, DeliveryDetail, DeliveryOut, DeliveryPath
from services.notifications.api.webhook_schemas import WebhookCreate, WebhookCreated, WebhookOut, WebhookPath
from services.notifications.operations.webhooks import enable_webhook as enable
from services.notifications.operations.webhooks import register_webhook, remove_webhook
from services.notifications.store.models import Delivery, DeliveryAttempt, Webhook
from shared.db import find
from shared.http.auth import ANY_STAFF, allow
from shared.http.problems import problem_responses
from shared.http.records import if_match, record_response
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    idempotent,
    json_response,
    paginate,
    sorted_by,
    where_set,
)
from shared.http.views import blueprint
from shared.http.work import read_only, unit_of_work

webhooks_api = blueprint("webhooks", __name__, "Webhooks and the delivery log")
WEBHOOK_ORDER = {"created_at": Webhook.created_at}
WebhookQuery = sorted_by(PageQuery, WEBHOOK_ORDER)
DELIVERY_ORDER = {"created_at": Delivery.created_at, "due_at": Delivery.due_at}
NEWEST_FIRST = [Delivery.created_at.desc(), Delivery.id.desc()]  # the (created_at, id) index read backwards
DeliveryQuery = sorted_by(delivery_schemas.DeliveryQuery, DELIVERY_ORDER)


def _webhook(row: Webhook) -> dict:
    return WebhookOut.model_validate(row).model_dump(mode="json")


@webhooks_api.post("/webhooks", summary="Register a webhook for the events matching a pattern",
                   responses={201: WebhookCreated, **problem_responses(400, 413, 415)})
@allow(*ANY_STAFF)
@idempotent
def create_webhook(body: WebhookCreate):
    with unit_of_work() as uow:
        row = register_webhook(uow, body.url, body.pattern)
        answer = WebhookCreated(**_webhook(row), secret=row.secret).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/webhooks/{row.id}", row.version)


@webhooks_api.get("/webhooks", summary="Your webhooks (notification admins: everyone's)",
                  responses={200: Page[WebhookOut]})
@allow(*ANY_STAFF)
def list_webhooks(query: WebhookQuery):
    statement = select(Webhook)
    if not g.principal.has_any(ADMINS):
        statement = statement.where(Webhook.owner == g.principal.subject)
    statement = apply_sort(statement, query.sort, WEBHOOK_ORDER, [Webhook.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _webhook))


@webhooks_api.post("/webhooks/<webhook_id>/enable", summary="Enable a webhook again (after it was disabled)",
                   responses={200: WebhookOut, **problem_responses(404, 412)})
@allow(*ANY_STAFF)
def enable_webhook(path: WebhookPath) -> Response:
    with unit_of_work() as uow:
        row = enable(uow, path.webhook_id, if_match())
        return record_response(_webhook(row), row.version)


@webhooks_api.delete("/webhooks/<webhook_id>", summary="Remove a webhook",
                     responses={204: None, **problem_responses(404)})
@allow(*ANY_STAFF)
def delete_webhook(path: WebhookPath):
    with unit_of_work() as uow:
        remove_webhook(uow, path.webhook_id)
    return json_response(None, 204)


@webhooks_api.get("/deliveries", summary="The delivery log: every planned delivery and its state",
                  responses={200: Page[DeliveryOut]})
@allow(*ADMINS, "operator", "auditor")
def list_deliveries(query: DeliveryQuery):
    statement = select(Delivery)
    statement = where_set(statement, Delivery, query, ("event_id", "recipient", "channel", "status"))
    statement = apply_sort(statement, query.sort, DELIVERY_ORDER, NEWEST_FIRST)
    with read_only() as session:
        return json_response(paginate(session, statement, query,
                                      lambda row: DeliveryOut.model_validate(row).model_dump(mode="json")))


@webhooks_api.get("/deliveries/<delivery_id>", summary="One delivery with every attempt (channel, outcome, error)",
                  responses={200: DeliveryDetail, **problem_responses(404)})
@allow(*ADMINS, "operator", "auditor")
def get_delivery(path: DeliveryPath):
    with read_only() as session:
        row = find(session, Delivery, path.delivery_id, "delivery")
        attempts = session.execute(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == row.id)
                                   .order_by(DeliveryAttempt.number)).scalars()
        body = DeliveryDetail(**DeliveryOut.model_validate(row).model_dump(),
                              attempts_log=[AttemptOut.model_validate(attempt) for attempt in attempts])
        return json_response(body.model_dump(mode="json"))
