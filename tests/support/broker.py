"""The city system's side of the broker, written with pika, and clean-up of a test namespace."""

from __future__ import annotations

import json
import time

import pika

from shared.bus.topology import EVENTS, INBOUND

PIKA_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"  # the test broker as pika spells the default vhost


def connection(port: int = 5672) -> pika.BlockingConnection:
    """The machine's broker, or a test's private node on `port`."""
    return pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port))


class CitySystemListener:
    """A city system's own exclusive queue bound to the events exchange, as an integrator would write it."""

    def __init__(self, namespace: str, pattern: str = "#"):
        self.connection = connection()
        self.channel = self.connection.channel()
        self.channel.exchange_declare(f"{namespace}.{EVENTS}", "topic", durable=True)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, f"{namespace}.{EVENTS}", pattern)

    def receive(self, count: int = 1, timeout: float = 10) -> list[tuple[dict, pika.BasicProperties]]:
        received = []
        deadline = time.monotonic() + timeout
        while len(received) < count and time.monotonic() < deadline:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                time.sleep(0.05)
                continue
            received.append((json.loads(body), properties))
        return received

    def close(self) -> None:
        self.connection.close()


def publish_raw(namespace: str, routing_key: str, body: bytes, exchange: str = EVENTS,
                headers: dict | None = None, content_type: str | None = "application/cloudevents+json",
                port: int = 5672) -> None:
    with connection(port) as conn:
        channel = conn.channel()
        channel.confirm_delivery()
        channel.basic_publish(f"{namespace}.{exchange}", routing_key, body,
                              pika.BasicProperties(delivery_mode=2, headers=headers or {}, content_type=content_type))


def consumer_count(queue: str, port: int = 5672) -> int:
    try:
        with connection(port) as conn:
            return conn.channel().queue_declare(queue, passive=True).method.consumer_count
    except pika.exceptions.ChannelClosedByBroker:  # not declared yet
        return 0


def wait_until_consuming(namespace: str, service: str, timeout: float = 60) -> None:
    """Wait until the service's worker consumes its queue: an event published before the queue (or the
    exchange) exists is not routed to it, and readiness covers only the web processes."""
    from tests.support.processes import eventually

    eventually(lambda: consumer_count(f"{namespace}.chancery.{service}") > 0, timeout=timeout,
               message=f"the {service} consumer")


def queue_depth(queue: str, port: int = 5672) -> int:
    with connection(port) as conn:
        return conn.channel().queue_declare(queue, passive=True).method.message_count


def get_all(queue: str, timeout: float = 5) -> list[tuple[dict, dict]]:
    """Drain a queue (acking), returning (body, headers) pairs."""
    messages = []
    with connection() as conn:
        channel = conn.channel()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            method, properties, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                if messages:
                    break
                time.sleep(0.1)
                continue
            messages.append((json.loads(body), properties.headers or {}))
    return messages


def delete_namespace(namespace: str, services: tuple[str, ...], retry_delays: str = "0.2,0.5",
                     port: int = 5672) -> None:
    """Remove every queue and exchange a test namespace declared on the shared broker.

    `retry_delays` names the holding queues: the Suite's short ones by default, "" for the defaults."""
    from shared.bus.topology import Topology
    from shared.config import load_settings

    with connection(port) as conn:
        channel = conn.channel()
        for service in services:
            topology = Topology(load_settings(service, {"CHANCERY_NAMESPACE": namespace,
                                                        "CHANCERY_RETRY_DELAYS_SECONDS": retry_delays}))
            queues = [topology.queue_name, topology.dead_letter_queue_name,
                      *[queue.name for queue in topology.retry_queues()]]
            for queue in queues:
                channel.queue_delete(queue)
            for exchange in (topology.retry, topology.dead_letter):
                channel.exchange_delete(exchange.name)
        for exchange in (EVENTS, INBOUND):
            channel.exchange_delete(f"{namespace}.{exchange}")
