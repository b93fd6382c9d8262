"""Every problem+json answer a test sees is checked against the registry of problem types (RFC 9457)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from shared.http.problems import PROBLEM_TYPE_BASE, PROBLEM_TYPES

PROBLEM_JSON = "application/problem+json"


def check_problem(status: int, content_type: str | None, body: Any) -> None:
    """An answer of problem+json is of a registered type, with the type's status and its one title; a refusal no
    type describes is `about:blank` titled by its status phrase."""
    if not (content_type or "").startswith(PROBLEM_JSON) or not isinstance(body, dict):
        return
    sent = (body.get("type"), body.get("title"), body.get("status"))
    if sent[0] == "about:blank":
        assert sent[1:] == (HTTPStatus(status).phrase, status), f"about:blank titled otherwise: {body}"
        return
    registered = PROBLEM_TYPES.get(str(sent[0]).removeprefix(PROBLEM_TYPE_BASE))
    assert registered is not None, f"a problem of no registered type: {body}"
    assert sent == (registered.uri, registered.title, status) and status == registered.status, \
        f"a problem titled or numbered unlike its type ({registered.title!r}, {registered.status}): {body}"
