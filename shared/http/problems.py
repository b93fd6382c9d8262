"""Errors as RFC 9457 problem details, naming the offending fields."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from http import HTTPStatus
from typing import Any

from flask import Response, request
from pydantic import BaseModel, Field, ValidationError

PROBLEM_TYPE_BASE = "https://chancery.city/problems/"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: every answer of this type carries its status and its title (RFC 9457 §3.1.3)."""

    slug: str
    status: int
    title: str
    description: str

    @property
    def uri(self) -> str:
        return PROBLEM_TYPE_BASE + self.slug


PROBLEM_TYPES = {problem.slug: problem for problem in (
    ProblemType("malformed-json", 400, "Malformed JSON", "The body is not valid JSON. Nothing was changed."),
    ProblemType("malformed-request", 400, "Malformed request",
                "The request could not be read as HTTP the service understands. Nothing was changed."),
    ProblemType("unauthorized", 401, "Authentication required",
                "No bearer token, or one that is expired, wrongly signed, for another issuer or audience. Sign in "
                "again (or ask `chancery token` in development) and resend."),
    ProblemType("forbidden", 403, "Forbidden",
                "The token is valid, but none of its roles may call this operation (docs/permissions.md)."),
    ProblemType("not-the-approver", 403, "Not your step",
                "A trip's approval waits for another role or another department's head; `awaiting` and "
                "`awaiting_department` name whose step it is."),
    ProblemType("four-eyes", 403, "Four eyes required",
                "The person who wrote it may not also approve it: another member of staff must review it."),
    ProblemType("not-found", 404, "Not found",
                "There is no such record, or it is not one the caller may see (another department's is 404, "
                "not 403, so that its existence is not disclosed)."),
    ProblemType("method-not-allowed", 405, "Method not allowed",
                "The path exists but does not take this method; `Allow` lists those it takes."),
    ProblemType("conflict", 409, "Conflict",
                "The change conflicts with stored data (a unique value taken, a record referred to that went "
                "away); retrying the same request will not help."),
    ProblemType("illegal-transition", 409, "Transition not allowed",
                "The record's state does not allow this action or change now; `allowed_actions` names the "
                "actions its state allows."),
    ProblemType("duplicate", 409, "Already exists",
                "The same thing is already registered (a subscription, a watch, a supplier's identifier, a city "
                "system's queue); the detail names it."),
    ProblemType("documents-missing", 409, "Documents missing",
                "A trip moves on only with its travellers' documents in order; `missing_documents` lists what "
                "is missing."),
    ProblemType("standstill", 409, "Standstill period",
                "A contract is signed only after the award's standstill period ends."),
    ProblemType("bid-refused", 409, "Bid refused",
                "The bid (or auction bid) is not accepted; `reason` says why. A refused auction bid is kept in "
                "the auction's record."),
    ProblemType("auction-not-possible", 409, "Auction not possible",
                "The tender's method, state or timing does not allow the auction; `reason` says why."),
    ProblemType("overlapping-relationship", 409, "Overlaps another relationship",
                "A partner has at most one relationship of a kind at a time."),
    ProblemType("results-imported", 409, "Results imported",
                "A survey's questions are fixed once results have been imported."),
    ProblemType("has-accreditations", 409, "Has accreditations",
                "A media contact with accreditations is kept for their record."),
    ProblemType("follows-source", 409, "Follows its source",
                "The named fields of a plan item come from its source (a visit, a trip) and change only when "
                "the source does; `fields` names them."),
    ProblemType("function-cancelled", 409, "The function is cancelled",
                "The official function was cancelled; nothing more is recorded for it."),
    ProblemType("rsvp-closed", 409, "Answers are closed",
                "Answers to an invitation to a function are recorded until the day of the function."),
    ProblemType("closed-to-press", 409, "Closed to the press", "This function does not accredit the press."),
    ProblemType("member-has-issued-letter", 409, "A visa letter was issued for this person",
                "A delegation member named by an issued visa letter stays: the register keeps its letters; "
                "`registry_numbers` names them."),
    ProblemType("invitation-closed", 409, "The invitation is answered",
                "An answered invitation no longer changes."),
    ProblemType("no-reply-letter", 409, "No reply letter", "Only a declined invitation has a reply letter."),
    ProblemType("meeting-closed", 409, "The meeting cannot move", "Only a planned meeting moves."),
    ProblemType("double-booking", 409, "The interpreter is booked",
                "The interpreter is booked elsewhere at that time; `interpreter_id` names them."),
    ProblemType("schedule-clash", 409, "The programme clashes",
                "The item clashes with another engagement of the same people or place; `clashes` lists them."),
    ProblemType("official-busy", 409, "The official is busy elsewhere",
                "An official taking part is held by another service's record at that time: a trip abroad (visits; "
                "`trips` names them) or an engagement in visits (trips; `engagements` names them); a confidential "
                "or embargoed one the caller may not know of by its id only, without its title. Send "
                "`override_reason` to go ahead anyway; the override is audited."),
    ProblemType("official-name-taken", 409, "The name names another official",
                "A registered official already has this id or answers to this name; `official_id` names them."),
    ProblemType("personal-data-purged", 409, "The personal data is purged",
                "The personal data this needs was purged under the retention rules."),
    ProblemType("visit-closed", 409, "The visit is closed",
                "The delegation of a finished or cancelled visit no longer changes; `visit_status` says which."),
    ProblemType("second-head", 409, "The delegation already has a head",
                "A delegation has one head; `head_id` names them: make them a member first."),
    ProblemType("not-released", 409, "Not released",
                "A draft tender has released nothing yet: its OCDS data exists once it is published."),
    ProblemType("webhook-disabled", 409, "Webhook disabled",
                "The webhook is disabled (by its owner, or after failing too often); enable it first."),
    ProblemType("not-a-webhook-delivery", 409, "Not a webhook delivery",
                "Only deliveries to a webhook are sent again; this one went by another channel."),
    ProblemType("delivery-in-progress", 409, "Delivery in progress",
                "The delivery is being sent already; it can be sent again once it has finished."),
    ProblemType("stale-write", 412, "The record has changed",
                "`If-Match` names a version older than the stored one (its `ETag` is in the answer): reload, "
                "reapply the change and retry."),
    ProblemType("too-large", 413, "Request too large",
                "The body exceeds the service's limit (`CHANCERY_MAX_BODY_BYTES`). Nothing was stored."),
    ProblemType("media-type", 415, "Unsupported media type", "Send the body as `application/json`."),
    ProblemType("validation", 422, "The request is not valid",
                "A value breaks the operation's schema or a rule; `errors` names each field (`field`, "
                "`message`, `code`). Nothing was changed."),
    ProblemType("bad-rows", 422, "The results have bad rows",
                "Rows of an imported CSV are not valid; `errors` names each row and column. Nothing was "
                "imported."),
    ProblemType("idempotency-key-reused", 422, "Idempotency-Key reused",
                "The `Idempotency-Key` was used before with another request; use a new key for a new request."),
    ProblemType("rate-limited", 429, "Too many requests",
                "The caller made more requests than `CHANCERY_RATE_LIMIT` allows; retry after `Retry-After` "
                "seconds (decision 0008)."),
    ProblemType("internal-error", 500, "Internal error",
                "An unexpected error, logged with the request's `request_id`; report that id."),
    ProblemType("unavailable", 503, "Service unavailable",
                "The database is unreachable for now; retry after `Retry-After` seconds."),
    ProblemType("too-many-streams", 503, "Too many live streams",
                "The server holds as many live streams as it may; reconnect after `Retry-After` seconds."),
    ProblemType("not-ready", 503, "Not ready", "A probe: the process cannot serve yet; `checks` names what fails."),
    ProblemType("not-alive", 503, "Not alive", "A probe: the process is stuck; `checks` names what fails."),
)}
MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "errors"})
# Werkzeug's own refusals (no route, a method the route does not take, a request it cannot read) as our types.
HTTP_ERROR_TYPES = {400: "malformed-request", 404: "not-found", 405: "method-not-allowed", 413: "too-large"}


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="The problem type's URI: `https://chancery.city/problems/<slug>`, a page saying "
                                  "what it means (docs/problems.md)")
    title: str = Field(description="The problem type's title, the same for every problem of the type")
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, str | int]] | None = None


# What flask-openapi3 takes as `responses=` / `abp_responses=`.
Responses = dict[str | int | HTTPStatus, type[BaseModel] | dict[Any, Any] | None]


def problem_responses(*statuses: int) -> Responses:
    """OpenAPI documentation of the problem answers a route may give (for `responses=` / `abp_responses=`):
    per status, the problem types it may be, each with its one title."""
    return {status: problem_answer(status) for status in statuses}


MAX_LISTED = 3  # more titles than that are left to the schema: a description is read at a glance


def problem_answer(status: int) -> dict[str, Any]:
    types = problem_types_of(status)
    name = problem_schema_name(status) if types else ProblemDetails.__name__
    description = "; ".join(f"{problem.title} ({problem.slug})" for problem in types[:MAX_LISTED])
    if len(types) > MAX_LISTED:
        description = f"{HTTPStatus(status).phrase}: one of the types of `{name}` (docs/problems.md)"
    description = description or HTTPStatus(status).phrase
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def problem_types_of(status: int) -> list[ProblemType]:
    return [problem for problem in PROBLEM_TYPES.values() if problem.status == status]


def problem_schema_name(status: int) -> str:
    return f"Problem{status}"


def problem_schemas() -> dict[str, dict[str, Any]]:
    """The OpenAPI components `Problem<status>`: problem details of one of the types of that status, each with
    its own title."""
    return {problem_schema_name(status): {
        "allOf": [{"$ref": f"#/components/schemas/{ProblemDetails.__name__}"}, {"anyOf": [
            {"properties": {"type": {"const": problem.uri}, "title": {"const": problem.title}}}
            for problem in problem_types_of(status)]}],
        "description": f"Problem details of a type answered with {status}"}
        for status in sorted({problem.status for problem in PROBLEM_TYPES.values()})}


class Problem(Exception):
    """An error the client can act on, of a registered type; rendered as application/problem+json."""

    def __init__(self, slug: str, detail: str | None = None, *, errors: list[dict[str, str | int]] | None = None,
                 headers: dict[str, str] | None = None, **extensions: Any):
        self.type = PROBLEM_TYPES[slug]
        super().__init__(detail or self.type.title)
        self.detail, self.errors, self.headers, self.extensions = detail, errors, headers or {}, extensions

    @property
    def status(self) -> int:
        return self.type.status

    def to_response(self) -> Response:
        return problem_response(self.type.slug, self.detail, errors=self.errors, headers=self.headers,
                                **self.extensions)


def problem_response(slug: str, detail: str | None = None, *, errors: list[dict[str, str | int]] | None = None,
                     headers: dict[str, str] | None = None, **extensions: Any) -> Response:
    """The answer to a problem of the registered type `slug`: its status and title are the type's."""
    problem = PROBLEM_TYPES[slug]
    return _problem_body(problem.status, problem.uri, problem.title, detail, errors, headers, extensions)


def blank_problem_response(status: int, detail: str | None, headers: dict[str, str]) -> Response:
    """A refusal no registered type describes: `about:blank`, titled by the status phrase (RFC 9457 §4.2.1)."""
    return _problem_body(status, "about:blank", HTTPStatus(status).phrase, detail, None, headers, {})


def _problem_body(status: int, uri: str, title: str, detail: str | None, errors: list[dict[str, str | int]] | None,
                  headers: dict[str, str] | None, extensions: dict[str, Any]) -> Response:
    if extensions.keys() & MEMBERS:  # an extension must never replace what the type says
        raise TypeError(f"problem extensions named like its members: {sorted(extensions.keys() & MEMBERS)}")
    body: dict[str, Any] = {"type": uri, "title": title, "status": status,
                            "instance": request.path if request else None}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extensions)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")
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
    return problem_response("validation", f"Check these fields: {names}", errors=errors)


class ProblemTypePath(BaseModel):
    slug: str = Field(max_length=100)


def problem_page(slug: str) -> Response:
    """The page a problem type's URI answers (RFC 9457 §3.1.1): what it means and what to do, for a person."""
    problem = PROBLEM_TYPES.get(slug)
    if problem is None:
        return problem_response("not-found", f"No problem type {slug!r}; GET /problems lists them")
    text = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(problem.title)}</title>"
            f"</head><body><h1>{escape(problem.title)}</h1><p>HTTP {problem.status} · <code>{escape(problem.uri)}"
            f"</code></p><p>{_code_spans(escape(problem.description))}</p>"
            "<p><a href=\"/problems\">Every problem type</a></p></body></html>")
    return Response(text, mimetype="text/html")


def _code_spans(text: str) -> str:
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", text)


def problems_index() -> Response:
    items = "".join(f"<li><a href=\"/problems/{problem.slug}\">{escape(problem.title)}</a> ({problem.status})</li>"
                    for problem in PROBLEM_TYPES.values())
    return Response("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Problem types</title>"
                    f"</head><body><h1>Problem types</h1><ul>{items}</ul></body></html>", mimetype="text/html")


def problems_markdown() -> str:
    """docs/problems.md: every problem type the suite answers with (`chancery problems`)."""
    lines = ["# Problem types", "",
             "Generated by `make problems` (`chancery problems`) from the registry in `shared/http/problems.py`;",
             "a test fails when this file and the code disagree. Every refusal is `application/problem+json`",
             "(RFC 9457) whose `type` is one of the URIs below and whose `title` is always that type's; each",
             "service answers `GET /problems/<slug>` with the type's page, and `GET /problems` with this list",
             "(decision 0081). A refusal of no type below is `about:blank`, titled by its HTTP status.", "",
             "| type | status | title | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{problem.uri}` | {problem.status} | {problem.title} | {problem.description} |"
              for problem in PROBLEM_TYPES.values()]
    return "\n".join(lines) + "\n"
