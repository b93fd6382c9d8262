"""What suite tests take from the services' OpenAPI documents and schemas: paths to call, bodies to send."""

from __future__ import annotations

import re
import uuid

from pydantic import BaseModel

ENUM_PATTERN = re.compile(r"\^\(\w+(\|\w+)*\)\$")  # ^(visa|insurance)$


def fill_path(path: str, operation: dict | None = None) -> str:
    """The OpenAPI path with a value for every parameter: the first allowed value of an enum (or of a pattern
    listing its values), a year for an integer, a random id otherwise, so a request gets past its path to the
    record lookup or the body."""
    schemas = {p["name"]: p.get("schema", {}) for p in (operation or {}).get("parameters", []) if p["in"] == "path"}

    def value(name: str) -> str:
        schema = schemas.get(name, {})
        if schema.get("enum"):
            return str(schema["enum"][0])
        if ENUM_PATTERN.fullmatch(schema.get("pattern", "")):
            return schema["pattern"][2:].split("|")[0].rstrip(")$")
        return "2026" if schema.get("type") == "integer" else str(uuid.uuid4())
    return "/".join(value(part[1:-1]) if part.startswith("{") else part for part in path.split("/"))


def example_of(model: type[BaseModel], **changes) -> dict:
    """The first example a request schema documents, with `changes`: the body the OpenAPI document shows."""
    return {**model.model_config["json_schema_extra"]["examples"][0], **changes}
