"""The operator API every service mounts: its dead-letter queue listed, shown, replayed and purged.

The one place a web process talks to the broker: operators act on a queue, there is no record to change.
"""

from __future__ import annotations

from typing import Any

from flask_openapi3 import Tag
from pydantic import BaseModel, Field
from werkzeug.routing import BaseConverter

from shared.bus.dead_letters import DeadLetters
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import Problem, problem_responses
from shared.http.resources import QueryModel, json_response
from shared.http.work import runtime, unit_of_work

dead_letters_api = LazyDocBlueprint("dead_letters", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                    abp_responses=problem_responses(401, 403, 422),
                                    abp_tags=[Tag(name="dead letters",
                                                  description="Messages this service's consumer gave up on")])


class DeadLetterId(BaseConverter):
    """A message id in a path, never an action's name: otherwise `/dead-letters/purge` would also match the
    `GET` of one dead letter, and a refused method there would be answered with `Allow: GET, POST`."""

    regex = r"(?!(?:replay|purge)$)[^/]+"


class DeadLetterQuery(QueryModel):
    limit: int = Field(100, ge=1, le=1000, description="At most this many, oldest first")


class DeadLetterPath(BaseModel):
    message_id: str = Field(max_length=200)


class DeadLetterSelection(BaseModel):
    model_config = {"extra": "forbid", "json_schema_extra": {"examples": [
        {"message_ids": ["5b8f1c9e-2a8d-4f7e-9d0b-6f1e2c3a4b5d"]}, {"message_ids": None}]}}

    message_ids: list[str] | None = Field(None, max_length=1000,
                                          description="The messages to act on; null means every dead letter")


class DeadLetterSummary(BaseModel):
    message_id: str
    event_type: str | None
    error: str = Field(description="Why the last attempt failed (`x-chancery-error`)")
    attempts: int
    replayed: int = Field(description="How many times it was replayed before")


class DeadLetterList(BaseModel):
    queue: str
    items: list[DeadLetterSummary]


class DeadLetterDetail(DeadLetterSummary):
    headers: dict[str, Any]
    body: Any


class DeadLetterOutcome(BaseModel):
    message_ids: list[str]


def _dead_letters() -> DeadLetters:
    return DeadLetters(runtime().settings)


@dead_letters_api.get("/dead-letters", summary="This service's dead letters, oldest first",
                      responses={200: DeadLetterList})
@allow("operator")
def list_dead_letters(query: DeadLetterQuery):
    dead_letters = _dead_letters()
    items = [letter.summary() for letter in dead_letters.list(query.limit)]
    return json_response({"queue": dead_letters.queue, "items": items})


@dead_letters_api.get("/dead-letters/<dead_letter_id:message_id>", summary="One dead letter with its headers and body",
                      responses={200: DeadLetterDetail, **problem_responses(404)})
@allow("operator")
def show_dead_letter(path: DeadLetterPath):
    letter = _dead_letters().show(path.message_id)
    if letter is None:
        raise Problem("not-found", f"No dead letter {path.message_id}")
    return json_response({**letter.summary(), "headers": letter.headers, "body": letter.body})


@dead_letters_api.post("/dead-letters/replay", summary="Send dead letters back to this service's queue",
                       responses={200: DeadLetterOutcome, **problem_responses(400, 413, 415)})
@allow("operator")
def replay_dead_letters(body: DeadLetterSelection):
    selection = None if body.message_ids is None else set(body.message_ids)
    return _audited("replayed", _dead_letters().replay(selection))


@dead_letters_api.post("/dead-letters/purge", summary="Drop dead letters for good",
                       responses={200: DeadLetterOutcome, **problem_responses(400, 413, 415)})
@allow("operator")
def purge_dead_letters(body: DeadLetterSelection):
    selection = None if body.message_ids is None else set(body.message_ids)
    return _audited("purged", _dead_letters().purge(selection))


def _audited(action: str, message_ids: list[str]):
    """The operator's act on the queue, audited as `dead-letter.<action>` for each message it touched."""
    with unit_of_work() as uow:
        for message_id in message_ids:
            uow.audit(f"dead-letter.{action}", "dead-letter", message_id, {})
    return json_response({"message_ids": message_ids})
