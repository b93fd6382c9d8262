"""Exchange and queue names and declarations; every name takes the configured namespace prefix."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from amqp.exceptions import PreconditionFailed
from kombu import Exchange, Queue

from shared.config import Settings

EVENTS = "chancery.events"
INBOUND = "chancery.inbound"
# Each service has its own retry and dead-letter exchanges, `chancery.retry.<service>` and
# `chancery.dead-letter.<service>` (decision 0002): a broker user may write only to its own, so no
# service can put a message into another's queues. (`chancery.retry` and `chancery.dead-letter`, once
# shared by every service, are no longer used.)
RETRY = "chancery.retry"
DEAD_LETTER = "chancery.dead-letter"

log = logging.getLogger("chancery.bus")


@dataclass(frozen=True)
class Binding:
    """A routing-key pattern on one of the suite's topic exchanges (EVENTS or INBOUND)."""

    exchange: str
    pattern: str


class Topology:
    """The broker entities one service uses, named for its namespace."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.service = settings.service
        self.events = Exchange(settings.name(EVENTS), "topic", durable=True)
        self.inbound = Exchange(settings.name(INBOUND), "topic", durable=True)
        self.retry = Exchange(settings.name(f"{RETRY}.{self.service}"), "direct", durable=True)
        self.dead_letter = Exchange(settings.name(f"{DEAD_LETTER}.{self.service}"), "direct", durable=True)

    @property
    def queue_name(self) -> str:
        return self.settings.name(f"chancery.{self.service}")

    @property
    def dead_letter_queue_name(self) -> str:
        return f"{self.queue_name}.dlq"

    def suite_exchanges(self) -> list[Exchange]:
        return [self.events, self.inbound]

    def exchanges(self) -> list[Exchange]:
        """The suite's exchanges and, for a consuming service, its own retry and dead-letter exchanges."""
        return [*self.suite_exchanges(), self.retry, self.dead_letter]

    def exchange_for(self, base_name: str) -> Exchange:
        return {EVENTS: self.events, INBOUND: self.inbound}[base_name]

    def main_queue(self, bindings: list[Binding]) -> Queue:
        from kombu import binding

        return Queue(
            self.queue_name,
            bindings=[binding(self.exchange_for(b.exchange), routing_key=b.pattern) for b in bindings]
            + [binding(self.retry, routing_key=self.requeue_routing_key)],
            durable=True,
            queue_arguments={
                "x-queue-type": "quorum",
                # Replicas of a worker all subscribe; one consumes at a time, so each record's events are
                # applied in the order they were published. The others take over when it goes away.
                "x-single-active-consumer": True,
                # The Debian broker (3.10) has no default limit: a crash loop would never end.
                "x-delivery-limit": self.settings.consumer_max_attempts,
                "x-dead-letter-exchange": self.dead_letter.name,
                "x-dead-letter-routing-key": self.service,
            },
        )

    def dead_letter_queue(self) -> Queue:
        return Queue(self.dead_letter_queue_name, exchange=self.dead_letter, routing_key=self.service,
                     durable=True, queue_arguments={"x-queue-type": "quorum"})

    @property
    def requeue_routing_key(self) -> str:
        """Back to the service's own queue through its retry exchange: how a retried message returns
        and a dead letter is replayed, with no write permission on the default exchange."""
        return self.service

    def retry_routing_key(self, delay_seconds: float) -> str:
        return f"{self.service}.{int(delay_seconds * 1000)}ms"

    def retry_queues(self) -> list[Queue]:
        """One holding queue per retry delay; expired messages go back to the main queue."""
        return [
            Queue(
                f"{self.queue_name}.retry.{int(delay * 1000)}ms",
                exchange=self.retry,
                routing_key=self.retry_routing_key(delay),
                durable=True,
                queue_arguments={
                    "x-queue-type": "classic",
                    "x-message-ttl": int(delay * 1000),
                    "x-dead-letter-exchange": self.retry.name,
                    "x-dead-letter-routing-key": self.requeue_routing_key,
                },
            )
            for delay in sorted(set(self.settings.retry_delays_seconds))
        ]

    def declare_exchanges(self, channel) -> None:
        """The suite's exchanges, which the relay publishes to and every queue is bound to."""
        for exchange in self.suite_exchanges():
            exchange(channel).declare()

    def declare_consumer(self, channel, bindings: list[Binding]) -> Queue:
        """Declare the exchanges, this service's queue with its retry and dead-letter queues."""
        for exchange in self.exchanges():
            exchange(channel).declare()
        for queue in [self.dead_letter_queue(), *self.retry_queues(), self.main_queue(bindings)]:
            declare_or_adopt(channel, queue)
        return self.main_queue(bindings)(channel)


def declare_or_adopt(channel, queue: Queue) -> None:
    """Declare `queue` with its bindings; one a broker holds from before the per-service exchanges, with
    other dead-letter arguments (which the broker refuses to change), is bound as it is and used.

    Its dead-lettering still works (the broker's own, through the former shared exchange, needs no
    permission) until an operator recreates it: docs/operations.md, "Brokers from before the
    per-service exchanges". The declaration is tried on a channel of its own, which the refusal closes.
    """
    probe = channel.connection.channel()
    try:
        queue(probe).declare()
        return
    except PreconditionFailed as refusal:
        log.warning("queue %s is from before the per-service exchanges, used as it is: %s", queue.name, refusal)
    finally:
        if probe.is_open:
            probe.close()
    adopted = queue(channel)
    adopted.queue_declare(passive=True)
    if adopted.exchange is not None and adopted.exchange.name:
        adopted.queue_bind()
    for binding in adopted.bindings:
        binding.bind(adopted)
