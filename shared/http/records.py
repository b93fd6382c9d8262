"""What every service's views share about records: answering it with its ETag, the caller's If-Match,
a lifecycle action's body, and the problem+json answer to a refusal of the kit (`shared.kit.refusals`)."""

from __future__ import annotations

import types
from datetime import datetime
from functools import cache
from typing import Annotated, Any, TypeVar, cast

from flask import Response, request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shared.http.problems import Problem
from shared.http.resources import etag, json_response
from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Conflict, Invalid, NotFound, Refusal, StaleVersion

NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store NUL in text; refuse it alike on every database
# The characters `str.strip()` takes for blank (`str.isspace`), spelled out: `\s` means another set in ECMA-262
# (U+FEFF, not U+001C-U+001F), in Rust and in Python, and the document's pattern must mean what the rule means.
BLANK = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
GIVEN = rf"^[{BLANK}]*[^\x00{BLANK}][^\x00]*$"  # more than blanks, and no NUL: what a lifecycle takes for a reason
BODY_PROBLEMS = (400, 413, 415)
Body = TypeVar("Body", bound=BaseModel)


def record_response(body: dict[str, Any], version: int, status: int = 200) -> Response:
    return json_response(body, status, {"ETag": etag(version)})


def if_match() -> frozenset[int] | None:
    """The versions the caller's If-Match names (weak or strong tags), or None when it names none or `*`."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tags = (tag.strip().removeprefix("W/").strip('"') for tag in header.split(","))
    return frozenset(int(tag) for tag in tags if tag.isdigit())


class VersionedOut(BaseModel):
    """What the answer about a record staff edit carries (`shared.db.Versioned`): its version (the ETag), who
    made it and when; a record's own fields come after these."""

    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


class OptionalBody(BaseModel):
    """A body the caller may leave out: no body reads as an empty one (every field at its default)."""

    # flask-openapi3 reads `openapi_extra` to document the body as optional; subclasses inherit it.
    model_config = ConfigDict(openapi_extra={"required": False})  # type: ignore[typeddict-unknown-key]

    @model_validator(mode="before")
    @classmethod
    def no_body_means_defaults(cls, data: Any) -> Any:
        return {} if data is None else data


Given = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=GIVEN)]
OVERRIDE_REASON = ("Why the official is placed although another service has them busy at that time (a trip "
                   "abroad, an engagement in visits); without it that is a 409 naming the other record. Audited.")


class TransitionRequest(OptionalBody):
    """The body of a lifecycle action (`POST …/<record>/<id>/<action>`): at most a reason."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "The host postponed"}]})

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=NO_NUL)] | None = Field(
        None, description="Why; the actions that require one answer 422 naming `reason` without it")


@cache
def with_reason(body: type[Body]) -> type[Body]:
    """`body` as an action that requires a reason takes it (`Lifecycle.reason_required`): a required body whose
    `reason` is required and more than blanks, so that the OpenAPI document states the refusal."""
    namespace = {"__module__": body.__module__, "__doc__": "The body of an action that requires a reason.",
                 "__annotations__": {"reason": Given}, "reason": Field(description="Why; this action requires one"),
                 "model_config": ConfigDict(openapi_extra={"required": True})}  # type: ignore[typeddict-unknown-key]
    return cast(type[Body], types.new_class(f"{body.__name__}WithReason", (body,),
                                            exec_body=lambda created: created.update(namespace)))


def action_body(lifecycle: Lifecycle, action: str, body: type[BaseModel] = TransitionRequest) -> type[BaseModel]:
    """The body the lifecycle's `action` takes: `body`, `with_reason` when the action requires one."""
    return with_reason(body) if action in lifecycle.reason_required else body


def invalid(field: str, message: str, **extensions: Any) -> Problem:
    return Problem("validation", message, errors=[{"field": field, "message": message}], **extensions)


def refusal_problem(refusal: Refusal) -> Problem:
    """The problem+json answer to a refusal raised by a rule or a use case."""
    if isinstance(refusal, Invalid):
        return invalid(refusal.field, refusal.message, **refusal.extensions)
    if isinstance(refusal, Conflict):
        return Problem(refusal.slug, refusal.detail, **refusal.extensions)
    if isinstance(refusal, NotFound):
        return Problem("not-found", str(refusal))
    if isinstance(refusal, StaleVersion):
        return Problem("stale-write", str(refusal), headers={"ETag": etag(refusal.current)})
    return Problem("validation", str(refusal))
