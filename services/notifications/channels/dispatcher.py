"""The worker's dispatcher: sends the planned deliveries that are due through their channels, at most once per
(event, recipient, channel): each attempt is claimed in one transaction before the channel is called and
finished in another after (`operations/deliveries.py`, decision 0052)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from prometheus_client import Counter
from sqlalchemy import select

from services.notifications.channels import Channel, ChannelError, Outgoing
from services.notifications.channels.email import EmailChannel
from services.notifications.channels.webhook import WebhookChannel
from services.notifications.domain.delivery_plan import EMAIL
from services.notifications.operations.deliveries import (
    claim_delivery,
    claim_digest,
    finish_attempt,
    recover_abandoned,
)
from services.notifications.store.models import Delivery
from shared.bus.backoff import Backoff
from shared.service import ServiceRuntime
from shared.uow import UnitOfWork, worker_unit_of_work

log = logging.getLogger("chancery.notifications.dispatch")
DELIVERIES = Counter("chancery_notification_deliveries_total", "Notification delivery attempts by outcome",
                     ["channel", "outcome"])
BATCH = 100
Result = TypeVar("Result")


class Dispatcher:
    """Sends through `channels` (by name) what is due by the runtime's clock, as its own settings say."""

    def __init__(self, service: ServiceRuntime, channels: dict[str, Channel]):
        self.service, self.channels = service, channels
        self.database, self.settings = service.database, service.own_settings

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
        for channel in self._in_transaction("recovery", recover_abandoned):
            DELIVERIES.labels(channel, "unknown").inc()
        attempted = 0
        for delivery_id in self._due():
            if stopping():
                return attempted
            claimed = self._claim(delivery_id)
            if claimed is None:
                continue
            outgoing, attempt_id = claimed
            self._finish(outgoing, attempt_id, self._send(outgoing))
            attempted += 1
        for recipient in self._due_digests():
            if stopping():
                return attempted
            attempted += self._send_digest(recipient)
        return attempted

    def _in_transaction(self, cause: str, operation: Callable[[UnitOfWork], Result]) -> Result:
        with self.database.session() as session:
            return operation(worker_unit_of_work(self.service, session, cause))

    def _due(self) -> list[str]:
        with self.database.read_session() as session:
            return list(session.execute(
                select(Delivery.id).where(Delivery.status == "pending", Delivery.due_at <= self.service.clock(),
                                          Delivery.digest.is_(False), Delivery.channel.in_(self.channels))
                .order_by(Delivery.due_at).limit(BATCH)).scalars())

    def _due_digests(self) -> list[str]:
        if EMAIL not in self.channels:
            return []
        with self.database.read_session() as session:
            return list(session.execute(
                select(Delivery.recipient).where(Delivery.status == "pending", Delivery.due_at <= self.service.clock(),
                                                 Delivery.digest.is_(True), Delivery.channel == EMAIL)
                .distinct().limit(BATCH)).scalars())

    def _claim(self, delivery_id: str) -> tuple[Outgoing, int] | None:
        return self._in_transaction(f"delivery:{delivery_id}", lambda uow: claim_delivery(uow, delivery_id))

    def _send(self, outgoing: Outgoing) -> ChannelError | None:
        """Call the channel; the failure, if it failed."""
        try:
            self.channels[outgoing.channel].send(outgoing)
        except ChannelError as error:
            return error
        return None

    def _send_digest(self, recipient: str) -> int:
        """Everything due for one person's daily digest in one e-mail; each delivery keeps its own attempt."""
        claimed = self._in_transaction(f"digest:{recipient}", lambda uow: claim_digest(uow, recipient))
        if not claimed:
            return 0
        outgoing, attempts = claimed
        failure = self._send(outgoing)
        for delivery_id, attempt_id in attempts:
            self._finish(replace(outgoing, id=delivery_id), attempt_id, failure)
        return len(attempts)

    def _finish(self, outgoing: Outgoing, attempt_id: int, failure: ChannelError | None) -> None:
        DELIVERIES.labels(outgoing.channel, "sent" if failure is None else "failed").inc()
        self._in_transaction(f"delivery:{outgoing.id}",
                             lambda uow: finish_attempt(uow, outgoing, attempt_id, failure))


def dispatcher_loop(service: ServiceRuntime) -> Callable[[threading.Event], None]:
    """The worker loop the notifications SPEC declares: e-mail and webhooks, as configured."""
    settings = service.own_settings
    return Dispatcher(service, {"email": EmailChannel(settings), "webhook": WebhookChannel(settings)}).run
