"""The OpenAPI document a service serves: flask-openapi3's, finished with what it cannot know from one route."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask_openapi3 import APIBlueprint, OpenAPI
from flask_openapi3.types import ParametersTuple
from flask_openapi3.utils import parse_parameters

from shared.http.problems import problem_responses, problem_schemas

API_PREFIX = "/api/"
COMPONENT = "#/components/schemas/"
_DOCUMENTING = threading.Lock()  # a blueprint is documented once, whichever app's first request asks


class LazyDocBlueprint(APIBlueprint):
    """An APIBlueprint whose routes are described for the OpenAPI document when the document is first built, not
    as each route is declared (decision 0220): flask-openapi3 builds every route's JSON Schemas in its decorator,
    about a third of a web worker's start, for a document that most workers never serve. The models a request is
    validated with are read from the view's annotations at once, as before."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.undocumented: list[tuple[str, Callable, dict[str, Any]]] = []

    def _collect_openapi_info(self, rule: str, func: Callable, **options: Any) -> ParametersTuple:
        self.undocumented.append((rule, func, options))
        return parse_parameters(func, doc_ui=False)

    def document(self) -> None:
        """Describe the routes declared so far, in their order, as flask-openapi3 would have as they were declared."""
        for rule, func, options in self.undocumented:
            super()._collect_openapi_info(rule, func, **options)
        self.undocumented.clear()


class LazyDocOpenAPI(OpenAPI):
    """The app of a service: its `LazyDocBlueprint`s are described, in the order they were registered, when the
    document is first built (its first request, or `api_doc`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazily_documented: list[LazyDocBlueprint] = []

    def register_api(self, api: APIBlueprint, **options: Any) -> None:
        super().register_api(api, **options)
        if isinstance(api, LazyDocBlueprint):
            self.lazily_documented.append(api)

    def generate_spec_json(self) -> None:
        with _DOCUMENTING:
            for api in self.lazily_documented:
                api.document()
                self._merge(api)
            self.lazily_documented.clear()
            super().generate_spec_json()

    def _merge(self, api: LazyDocBlueprint) -> None:
        """What `OpenAPI.register_api` takes from a blueprint for the document: its tags, paths and schemas."""
        for tag in api.tags:
            if tag.name not in self.tag_names:
                self.tags.append(tag)
                self.tag_names.append(tag.name)
        self.paths.update(api.paths)
        self.components_schemas.update(api.components_schemas)


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
