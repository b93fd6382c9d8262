"""Errors as RFC 9457 problem details, naming the offending fields."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import Response, request
from pydantic import BaseModel, ValidationError

PROBLEM_TYPE_BASE = "https://chancery.city/problems/"
PROBLEM_TITLES = {400: "Malformed request", 401: "No valid bearer token", 403: "Your roles do not allow this",
                  404: "Not found", 409: "Conflicts with the record's state", 412: "The record has changed (If-Match)",
                  413: "Body too large", 415: "Body is not JSON", 422: "The request is not valid",
                  429: "Too many requests from this client (see Retry-After)",
                  503: "Unavailable for now (see Retry-After)"}


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, str | int]] | None = None


# What flask-openapi3 takes as `responses=` / `abp_responses=`.
Responses = dict[str | int | HTTPStatus, type[BaseModel] | dict[Any, Any] | None]


def problem_responses(*statuses: int) -> Responses:
    """OpenAPI documentation of the problem answers a route may give (for `responses=` / `abp_responses=`)."""
    schema = {"$ref": f"#/components/schemas/{ProblemDetails.__name__}"}
    return {status: {"description": PROBLEM_TITLES[status],
                     "content": {"application/problem+json": {"schema": schema}}} for status in statuses}


class Problem(Exception):
    """An error the client can act on; rendered as application/problem+json."""

    def __init__(self, status: int, title: str, detail: str | None = None, *, slug: str | None = None,
                 errors: list[dict[str, str | int]] | None = None, headers: dict[str, str] | None = None,
                 **extensions: Any):
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.slug, self.errors = slug, errors
        self.headers = headers or {}
        self.extensions = extensions

    def to_response(self) -> Response:
        return problem_response(self.status, self.title, self.detail, slug=self.slug, errors=self.errors,
                                headers=self.headers, **self.extensions)


def problem_response(status: int, title: str, detail: str | None = None, *, slug: str | None = None,
                     errors: list[dict[str, str | int]] | None = None, headers: dict[str, str] | None = None,
                     **extensions: Any) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug if slug else "about:blank",
        "title": title,
        "status": status,
        "instance": request.path if request else None,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extensions)
    response = Response(json.dumps(body, ensure_ascii=False), status=status,
                        mimetype="application/problem+json")
    response.headers.update(headers or {})
    return response


def field_name(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "body"


def validation_problem(error: ValidationError) -> Response:
    """flask-openapi3's validation callback: 422 with one entry per bad field."""
    fields = [(field_name(item["loc"]), item["msg"], item["type"])
              for item in error.errors(include_url=False, include_context=False, include_input=False)]
    errors: list[dict[str, str | int]] = [{"field": name, "message": message, "code": code}
                                          for name, message, code in fields]
    names = ", ".join(sorted({name for name, _, _ in fields}))
    return problem_response(422, "The request is not valid", f"Check these fields: {names}",
                            slug="validation", errors=errors)
