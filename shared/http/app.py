"""The Flask app every service is built on: OpenAPI, problem details, auth, metrics, tracing, health."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Response, g, redirect, request
from flask_openapi3 import Info, OpenAPI
from flask_openapi3.models.schema import Schema
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException

from shared.calendars import FeedTokens
from shared.config import Settings
from shared.http.auth import TokenVerifier, anonymous
from shared.http.calendar_api import feed_token_of
from shared.http.openapi import API_PREFIX, LazyDocOpenAPI, finished_document
from shared.http.probes import BrokerCheck, database_check, metrics_response, probe_answer
from shared.http.problems import (
    HTTP_ERROR_TYPES,
    Problem,
    ProblemDetails,
    ProblemTypePath,
    blank_problem_response,
    problem_page,
    problem_response,
    problems_index,
    validation_problem,
)
from shared.http.rate_limit import RateLimiter
from shared.http.records import refusal_problem
from shared.kit.refusals import Refusal
from shared.observability import (
    QUIET_ROUTES,
    OutboxCollector,
    init_logging,
    init_tracing,
    metrics_registry,
    record_http,
    trace_requests,
)
from shared.service import ServiceRuntime, ServiceSpec

log = logging.getLogger("chancery.http")


def _keep_every_json_schema_keyword() -> None:
    """flask-openapi3 copies each pydantic JSON Schema into its own Schema model, which drops keywords it does
    not declare, `examples` among them; OpenAPI 3.1 schemas are full JSON Schema, so keep them all."""
    Schema.model_config["extra"] = "allow"
    Schema.model_rebuild(force=True)


_keep_every_json_schema_keyword()
BODY_METHODS = {"POST", "PUT", "PATCH"}
# The caller's X-Request-ID is echoed, logged and stored with audit records (at most 100 characters there).
DRAIN_FACTOR = 8  # a refused body up to 8 times the limit is read to the end so that the client sees the 413
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,100}$")


def create_service_app(spec: ServiceSpec, settings: Settings, own_settings: Any = None) -> OpenAPI:
    """Build the web app of one service; no connection is opened until the first request."""
    init_logging(settings)
    init_tracing(settings, spec.name, "web")
    service = ServiceRuntime.build(spec, settings, own_settings)
    app = LazyDocOpenAPI(
        spec.name,
        info=Info(title=spec.title, version="1.0.0", description=spec.description),
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        validation_error_status=422,
        validation_error_model=ProblemDetails,
        validation_error_callback=validation_problem,
        doc_prefix="/docs",
        doc_url="/openapi.json",
    )
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # the default provider's, which the app has
    app.extensions["chancery"] = service
    app.extensions["chancery.verifier"] = TokenVerifier(settings)
    app.extensions["chancery.rate_limiter"] = RateLimiter(settings.rate_limit, settings.rate_limit_storage,
                                                          spec.name)
    trace_requests(app)
    _register_hooks(app)
    _register_errors(app)
    _register_operations(app, service)
    from shared.http.audit_api import audit_api
    from shared.http.calendar_api import calendar_links_api
    from shared.http.dead_letters_api import DeadLetterId, dead_letters_api

    app.url_map.converters["dead_letter_id"] = DeadLetterId
    app.register_api(audit_api)
    app.register_api(calendar_links_api)
    app.register_api(dead_letters_api)
    return app


def _register_hooks(app: OpenAPI) -> None:
    @app.before_request
    def begin_request():
        g.started = time.perf_counter()
        g.request_id = _request_id()
        if request.path.startswith(API_PREFIX):
            _authorize(app)
            _require_json_body()

    @app.after_request
    def finish_request(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        service = app.extensions["chancery"].spec.name
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        record_http(service, route, request.method, response.status_code, elapsed)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if route not in QUIET_ROUTES:
            log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed * 1000,
                     extra={"request_id": g.get("request_id"), "status": response.status_code})
        return response


def _authorize(app: OpenAPI) -> None:
    view = app.view_functions.get(request.endpoint) if request.endpoint else None
    feed_token = feed_token_of(view)
    if getattr(view, "public", False):
        g.principal = anonymous(request.remote_addr)
        app.extensions["chancery.rate_limiter"].check(g.principal)
        return
    if feed_token is not None:
        g.principal = FeedTokens(app.extensions["chancery"].settings).verify(feed_token, request.path)
    else:
        g.principal = app.extensions["chancery.verifier"].verify(request.headers.get("Authorization"))
    app.extensions["chancery.rate_limiter"].check(g.principal)
    if view is None:
        return  # 404 or 405 follows
    allowed = getattr(view, "allowed_roles", None)
    if allowed is None or not g.principal.has_any(allowed):
        raise Problem("forbidden", "Your roles do not allow this operation")


def _request_id() -> str:
    offered = request.headers.get("X-Request-ID", "")
    return offered if REQUEST_ID.match(offered) else str(uuid.uuid4())


def _require_json_body() -> None:
    if request.method not in BODY_METHODS or not request.get_data(cache=True):
        return
    if not request.is_json:
        raise Problem("media-type", "Send the body as application/json")
    try:
        json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError) as error:  # RecursionError: nested too deep to parse
        raise Problem("malformed-json", f"The body is not valid JSON: {error}",
                      errors=[{"field": "body", "message": str(error)}]) from error


def _discard_body(at_most: int) -> None:
    """Read and drop the rest of a refused body: closing a socket with unread data resets the connection,
    and the client, still sending, would see a broken pipe instead of the 413."""
    remaining = min(request.content_length or 0, at_most)
    stream = request.environ["wsgi.input"]
    while remaining > 0:
        chunk = stream.read(min(64 * 1024, remaining))
        if not chunk:
            return
        remaining -= len(chunk)


def _register_errors(app: OpenAPI) -> None:
    @app.errorhandler(Problem)
    def on_problem(problem: Problem):
        return problem.to_response()

    @app.errorhandler(Refusal)
    def on_refusal(refusal: Refusal):
        return refusal_problem(refusal).to_response()

    @app.errorhandler(HTTPException)
    def on_http_exception(error: HTTPException):
        if error.response is not None and error.response.mimetype == "application/problem+json":
            return error.response
        if error.code == 413:
            limit = app.config["MAX_CONTENT_LENGTH"]
            _discard_body(DRAIN_FACTOR * limit)
            return problem_response("too-large", f"The body exceeds {limit} bytes")
        # Keep what the client needs to act on, such as Allow on a 405.
        headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
        slug = HTTP_ERROR_TYPES.get(error.code or 500)
        if slug is None:
            return blank_problem_response(error.code or 500, error.description, headers)
        return problem_response(slug, error.description, headers=headers)

    @app.errorhandler(IntegrityError)
    def on_conflict(error: IntegrityError):
        # The database refused the write (a constraint): the request conflicts with stored data,
        # which retrying will not fix, so it must not be reported as an outage.
        log.warning("integrity error: %s", type(error.orig).__name__)
        return problem_response("conflict", "The change conflicts with stored data")

    @app.errorhandler(DataError)
    def on_unstorable_value(error: DataError):
        # A value the database cannot hold (too long, out of range, a NUL character): the request's fault.
        log.warning("data error: %s", type(error.orig).__name__)
        return problem_response("validation",
                                "A value is too long, out of range or contains a character that cannot be stored")

    @app.errorhandler(DBAPIError)
    def on_database_error(error: DBAPIError):
        log.error("database error: %s", type(error.orig).__name__)
        return problem_response("unavailable", "The database is unavailable; retry shortly",
                                headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception):
        log.exception("unhandled error")
        return problem_response("internal-error", "The error was logged with the request id",
                                request_id=g.get("request_id"))


def _register_operations(app: OpenAPI, service: ServiceRuntime) -> None:
    broker_check = BrokerCheck(service.settings.amqp_url)
    registry = metrics_registry([OutboxCollector(service.spec.name, service.read_backlog)])

    @app.get("/healthz", doc_ui=False)
    def healthz():
        return {"status": "alive", "service": service.spec.name}

    @app.get("/readyz", doc_ui=False)
    def readyz():
        return probe_answer("ready", {"database": database_check(service.database), "broker": broker_check()})

    @app.get("/metrics", doc_ui=False)
    def metrics():
        return metrics_response(registry)

    @app.get("/openapi.json", doc_ui=False)
    def openapi_document():
        return finished_document(app.api_doc)

    @app.get("/problems", doc_ui=False)
    def problem_types():
        return problems_index()

    @app.get("/problems/<slug>", doc_ui=False)
    def problem_type(path: ProblemTypePath):
        return problem_page(path.slug)

    @app.get("/docs", doc_ui=False, strict_slashes=False, endpoint="docs_home")
    def docs_home():
        return redirect("/docs/swagger", 302)
