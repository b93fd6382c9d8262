"""The worker keeps each city system's queue on the broker as its integration says: declared, bound to
`chancery.events` by exactly its patterns, and deleted when the integration is removed."""

from __future__ import annotations

import logging
import threading

from kombu import Connection, Exchange, Queue
from sqlalchemy import select

from services.notifications.store.models import Integration
from shared.bus.backoff import Backoff
from shared.service import ServiceRuntime

log = logging.getLogger("chancery.notifications.integrations")
CHECK_SECONDS = 0.5


def integration_queue_name(settings, name: str) -> str:
    """`<system>.events`: city systems' queues are named after the system, so that a broker user
    limited to `^<system>\\.` (deploy/rabbitmq/definitions.json) reaches only its own."""
    return settings.name(f"{name}.events")


class IntegrationQueues:
    def __init__(self, service: ServiceRuntime):
        self.service = service
        self.settings = service.settings

    def run(self, stop: threading.Event) -> None:
        backoff = Backoff()
        while not stop.is_set():
            try:
                self.reconcile()
                backoff.reset()
                stop.wait(CHECK_SECONDS)
            except Exception:  # noqa: BLE001 - broker or database away: try again later
                log.exception("integration queues not reconciled")
                stop.wait(backoff.next())

    def reconcile(self) -> int:
        """Bring the broker in step with every integration that changed; returns how many did."""
        with self.service.database.read_session() as session:
            pending = [(row.id, row.name, list(row.patterns), list(row.declared_patterns or []), row.removed)
                       for row in session.execute(select(Integration)).scalars()
                       if row.removed or row.declared_patterns != row.patterns]
        if not pending:
            return 0
        with Connection(self.settings.amqp_url, connect_timeout=5) as connection:
            channel = connection.channel()
            for integration_id, name, patterns, declared, removed in pending:
                put_in_step(channel, self.settings, name, patterns, declared, removed)
                self._record(integration_id, patterns, removed)
        return len(pending)

    def _record(self, integration_id: str, patterns: list[str], removed: bool) -> None:
        with self.service.database.session() as session:
            row = session.get(Integration, integration_id)
            if row is None:
                return
            if removed:
                session.delete(row)
            elif row.patterns == patterns:  # unchanged while the broker was being told
                row.declared_patterns = patterns


def put_in_step(channel, settings, name: str, patterns: list[str], declared: list[str], removed: bool) -> None:
    """Make one city system's queue what its integration says: deleted, or declared and bound by exactly
    `patterns` (`declared` are the patterns it was bound by before)."""
    events = Exchange(settings.name("chancery.events"), "topic", durable=True)(channel)
    events.declare()
    queue = Queue(integration_queue_name(settings, name), durable=True,
                  queue_arguments={"x-queue-type": "quorum"})(channel)
    if removed:
        queue.delete()
        return
    queue.declare()
    for pattern in sorted(set(patterns) - set(declared)):
        queue.bind_to(events, routing_key=pattern)
    for pattern in sorted(set(declared) - set(patterns)):
        queue.unbind_from(events, routing_key=pattern)


def integration_queues_loop(service: ServiceRuntime):
    return IntegrationQueues(service).run
