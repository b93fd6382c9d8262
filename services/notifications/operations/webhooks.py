"""Webhooks: a system's endpoint that receives the events matching a pattern, switched off after failing
too often in a row and enabled again by its owner."""

from __future__ import annotations

from services.notifications.channels.webhook import new_secret, vetted_address
from services.notifications.domain.targets import TargetRefused
from services.notifications.events import contents
from services.notifications.operations.registrations import require_pattern_allowed
from services.notifications.store.models import Webhook
from services.notifications.store.recipients import roles_text
from shared.db import find
from shared.kit.refusals import Invalid, NotFound, require_version
from shared.uow import UnitOfWork

ADMINS = frozenset({"notifications-admin", "admin"})  # they see and manage everyone's webhooks


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
