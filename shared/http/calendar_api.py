"""Calendar feeds over HTTP: mark a view as a feed, answer text/calendar, and hand out feed links."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from flask import Response, current_app, g, request
from flask_openapi3 import Tag
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.exceptions import MethodNotAllowed, NotFound

from shared.calendars import CalendarEntry, FeedTokens, calendar_body
from shared.http.auth import ANY_STAFF, allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import Problem, problem_responses
from shared.http.resources import inline_file, json_response
from shared.http.work import unit_of_work

calendar_links_api = LazyDocBlueprint(
    "calendar_links", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
    abp_responses=problem_responses(401, 403, 422),
    abp_tags=[Tag(name="calendars", description="Links that let a calendar client read one feed")])


def calendar_feed(view: Any) -> Callable:
    """Let this (GET) view also accept a feed token in `?token=` instead of a bearer token."""
    view.accepts_feed_token = True
    return view


def calendar_response(name: str, entries: Iterable[CalendarEntry]) -> Response:
    return Response(calendar_body(name, entries), mimetype="text/calendar",
                    headers={"Content-Disposition": inline_file(f"{name}.ics"), "Cache-Control": "private"})


def feed_token_of(view: Callable | None) -> str | None:
    """The feed token a request presents to a feed view without an Authorization header, if any."""
    if view is None or not getattr(view, "accepts_feed_token", False) or "Authorization" in request.headers:
        return None
    return request.args.get("token")


class CalendarLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    feed: str = Field(..., min_length=1, max_length=500, description="The feed's path",
                      examples=["/api/v1/visits/5b0c.../calendar.ics"])


class CalendarLink(BaseModel):
    url: str = Field(..., description="Give this URL to your calendar client; it opens only this feed")
    expires_at: datetime


def _feed_view(path: str) -> Any:
    try:
        endpoint, _ = current_app.url_map.bind("").match(path, method="GET")
    except (NotFound, MethodNotAllowed):
        endpoint = None
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if view is None or not getattr(view, "accepts_feed_token", False):
        raise Problem("validation", f"{path} is not a calendar feed of this service",
                      errors=[{"field": "feed", "message": "not a calendar feed"}])
    return view


@calendar_links_api.post("/calendar-links", summary="Get a link for a calendar client to one feed",
                         responses={201: CalendarLink})
@allow(*ANY_STAFF)
def create_calendar_link(body: CalendarLinkRequest):
    # The token names the path as the server sees it (decoded), and the link carries it encoded: a feed whose
    # path holds a space or Cyrillic letters (an official's name) opens like any other.
    feed = unquote(body.feed.split("?", 1)[0])
    view = _feed_view(feed)
    if not g.principal.has_any(view.allowed_roles):
        raise Problem("forbidden", "Your roles do not allow reading this feed")
    token, expires_at = FeedTokens(current_app.extensions["chancery"].settings).issue(g.principal, feed)
    with unit_of_work() as uow:
        uow.audit("calendar-link.issued", "calendar-feed", feed[-100:], {"expires_at": expires_at.isoformat()})
    link = CalendarLink(url=f"{request.host_url.rstrip('/')}{quote(feed)}?token={token}", expires_at=expires_at)
    return json_response(link.model_dump(mode="json"), 201)
