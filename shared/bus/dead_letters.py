"""A service's dead-letter queue for operators: list, show, replay to the service's queue, purge.

Messages are read with `basic_get` and held unacknowledged while the queue is scanned: what is not
replayed or purged goes back when the channel closes, in its order, so looking never loses anything.
Replaying publishes a copy with publisher confirms to the service's own queue (through the service's
own retry exchange, so no other consumer sees it again), with the attempt counter reset, before the
dead letter is acked: a crash in between duplicates (the consumer's inbox makes that harmless), never
loses.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from typing import Any

from amqp.exceptions import NotFound
from kombu import Connection

from shared.bus.consumer import ATTEMPT_HEADER, ERROR_HEADER
from shared.bus.envelope import binary_attributes
from shared.bus.topology import Topology
from shared.config import Settings

REPLAYED_HEADER = "x-chancery-replayed"
MAX_SCAN = 10_000


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    event_type: str | None
    error: str
    attempts: int
    replayed: int
    headers: dict[str, Any]
    body: Any  # the CloudEvent, or the raw text when it is not JSON

    def summary(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "event_type": self.event_type, "error": self.error,
                "attempts": self.attempts, "replayed": self.replayed}


def _dead_letter(message) -> DeadLetter:
    headers = dict(message.properties.get("application_headers") or {})
    raw = message.body.decode("utf-8", "replace") if isinstance(message.body, bytes) else str(message.body)
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw
    attributes = body if isinstance(body, dict) else binary_attributes(headers)  # structured or binary mode
    event_type = attributes.get("type")
    message_id = message.properties.get("message_id") or attributes.get("id")
    return DeadLetter(message_id=str(message_id or f"tag-{message.delivery_tag}"), event_type=event_type,
                      error=str(headers.get(ERROR_HEADER, "")), attempts=int(headers.get(ATTEMPT_HEADER, 1) or 1),
                      replayed=int(headers.get(REPLAYED_HEADER, 0) or 0), headers=headers, body=body)


class DeadLetters:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.topology = Topology(settings)

    @property
    def queue(self) -> str:
        return self.topology.dead_letter_queue_name

    def _scan(self, act=None, limit: int = MAX_SCAN) -> list[DeadLetter]:
        """Every dead letter (up to `limit`), oldest first; `act(channel, message, letter)` may ack one."""
        with Connection(self.settings.amqp_url, connect_timeout=5, heartbeat=self.settings.broker_heartbeat_seconds,
                        transport_options={"confirm_publish": True}) as connection:
            channel = connection.channel()
            try:
                channel.queue_declare(self.queue, passive=True)
            except NotFound:
                return []  # the service consumes nothing, so it never dead-letters
            letters: builtins.list[DeadLetter] = []
            while len(letters) < limit:
                message = channel.basic_get(queue=self.queue, no_ack=False)
                if message is None:
                    break
                letter = _dead_letter(message)
                letters.append(letter)
                if act is not None:
                    act(connection, channel, message, letter)
            channel.close()  # returns every message not acked to the queue, in order
        return letters

    def list(self, limit: int = 100) -> list[DeadLetter]:
        return self._scan(limit=limit)

    def show(self, message_id: str) -> DeadLetter | None:
        return next((letter for letter in self._scan() if letter.message_id == message_id), None)

    def replay(self, message_ids: set[str] | None = None) -> builtins.list[str]:
        """Send the chosen dead letters (all when `message_ids` is None) back to the service's queue."""
        replayed: builtins.list[str] = []

        def act(connection, channel, message, letter):
            if message_ids is not None and letter.message_id not in message_ids:
                return
            headers = {k: v for k, v in letter.headers.items() if k not in (ATTEMPT_HEADER, ERROR_HEADER)}
            headers[REPLAYED_HEADER] = letter.replayed + 1
            producer = connection.Producer(channel=connection.channel())
            producer.publish(message.body, exchange=self.topology.retry,
                             routing_key=self.topology.requeue_routing_key, headers=headers,
                             content_type=message.properties.get("content_type"),
                             content_encoding=message.properties.get("content_encoding") or "utf-8",
                             delivery_mode=2, message_id=letter.message_id, retry=False)
            channel.basic_ack(message.delivery_tag)
            replayed.append(letter.message_id)

        self._scan(act)
        return replayed

    def purge(self, message_ids: set[str] | None = None) -> builtins.list[str]:
        """Drop the chosen dead letters (all when `message_ids` is None) for good."""
        purged: builtins.list[str] = []

        def act(connection, channel, message, letter):
            if message_ids is None or letter.message_id in message_ids:
                channel.basic_ack(message.delivery_tag)
                purged.append(letter.message_id)

        self._scan(act)
        return purged
