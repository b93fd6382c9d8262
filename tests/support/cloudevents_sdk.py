"""CloudEvents made by the official CloudEvents Python SDK (`cloudevents`), as a city system using it would put them
on the broker: structured mode, or binary mode by the SDK's AMQP binding (`cloudEvents_` application properties)
or its RabbitMQ binding (`ce-` headers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cloudevents.core.bindings import amqp, rabbitmq
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent


@dataclass(frozen=True)
class AmqpMessage:
    """What an AMQP 0-9-1 client (pika, kombu) publishes: headers, content type, body."""

    headers: dict[str, Any]
    content_type: str | None
    body: bytes


def _amqp_binding(to: Callable) -> Callable[[CloudEvent], AmqpMessage]:
    """The AMQP binding's application properties become headers, its `content-type` property the content type."""
    def convert(event: CloudEvent) -> AmqpMessage:
        message = to(event, JSONFormat())
        return AmqpMessage(message.application_properties, message.properties.get("content-type"),
                           message.application_data)
    return convert


def _rabbitmq_binding(to: Callable) -> Callable[[CloudEvent], AmqpMessage]:
    def convert(event: CloudEvent) -> AmqpMessage:
        message = to(event, JSONFormat())
        return AmqpMessage(message.headers, message.content_type, message.body)
    return convert


MODES: dict[str, Callable[[CloudEvent], AmqpMessage]] = {
    "structured": _rabbitmq_binding(rabbitmq.to_structured),
    "binary, AMQP binding": _amqp_binding(amqp.to_binary),
    "binary, RabbitMQ binding": _rabbitmq_binding(rabbitmq.to_binary),
}


def sdk_event(event_type: str, source: str, subject: str, data: dict[str, Any], time: datetime) -> CloudEvent:
    return CloudEvent(attributes={"id": str(uuid.uuid4()), "type": event_type, "source": source, "subject": subject,
                                  "time": time, "datacontenttype": "application/json"}, data=data)
