"""The OpenAPI document a service serves: flask-openapi3's, finished with what it cannot know from one route."""

from __future__ import annotations

from typing import Any

from shared.http.problems import problem_responses, problem_schemas

API_PREFIX = "/api/"
COMPONENT = "#/components/schemas/"


def finished_document(document: dict[str, Any]) -> dict[str, Any]:
    """The generated document, valid OpenAPI 3.1, with the answers every API operation may give."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(problem_schemas())
    _without_defaults_the_schema_refuses(document)
    _with_answers_every_operation_may_give(document)
    return document


def _with_answers_every_operation_may_give(document: dict[str, Any]) -> None:
    """Every API operation may be refused with 429 by the rate limiter, whatever its own declarations say; one
    that declares no security (a `public` view) says `security: []`, open to anyone, in so many words."""
    for path, operations in document.get("paths", {}).items():
        if path.startswith(API_PREFIX):
            for operation in operations.values():
                operation.setdefault("responses", {}).update(
                    {str(status): answer for status, answer in problem_responses(429).items()})
                operation.setdefault("security", [])


def _without_defaults_the_schema_refuses(document: dict[str, Any]) -> None:
    """pydantic writes `field: T = None` as `{..., "default": null}`: an optional field, absent unless sent,
    that refuses an explicit null. A default its own schema refuses is invalid JSON Schema for strict clients, so
    such a field is documented as what it is, optional with no default (a nullable field keeps its null)."""
    components = document.get("components", {}).get("schemas", {})

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if "default" in node and node["default"] is None and not _accepts_null(node, components):
                del node["default"]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)


RESTRICTING = ("type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const", "not")


def _accepts_null(schema: Any, components: dict[str, Any], seen: frozenset[str] = frozenset()) -> bool:
    if not isinstance(schema, dict):
        return False
    if not any(keyword in schema for keyword in RESTRICTING):
        return True
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind) or None in schema.get("enum", []):
        return True
    if "const" in schema and schema["const"] is None:
        return True
    reference = schema.get("$ref", "")
    if reference.startswith(COMPONENT) and reference not in seen:
        return _accepts_null(components.get(reference.removeprefix(COMPONENT)), components, seen | {reference})
    if "allOf" in schema:
        return all(_accepts_null(part, components, seen) for part in schema["allOf"])
    return any(_accepts_null(option, components, seen) for key in ("anyOf", "oneOf")
               for option in schema.get(key, []))
