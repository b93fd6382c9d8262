"""Webhooks: a system's endpoint that receives the events matching a pattern, switched off after failing
too often in a row and enabled again by its owner; its secret rotated with an overlap, a test event sent and a
past delivery sent again on request."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.notifications.channels.webhook import new_secret, vetted_address
from services.notifications.domain.targets import TargetRefused
from services.notifications.events import contents
from services.notifications.operations.registrations import require_pattern_allowed
from services.notifications.store.models import Delivery, Webhook
from services.notifications.store.recipients import roles_text
from shared.db import find
from shared.kit.ids import new_id
from shared.kit.refusals import Conflict, Invalid, NotFound, require_version
from shared.uow import UnitOfWork

ADMINS = frozenset({"notifications-admin", "admin"})  # they see and manage everyone's webhooks
OPERATORS = ADMINS | {"operator"}  # they may also send any webhook delivery again
TEST_EVENT = "chancery.notifications.webhook.test.v1"
FINISHED = frozenset({"sent", "failed", "cancelled", "unknown"})


def register_webhook(uow: UnitOfWork, url: str, pattern: str) -> Webhook:
    """A webhook of the caller's, for a pattern of their departments, at an address the configuration allows."""
    require_pattern_allowed(pattern, uow.roles, "pattern")
    try:
        vetted_address(url, uow.settings.webhook_allowed_networks)
    except TargetRefused as error:
        raise Invalid("url", str(error)) from error
    webhook = Webhook(owner=uow.actor, owner_roles=roles_text(uow.roles), url=url, pattern=pattern,
                      secret=new_secret(), enabled=True, consecutive_failures=0, version=1)
    uow.session.add(webhook)
    uow.session.flush()
    uow.audit("webhook.create", "webhook", webhook.id, {"pattern": pattern, "host": contents.webhook_host(webhook)})
    return webhook


def own_webhook(uow: UnitOfWork, webhook_id: str) -> Webhook:
    """The caller's webhook (any webhook, for notification admins), or NotFound."""
    webhook = find(uow.session, Webhook, webhook_id, "webhook")
    if webhook.owner != uow.actor and not uow.roles & ADMINS:
        raise NotFound("webhook", webhook_id)
    return webhook


def enable_webhook(uow: UnitOfWork, webhook_id: str, expected_version: frozenset[int] | None) -> Webhook:
    """Switch a disabled webhook on again, its failures forgotten; an enabled one stays as it is."""
    webhook = own_webhook(uow, webhook_id)
    require_version(webhook.version, expected_version)
    if not webhook.enabled:
        webhook.enabled, webhook.consecutive_failures, webhook.disabled_reason = True, 0, None
        webhook.version += 1
        uow.audit("webhook.enable", "webhook", webhook.id, {})
    return webhook


def remove_webhook(uow: UnitOfWork, webhook_id: str) -> None:
    webhook = own_webhook(uow, webhook_id)
    uow.session.delete(webhook)
    uow.audit("webhook.delete", "webhook", webhook.id, {"pattern": webhook.pattern})


def disable_webhook(uow: UnitOfWork, webhook: Webhook, reason: str) -> None:
    """Switch off a webhook that failed too often in a row. Its owner hears it through the fan-out of the event
    (`operations.fan_out.listeners`: a webhook's owner). The audit action keeps its name `webhook.disable`."""
    webhook.enabled, webhook.version = False, webhook.version + 1
    webhook.disabled_reason = reason[:500]
    uow.emit("chancery.notifications.webhook.disabled.v1", webhook.id, contents.webhook(webhook))
    uow.audit("webhook.disable", "webhook", webhook.id, {"reason": webhook.disabled_reason})


def signing_secrets(webhook: Webhook, now: datetime) -> tuple[str, ...]:
    """The secrets a delivery is signed with now: the current one, and the previous one until it expires."""
    expires = webhook.previous_secret_expires_at
    if webhook.previous_secret and expires is not None and now < expires:
        return webhook.secret, webhook.previous_secret
    return (webhook.secret,)


def rotate_secret(uow: UnitOfWork, webhook_id: str, expected_version: frozenset[int] | None) -> Webhook:
    """A new secret signs from now on; the one it replaces signs too until the overlap the settings give ends,
    so the receiver can switch secrets without losing a message. A secret still overlapping is dropped."""
    webhook = own_webhook(uow, webhook_id)
    require_version(webhook.version, expected_version)
    expires = uow.now() + timedelta(seconds=uow.settings.webhook_secret_overlap_seconds)
    webhook.previous_secret, webhook.previous_secret_expires_at = webhook.secret, expires
    webhook.secret, webhook.version = new_secret(), webhook.version + 1
    uow.audit("webhook.rotate-secret", "webhook", webhook.id, {"previous_secret_expires_at": expires.isoformat()})
    return webhook


def _require_enabled(webhook: Webhook) -> None:
    if not webhook.enabled:
        raise Conflict(f"Webhook {webhook.id} is disabled; enable it first", slug="webhook-disabled",
                       title="Webhook disabled")


def send_test_event(uow: UnitOfWork, webhook_id: str) -> Delivery:
    """A delivery of a test event to the webhook, sent by the dispatcher like any other (signed, retried,
    logged); the event is `chancery.notifications.webhook.test.v1` with `data.test` true, never on the bus."""
    webhook = own_webhook(uow, webhook_id)
    _require_enabled(webhook)
    event = {"specversion": "1.0", "id": new_id(), "source": "/chancery/notifications", "type": TEST_EVENT,
             "time": uow.now().isoformat().replace("+00:00", "Z"), "subject": webhook.id,
             "datacontenttype": "application/json",
             "data": {"test": True, "webhook_id": webhook.id, "requested_by": uow.actor}}
    delivery = Delivery(id=new_id(), event_id=event["id"], event_type=TEST_EVENT, recipient=f"webhook:{webhook.id}",
                        channel="webhook", target=webhook.url, payload=event, due_at=uow.now())
    uow.session.add(delivery)
    uow.session.flush()
    uow.audit("webhook.test", "webhook", webhook.id, {"delivery_id": delivery.id})
    return delivery


def redeliver(uow: UnitOfWork, delivery_id: str) -> Delivery:
    """A finished webhook delivery due again now, with the same `webhook-id` (a receiver that acted on it drops
    the repeat); one more attempt is logged. Operators may send any; a webhook's owner, their own."""
    delivery = find(uow.session, Delivery, delivery_id, "delivery")
    if delivery.channel != "webhook":
        raise Conflict(f"Delivery {delivery.id} went by {delivery.channel}: only webhook deliveries are sent again",
                       slug="not-a-webhook-delivery", title="Not a webhook delivery")
    webhook_id = delivery.recipient.removeprefix("webhook:")
    webhook = find(uow.session, Webhook, webhook_id, "webhook") if uow.roles & OPERATORS else \
        own_webhook(uow, webhook_id)
    _require_enabled(webhook)
    if delivery.status not in FINISHED:
        raise Conflict(f"Delivery {delivery.id} is {delivery.status}: it is being sent already",
                       slug="delivery-in-progress", title="Delivery in progress")
    delivery.status, delivery.due_at, delivery.finished_at, delivery.last_error = "pending", uow.now(), None, None
    uow.audit("delivery.redeliver", "delivery", delivery.id, {"webhook_id": webhook.id})
    return delivery
