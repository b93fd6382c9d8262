"""CloudEvents 1.0 in structured JSON mode, and the catalog of a service's event types with their schemas."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic_core import to_jsonable_python

TYPE_PATTERN = re.compile(r"^chancery\.[a-z]+\.[a-z-]+\.[a-z-]+\.v[0-9]+$")
CONTENT_TYPE = "application/cloudevents+json"


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
        schemas = {name: json.loads((self.schema_dir / name).read_text()) for name in set(self.types.values())}
        return {t: Draft202012Validator(schemas[name]) for t, name in self.types.items()}

    def schema(self, event_type: str) -> dict:
        return json.loads((self.schema_dir / self.types[event_type]).read_text())

    @cached_property
    def _properties(self) -> dict[tuple[str, int], tuple[str, ...]]:
        """(record, major version) -> the property names of its schema, in the schema's order."""
        named = {}
        for event_type, name in self.types.items():
            _, _, record, _, version = event_type.split(".")
            named[(record, int(version.removeprefix("v")))] = name
        return {key: tuple(json.loads((self.schema_dir / name).read_text())["properties"])
                for key, name in named.items()}

    def contents(self, record: str, source: Any, *, major: int = 1, **computed: Any) -> dict[str, Any]:
        """The data of an event about `record`: each property its schema names, from `computed` where given,
        otherwise `source`'s attribute of that name, as JSON (dates in ISO 8601, decimals as text). A field
        added to the record and to the schema is in the event with no list to edit (docs/architecture.md)."""
        names = self._properties[(record, major)]
        values = {name: computed[name] if name in computed else getattr(source, name) for name in names}
        return to_jsonable_python(values)

    def validate(self, event_type: str, data: dict[str, Any]) -> None:
        """Raise if the type is not in the catalog or `data` breaks its schema."""
        if event_type not in self.types:
            raise UnknownEventType(event_type)
        self._validators[event_type].validate(data)


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


def parse_cloud_event(body: bytes | str) -> dict[str, Any]:
    """Decode a structured-mode CloudEvent; ValueError names what is wrong."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"body is not JSON: {error}") from error
    if not isinstance(event, dict):
        raise ValueError("body is not a JSON object")
    missing = [name for name in REQUIRED_ATTRIBUTES if not event.get(name)]
    if missing:
        raise ValueError(f"missing CloudEvents attributes: {', '.join(missing)}")
    if event["specversion"] != "1.0":
        raise ValueError(f"unsupported specversion {event['specversion']!r}")
    return event
