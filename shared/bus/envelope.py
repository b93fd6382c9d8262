"""CloudEvents 1.0 (structured JSON mode out; structured or binary mode in), and the catalog of a service's event
types with their schemas."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema_rs import Draft202012Validator
from pydantic_core import to_jsonable_python

from shared.kit.withholding import MARKING_FIELDS, is_withheld_data

WITHHELD_PREFIX = "withheld."  # the routing key's prefix for an event about a withheld record (decision 0190)
TYPE_PATTERN = re.compile(r"^chancery\.[a-z]+\.[a-z-]+\.[a-z-]+\.v[0-9]+$")
CONTENT_TYPE = "application/cloudevents+json"


# What `shared.kit.withholding.marking` adds to an event's data while its record is withheld.
MARKING_VALIDATOR = Draft202012Validator({
    "type": "object", "required": ["confidential", "embargoed", "embargoed_until", "need_to_know"],
    "additionalProperties": False, "properties": {
        "confidential": {"type": "boolean"}, "embargoed": {"type": "boolean"},
        "embargoed_until": {"type": ["string", "null"], "format": "date-time"},
        "need_to_know": {"type": "object", "required": ["people", "roles"], "additionalProperties": False,
                         "properties": {"people": {"type": "array", "items": {"type": "string"}},
                                        "roles": {"type": "array", "items": {"type": "string"}}}}}})


class UnknownEventType(ValueError):
    pass


class EventCatalog:
    """The event types a service publishes, each with the JSON Schema of its `data`.

    `types` maps an event type to a schema file name in `schema_dir`.
    """

    def __init__(self, service: str, schema_dir: Path, types: dict[str, str]):
        self.service = service
        self.schema_dir = schema_dir
        self.types = types
        for event_type in types:
            if not TYPE_PATTERN.match(event_type) or not event_type.startswith(f"chancery.{service}."):
                raise ValueError(f"{event_type!r} does not follow chancery.{service}.<record>.<action>.v<N>")

    @cached_property
    def _validators(self) -> dict[str, Draft202012Validator]:
        """jsonschema-rs: each event is checked as it is recorded, and Python's jsonschema took 0.2–0.5 ms an event
        (a twentieth of a create's CPU) where this takes about 1 µs. Formats are annotations, as they were."""
        schemas = {name: json.loads((self.schema_dir / name).read_text()) for name in set(self.types.values())}
        return {t: Draft202012Validator(schemas[name], validate_formats=False) for t, name in self.types.items()}

    def schema(self, event_type: str) -> dict:
        return json.loads((self.schema_dir / self.types[event_type]).read_text())

    @cached_property
    def _properties(self) -> dict[tuple[str, int], tuple[str, ...]]:
        """(record, major version) -> the property names of its schema, in the schema's order."""
        named = {}
        for event_type, name in self.types.items():
            _, _, record, _, version = event_type.split(".")
            named[(record, int(version.removeprefix("v")))] = name
        return {key: tuple(prop for prop in json.loads((self.schema_dir / name).read_text())["properties"]
                           if prop not in MARKING_FIELDS)  # added by the unit of work while withheld
                for key, name in named.items()}

    def contents(self, record: str, source: Any, *, major: int = 1, **computed: Any) -> dict[str, Any]:
        """The data of an event about `record`: each property its schema names, from `computed` where given,
        otherwise `source`'s attribute of that name, as JSON (dates in ISO 8601, decimals as text). A field
        added to the record and to the schema is in the event with no list to edit (docs/architecture.md)."""
        names = self._properties[(record, major)]
        values = {name: computed[name] if name in computed else getattr(source, name) for name in names}
        return to_jsonable_python(values)

    def validate(self, event_type: str, data: dict[str, Any]) -> None:
        """Raise if the type is not in the catalog or `data` breaks its schema. An event about a withheld record,
        or a part of one, may carry the marking whatever its type (decision 0190): checked against its own schema."""
        if event_type not in self.types:
            raise UnknownEventType(event_type)
        if is_withheld_data(data):
            MARKING_VALIDATOR.validate({name: data[name] for name in MARKING_FIELDS if name in data})
            data = {name: value for name, value in data.items() if name not in MARKING_FIELDS}
        self._validators[event_type].validate(data)


def routing_key_for(event_type: str, data: dict[str, Any]) -> str:
    """An event's routing key: its type, under `withheld.` while its record is withheld, so that only the suite's
    own queues, which bind that prefix where they may hear such events, receive it (decision 0190)."""
    if is_withheld_data(data):
        return WITHHELD_PREFIX + event_type
    return event_type


def cloud_event(*, service: str, event_id: str, event_type: str, subject: str, occurred_at: datetime,
                data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": f"/chancery/{service}",
        "type": event_type,
        "time": occurred_at.isoformat().replace("+00:00", "Z"),
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data,
    }


REQUIRED_ATTRIBUTES = ("specversion", "id", "source", "type")
# Binary content mode: each attribute a header of its own. `cloudEvents_` and `cloudEvents:` are the CloudEvents
# AMQP binding's, `ce-` the RabbitMQ binding's (AMQP 0-9-1), `ce_` the spelling of clients that follow the Kafka
# binding's; the official SDK writes the first and the third.
BINARY_PREFIXES = ("cloudEvents_", "cloudEvents:", "ce-", "ce_")


def parse_cloud_event(body: bytes | str, headers: Mapping[str, object] | None = None,
                      content_type: str | None = None) -> dict[str, Any]:
    """The CloudEvent a message carries: in structured mode the whole event is the JSON body (as Chancery
    publishes); in binary mode the attributes are headers and the body is the data, of the message's content
    type. ValueError names what is wrong."""
    attributes = binary_attributes(headers or {})
    if attributes and not (content_type or "").startswith("application/cloudevents"):
        event = {**attributes, **_binary_data(body, content_type)}
    else:
        event = _json(body, "body")
        if not isinstance(event, dict):
            raise ValueError("body is not a JSON object")
    missing = [name for name in REQUIRED_ATTRIBUTES if not event.get(name)]
    if missing:
        raise ValueError(f"missing CloudEvents attributes: {', '.join(missing)}")
    if event["specversion"] != "1.0":
        raise ValueError(f"unsupported specversion {event['specversion']!r}")
    return event


def binary_attributes(headers: Mapping[str, object]) -> dict[str, Any]:
    """The CloudEvents attributes among a message's headers (none in structured mode), `time` as ISO 8601 text
    whether it came as text, an AMQP timestamp or milliseconds since the epoch (as the AMQP binding sends it)."""
    attributes: dict[str, Any] = {}
    for name, value in headers.items():
        prefix = next((prefix for prefix in BINARY_PREFIXES if name.startswith(prefix)), None)
        if prefix is not None:
            attributes[name.removeprefix(prefix).lower()] = _attribute(value)
    when = attributes.get("time")
    if isinstance(when, int | float):
        attributes["time"] = _iso(datetime.fromtimestamp(when / 1000, UTC))
    return attributes


def _attribute(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return _iso(value) if isinstance(value, datetime) else value


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat().replace("+00:00", "Z")


def _binary_data(body: bytes | str, content_type: str | None) -> dict[str, Any]:
    """`data` and `datacontenttype` of a binary-mode message: JSON only, which is what every inbound type is."""
    if not body:
        return {"datacontenttype": content_type} if content_type else {}
    media_type = (content_type or "application/json").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ValueError(f"data of content type {content_type!r}: only JSON data is read")
    return {"datacontenttype": content_type or "application/json", "data": _json(body, "data")}


def _json(text: bytes | str, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{what} is not JSON: {error}") from error
