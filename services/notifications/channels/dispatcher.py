"""The worker's dispatcher: sends the planned deliveries that are due, at most once per (event, recipient,
channel).

Each attempt is committed (delivery `sending`, attempt `sending`, a lease until `due_at`) BEFORE the channel
is called, and finished in a second transaction after. A worker killed in between leaves the delivery
`sending`; when its lease runs out the attempt is recorded as `unknown` and:
- an e-mail is never sent again (status `unknown`): it may have left, and a second copy is worse;
- a webhook is sent again with the same `webhook-id`, which Standard Webhooks receivers use to drop a
  repeat, so the receiver acts on it at most once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from prometheus_client import Counter
from sqlalchemy import select, update

from services.notifications.channels import Channel, ChannelError, Outgoing
from services.notifications.channels.email import EmailChannel
from services.notifications.channels.webhook import WebhookChannel
from services.notifications.domain.delivery_plan import EMAIL
from services.notifications.domain.retries import disables_webhook, gives_up, next_attempt_at
from services.notifications.domain.templates import default_book
from services.notifications.operations.webhooks import disable_webhook
from services.notifications.settings import NotificationSettings, settings_of
from services.notifications.store.models import Delivery, DeliveryAttempt, Recipient, Webhook
from shared.bus.backoff import Backoff
from shared.service import ServiceRuntime
from shared.uow import worker_unit_of_work

log = logging.getLogger("chancery.notifications.dispatch")
DELIVERIES = Counter("chancery_notification_deliveries_total", "Notification delivery attempts by outcome",
                     ["channel", "outcome"])
WEBHOOK_PREFIX = "webhook:"
DIGEST_TEMPLATE = "_digest"  # templates/_digest/email.<language>.j2
BATCH = 100


class Dispatcher:
    def __init__(self, service: ServiceRuntime, settings: NotificationSettings, channels: dict[str, Channel]):
        self.service, self.settings, self.channels = service, settings, channels
        self.database = service.database

    def clock(self) -> datetime:
        return self.service.clock()

    def run(self, stop: threading.Event) -> None:
        backoff = Backoff()
        while not stop.is_set():
            try:
                busy = self.tick(stop.is_set)
                backoff.reset()
            except Exception:  # noqa: BLE001 - the database may be away; deliveries wait in their table
                log.exception("dispatch failed")
                stop.wait(backoff.next())
                continue
            if not busy:
                stop.wait(self.settings.dispatch_poll_seconds)

    def tick(self, stopping: Callable[[], bool] = lambda: False) -> int:
        """Recover abandoned attempts, then send what is due; returns how many were attempted.

        `stopping` is asked before each send: a batch of slow channels must not hold up the worker's shutdown
        (and each look tells the worker's liveness probe that this loop is making progress)."""
        self.recover(self.clock())
        attempted = 0
        for delivery_id in self._due(self.clock()):
            if stopping():
                return attempted
            claimed = self._claim(delivery_id, self.clock())
            if claimed is None:
                continue
            outgoing, attempt_id = claimed
            try:
                self.channels[outgoing.channel].send(outgoing)
                failure = None
            except ChannelError as error:
                failure = error
            self._finish(outgoing, attempt_id, failure, self.clock())
            attempted += 1
        for recipient in self._due_digests(self.clock()):
            if stopping():
                return attempted
            attempted += self._send_digest(recipient, self.clock())
        return attempted

    def _due(self, now: datetime) -> list[str]:
        with self.database.read_session() as session:
            return list(session.execute(
                select(Delivery.id).where(Delivery.status == "pending", Delivery.due_at <= now,
                                          Delivery.digest.is_(False), Delivery.channel.in_(self.channels))
                .order_by(Delivery.due_at).limit(BATCH)).scalars())

    def _due_digests(self, now: datetime) -> list[str]:
        if EMAIL not in self.channels:
            return []
        with self.database.read_session() as session:
            return list(session.execute(
                select(Delivery.recipient).where(Delivery.status == "pending", Delivery.due_at <= now,
                                                 Delivery.digest.is_(True), Delivery.channel == EMAIL)
                .distinct().limit(BATCH)).scalars())

    def _send_digest(self, recipient: str, now: datetime) -> int:
        """Everything due for one person's daily digest in one e-mail; each delivery keeps its own attempt."""
        claimed = self._claim_digest(recipient, now)
        if not claimed:
            return 0
        outgoing, attempts = claimed
        try:
            self.channels[EMAIL].send(outgoing)
            failure = None
        except ChannelError as error:
            failure = error
        for delivery_id, attempt_id in attempts:
            self._finish(replace(outgoing, id=delivery_id), attempt_id, failure, self.clock())
        return len(attempts)

    def _claim_digest(self, recipient: str, now: datetime) -> tuple[Outgoing, list[tuple[str, int]]] | None:
        lease_ends = now + timedelta(seconds=self.settings.send_lease_seconds)
        with self.database.session() as session:
            due = session.execute(select(Delivery).where(
                Delivery.recipient == recipient, Delivery.status == "pending", Delivery.digest.is_(True),
                Delivery.channel == EMAIL, Delivery.due_at <= now).order_by(Delivery.created_at)).scalars().all()
            mine = [delivery for delivery in due if session.execute(
                update(Delivery).where(Delivery.id == delivery.id, Delivery.status == "pending")
                .values(status="sending", attempts=Delivery.attempts + 1, due_at=lease_ends)).rowcount]
            if not mine:
                return None
            attempts = []
            for delivery in mine:
                session.refresh(delivery)
                attempt = DeliveryAttempt(delivery_id=delivery.id, number=delivery.attempts, channel=EMAIL,
                                          started_at=now, outcome="sending")
                session.add(attempt)
                session.flush()
                attempts.append((delivery.id, attempt.id))
            person = session.get(Recipient, recipient)
            digest = {"id": mine[0].id, "type": DIGEST_TEMPLATE, "subject": recipient,
                      "data": {"count": len(mine), "entries": [{"title": d.title, "event_type": d.event_type}
                                                               for d in mine]}}
            message = default_book().render(digest, EMAIL, person.language if person else "en")
            # The first delivery's id names the digest: the same Message-ID if it is ever tried again.
            outgoing = Outgoing(id=mine[0].id, channel=EMAIL, recipient=recipient, target=mine[-1].target,
                                title=message.title, body=message.body, payload=None)
            return outgoing, attempts

    def _claim(self, delivery_id: str, now: datetime) -> tuple[Outgoing, int] | None:
        lease_ends = now + timedelta(seconds=self.settings.send_lease_seconds)
        with self.database.session() as session:
            claimed = session.execute(
                update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "pending")
                .values(status="sending", attempts=Delivery.attempts + 1, due_at=lease_ends)).rowcount
            if not claimed:
                return None  # another dispatcher took it
            delivery = session.get(Delivery, delivery_id)
            secret = None
            if delivery.channel == "webhook":
                webhook = session.get(Webhook, delivery.recipient.removeprefix(WEBHOOK_PREFIX))
                if webhook is None or not webhook.enabled:
                    delivery.status, delivery.finished_at, delivery.last_error = "cancelled", now, "webhook disabled"
                    return None
                secret = webhook.secret
            attempt = DeliveryAttempt(delivery_id=delivery.id, number=delivery.attempts, channel=delivery.channel,
                                      started_at=now, outcome="sending")
            session.add(attempt)
            session.flush()
            outgoing = Outgoing(id=delivery.id, channel=delivery.channel, recipient=delivery.recipient,
                                target=delivery.target, title=delivery.title, body=delivery.body,
                                payload=delivery.payload, secret=secret)
            return outgoing, attempt.id

    def _finish(self, outgoing: Outgoing, attempt_id: int, failure: ChannelError | None, now: datetime) -> None:
        outcome = "sent" if failure is None else "failed"
        DELIVERIES.labels(outgoing.channel, outcome).inc()
        with self.database.session() as session:
            attempt = session.get(DeliveryAttempt, attempt_id)
            attempt.outcome, attempt.finished_at = outcome, now
            attempt.error = None if failure is None else str(failure)[:500]
            delivery = session.get(Delivery, outgoing.id)
            if failure is None:
                delivery.status, delivery.finished_at = "sent", now
            elif gives_up(delivery.attempts, self.settings.max_attempts, failure.retryable):
                delivery.status, delivery.finished_at, delivery.last_error = "failed", now, attempt.error
            else:
                delivery.status, delivery.last_error = "pending", attempt.error
                delivery.due_at = next_attempt_at(delivery.attempts, now, self.settings.retry_base_seconds,
                                                  self.settings.retry_max_seconds)
            if outgoing.channel == "webhook":
                self._count_webhook_outcome(session, outgoing, failure)

    def _count_webhook_outcome(self, session, outgoing: Outgoing, failure: ChannelError | None) -> None:
        webhook = session.get(Webhook, outgoing.recipient.removeprefix(WEBHOOK_PREFIX))
        if webhook is None:
            return
        if failure is None:
            webhook.consecutive_failures = 0
            return
        webhook.consecutive_failures += 1
        if webhook.enabled and disables_webhook(webhook.consecutive_failures, self.settings.webhook_disable_after):
            disable_webhook(worker_unit_of_work(self.service, session, f"delivery:{outgoing.id}"), webhook,
                            f"{webhook.consecutive_failures} failed attempts in a row; last: {failure}")
            log.warning("webhook %s disabled after %d failures", webhook.id, webhook.consecutive_failures)

    def recover(self, now: datetime) -> None:
        """Attempts whose lease ran out without an outcome: the worker died between calling the channel
        and recording what happened."""
        with self.database.session() as session:
            abandoned = session.execute(select(Delivery).where(Delivery.status == "sending",
                                                               Delivery.due_at <= now)).scalars().all()
            for delivery in abandoned:
                session.execute(update(DeliveryAttempt).where(
                    DeliveryAttempt.delivery_id == delivery.id, DeliveryAttempt.number == delivery.attempts,
                    DeliveryAttempt.outcome == "sending").values(
                    outcome="unknown", finished_at=now, error="the worker stopped before the outcome was recorded"))
                DELIVERIES.labels(delivery.channel, "unknown").inc()
                if delivery.channel == "webhook":
                    delivery.status, delivery.due_at = "pending", now
                else:
                    delivery.status, delivery.finished_at = "unknown", now
                log.warning("delivery %s (%s) abandoned mid-send: %s", delivery.id, delivery.channel,
                            "resending with the same webhook-id" if delivery.channel == "webhook" else "not resent")


def dispatcher_loop(service: ServiceRuntime):
    """The worker loop the notifications SPEC declares: e-mail and webhooks, as configured."""
    settings = settings_of(service)
    return Dispatcher(service, settings, {"email": EmailChannel(settings), "webhook": WebhookChannel(settings)}).run
