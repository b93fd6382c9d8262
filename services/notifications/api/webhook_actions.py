"""What a webhook's owner (or an operator) asks of a webhook beyond its registration: a new secret with an
overlap, a test event, a past delivery sent again (docs/integration.md)."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import Tag

from services.notifications.api.delivery_schemas import DeliveryOut, DeliveryPath
from services.notifications.api.webhook_schemas import WebhookOut, WebhookPath, WebhookRotated
from services.notifications.operations.webhooks import redeliver, rotate_secret, send_test_event
from services.notifications.store.models import Delivery
from shared.http.auth import ANY_STAFF, allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.records import if_match, record_response
from shared.http.resources import json_response
from shared.http.work import unit_of_work

webhook_actions_api = LazyDocBlueprint("webhook_actions", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                       abp_responses=problem_responses(401, 403, 404, 409, 422),
                                       abp_tags=[Tag(name="webhooks", description="Webhooks and the delivery log")])


def _queued(delivery: Delivery) -> Response:
    return json_response(DeliveryOut.model_validate(delivery).model_dump(mode="json"), 202)


@webhook_actions_api.post("/webhooks/<webhook_id>/rotate-secret",
                          summary="A new secret; the old one still signs until the overlap ends (shown only once)",
                          responses={200: WebhookRotated, **problem_responses(412)})
@allow(*ANY_STAFF)
def rotate_webhook_secret(path: WebhookPath) -> Response:
    with unit_of_work() as uow:
        row = rotate_secret(uow, path.webhook_id, if_match())
        body = WebhookRotated(**WebhookOut.model_validate(row).model_dump(), secret=row.secret,
                              previous_secret_expires_at=row.previous_secret_expires_at)
        return record_response(body.model_dump(mode="json"), row.version)


@webhook_actions_api.post("/webhooks/<webhook_id>/test",
                          summary="Send a test event (`chancery.notifications.webhook.test.v1`) like a real one",
                          responses={202: DeliveryOut})
@allow(*ANY_STAFF)
def test_webhook(path: WebhookPath) -> Response:
    with unit_of_work() as uow:
        return _queued(send_test_event(uow, path.webhook_id))


@webhook_actions_api.post("/deliveries/<delivery_id>/redeliver",
                          summary="Send a finished webhook delivery again, with the same webhook-id",
                          responses={202: DeliveryOut})
@allow(*ANY_STAFF)
def redeliver_delivery(path: DeliveryPath) -> Response:
    with unit_of_work() as uow:
        return _queued(redeliver(uow, path.delivery_id))
