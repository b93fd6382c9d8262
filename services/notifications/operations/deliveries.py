"""Deliveries: the dispatcher's transactions around each attempt (decision 0052), each on its own unit of work.

A delivery is claimed and its attempt recorded (`sending`, with a lease until `due_at`) in one transaction,
committed BEFORE the channel is called; the outcome is recorded in a second one after. A worker killed in
between leaves the delivery `sending`; when its lease runs out the attempt is recovered as `unknown` and:
- an e-mail is never sent again (status `unknown`): it may have left, and a second copy is worse;
- a webhook is sent again with the same `webhook-id`, which Standard Webhooks receivers use to drop a
  repeat, so the receiver acts on it at most once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from services.notifications.channels import ChannelError, Outgoing
from services.notifications.channels.templates import default_book
from services.notifications.domain.delivery_plan import EMAIL
from services.notifications.domain.retries import disables_webhook, gives_up, next_attempt_at
from services.notifications.operations.webhooks import disable_webhook, signing_secrets
from services.notifications.store.models import Delivery, DeliveryAttempt, Recipient, Webhook
from shared.uow import UnitOfWork

log = logging.getLogger("chancery.notifications.dispatch")
WEBHOOK_PREFIX = "webhook:"
DIGEST_TEMPLATE = "_digest"  # templates/_digest/email.<language>.j2


def _lease_ends(uow: UnitOfWork, now: datetime) -> datetime:
    return now + timedelta(seconds=uow.settings.send_lease_seconds)


def _take(uow: UnitOfWork, delivery_id: str, now: datetime) -> bool:
    """Move a pending delivery to `sending` for one more attempt; False when another dispatcher took it."""
    taken = uow.session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "pending")
        .values(status="sending", attempts=Delivery.attempts + 1, due_at=_lease_ends(uow, now)))
    return bool(cast(CursorResult[Any], taken).rowcount)


def _start_attempt(uow: UnitOfWork, delivery: Delivery, now: datetime) -> int:
    attempt = DeliveryAttempt(delivery_id=delivery.id, number=delivery.attempts, channel=delivery.channel,
                              started_at=now, outcome="sending")
    uow.session.add(attempt)
    uow.session.flush()
    return attempt.id


def claim_delivery(uow: UnitOfWork, delivery_id: str) -> tuple[Outgoing, int] | None:
    """The delivery as its channel needs it and the id of its attempt, now `sending`; None when another
    dispatcher took it, or when its webhook was disabled (the delivery is then cancelled)."""
    now = uow.now()
    if not _take(uow, delivery_id, now):
        return None
    delivery = uow.session.get_one(Delivery, delivery_id)
    secrets: tuple[str, ...] = ()
    if delivery.channel == "webhook":
        webhook = uow.session.get(Webhook, delivery.recipient.removeprefix(WEBHOOK_PREFIX))
        if webhook is None or not webhook.enabled:
            delivery.status, delivery.finished_at, delivery.last_error = "cancelled", now, "webhook disabled"
            return None
        secrets = signing_secrets(webhook, now)
    attempt_id = _start_attempt(uow, delivery, now)
    outgoing = Outgoing(id=delivery.id, channel=delivery.channel, recipient=delivery.recipient,
                        target=delivery.target, title=delivery.title, body=delivery.body,
                        payload=delivery.payload, secrets=secrets)
    return outgoing, attempt_id


def claim_digest(uow: UnitOfWork, recipient: str) -> tuple[Outgoing, list[tuple[str, int]]] | None:
    """Everything due for one person's daily digest as one e-mail, and each delivery's attempt (delivery id,
    attempt id); None when nothing is left to claim."""
    now = uow.now()
    due = uow.session.execute(select(Delivery).where(
        Delivery.recipient == recipient, Delivery.status == "pending", Delivery.digest.is_(True),
        Delivery.channel == EMAIL, Delivery.due_at <= now).order_by(Delivery.created_at)).scalars().all()
    mine = [delivery for delivery in due if _take(uow, delivery.id, now)]
    if not mine:
        return None
    attempts = []
    for delivery in mine:
        uow.session.refresh(delivery)
        attempts.append((delivery.id, _start_attempt(uow, delivery, now)))
    person = uow.session.get(Recipient, recipient)
    digest = {"id": mine[0].id, "type": DIGEST_TEMPLATE, "subject": recipient,
              "data": {"count": len(mine), "entries": [{"title": d.title, "event_type": d.event_type}
                                                       for d in mine]}}
    message = default_book().render(digest, EMAIL, person.language if person else "en")
    # The first delivery's id names the digest: the same Message-ID if it is ever tried again.
    outgoing = Outgoing(id=mine[0].id, channel=EMAIL, recipient=recipient, target=mine[-1].target,
                        title=message.title, body=message.body, payload=None)
    return outgoing, attempts


def finish_attempt(uow: UnitOfWork, outgoing: Outgoing, attempt_id: int, failure: ChannelError | None) -> None:
    """Record what the channel did: sent, or failed and tried again later (backing off) or given up."""
    now, settings = uow.now(), uow.settings
    attempt = uow.session.get_one(DeliveryAttempt, attempt_id)
    attempt.outcome, attempt.finished_at = ("sent" if failure is None else "failed"), now
    attempt.error = None if failure is None else str(failure)[:500]
    delivery = uow.session.get_one(Delivery, outgoing.id)
    if failure is None:
        delivery.status, delivery.finished_at = "sent", now
    elif gives_up(delivery.attempts, settings.max_attempts, failure.retryable):
        delivery.status, delivery.finished_at, delivery.last_error = "failed", now, attempt.error
    else:
        delivery.status, delivery.last_error = "pending", attempt.error
        delivery.due_at = next_attempt_at(delivery.attempts, now, settings.retry_base_seconds,
                                          settings.retry_max_seconds)
    if outgoing.channel == "webhook":
        _count_webhook_outcome(uow, outgoing, failure)


def _count_webhook_outcome(uow: UnitOfWork, outgoing: Outgoing, failure: ChannelError | None) -> None:
    webhook = uow.session.get(Webhook, outgoing.recipient.removeprefix(WEBHOOK_PREFIX))
    if webhook is None:
        return
    if failure is None:
        webhook.consecutive_failures = 0
        return
    webhook.consecutive_failures += 1
    if webhook.enabled and disables_webhook(webhook.consecutive_failures, uow.settings.webhook_disable_after):
        disable_webhook(uow, webhook, f"{webhook.consecutive_failures} failed attempts in a row; last: {failure}")
        log.warning("webhook %s disabled after %d failures", webhook.id, webhook.consecutive_failures)


def recover_abandoned(uow: UnitOfWork) -> list[str]:
    """Attempts whose lease ran out without an outcome (the worker died between calling the channel and recording
    what happened): recorded as `unknown`; a webhook is due again, an e-mail never. The channel of each."""
    now = uow.now()
    abandoned = uow.session.execute(select(Delivery).where(Delivery.status == "sending",
                                                           Delivery.due_at <= now)).scalars().all()
    for delivery in abandoned:
        uow.session.execute(update(DeliveryAttempt).where(
            DeliveryAttempt.delivery_id == delivery.id, DeliveryAttempt.number == delivery.attempts,
            DeliveryAttempt.outcome == "sending").values(
            outcome="unknown", finished_at=now, error="the worker stopped before the outcome was recorded"))
        if delivery.channel == "webhook":
            delivery.status, delivery.due_at = "pending", now
        else:
            delivery.status, delivery.finished_at = "unknown", now
        log.warning("delivery %s (%s) abandoned mid-send: %s", delivery.id, delivery.channel,
                    "resending with the same webhook-id" if delivery.channel == "webhook" else "not resent")
    return [delivery.channel for delivery in abandoned]
