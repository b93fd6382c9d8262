"""Subscriptions and the in-app inbox of the calling user."""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import Iterator

from flask import Flask, Response, current_app, g, request, stream_with_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notifications.api import inbox_schemas
from services.notifications.api.common import NO_CONTENT, own
from services.notifications.api.inbox_schemas import NotificationOut, NotificationPath, UnreadCount
from services.notifications.api.subscription_schemas import SubscriptionCreate, SubscriptionOut, SubscriptionPath
from services.notifications.operations.inbox import mark_read as read
from services.notifications.operations.subscriptions import subscribe, unsubscribe
from services.notifications.settings import NotificationSettings
from services.notifications.store.arrivals import STREAM_READS, Follower, InboxArrivals
from services.notifications.store.inbox import NEWER_AT_ONCE, Cursor, newer_than, stream_cursor
from services.notifications.store.models import Notification, Subscription
from shared.http.auth import ANY_STAFF, allow
from shared.http.problems import problem_responses
from shared.http.resources import Page, PageQuery, apply_sort, json_response, paginate, sorted_by
from shared.http.stream_slots import first_heartbeat_in, take_stream_slot
from shared.http.views import Resource, blueprint
from shared.http.work import read_only, runtime, unit_of_work

STREAM_POLL_SECONDS = 0.25  # only while the process's watch of arrivals is down
STREAM_RETRY_MS = 1000
ARRIVALS = "notifications.inbox_arrivals"  # the app's InboxArrivals, in app.extensions
inbox_api = blueprint("inbox", __name__, "Your subscriptions and in-app notifications")


def hold_inbox_arrivals(app: Flask, arrivals: InboxArrivals) -> None:
    """The app's one watch of arrivals (it starts with the first stream), stopped when the app is dropped."""
    app.extensions[ARRIVALS] = arrivals
    weakref.finalize(app, arrivals.stop)


def inbox_arrivals() -> InboxArrivals:
    return current_app.extensions[ARRIVALS]


def _subscription(row: Subscription) -> dict:
    return {**SubscriptionOut.model_validate(row).model_dump(mode="json"), "language": row.language or None}


def _notification(row: Notification) -> dict:
    return NotificationOut.model_validate(row).model_dump(mode="json")


SUBSCRIPTIONS = Resource(inbox_api, "/subscriptions", "subscription_id", Subscription, SubscriptionOut, ANY_STAFF,
                         ANY_STAFF, serialize=_subscription)
SUBSCRIPTIONS.create("create_subscription", "Subscribe to events", SubscriptionCreate,
                     lambda uow, ids, body: subscribe(uow, body.pattern, body.language, body.model_dump()),
                     problems=(409,))
SUBSCRIPTIONS.listing("list_subscriptions", "List your subscriptions", PageQuery,
                      narrow=(own(Subscription.subscriber),),
                      sortable=("created_at", "pattern"))
SUBSCRIPTIONS.remove("delete_subscription", "Unsubscribe", SubscriptionPath,
                     lambda uow, ids, body: unsubscribe(uow, *ids), problems=(404,), gone=NO_CONTENT)


INBOX_ORDER = {"created_at": Notification.created_at}
NEWEST_FIRST = [Notification.created_at.desc(), Notification.id.desc()]  # the inbox index read backwards
InboxQuery = sorted_by(inbox_schemas.InboxQuery, INBOX_ORDER)


@inbox_api.get("/inbox", summary="Your in-app notifications, newest first", responses={200: Page[NotificationOut]})
@allow(*ANY_STAFF)
def list_inbox(query: InboxQuery):
    statement = select(Notification).where(Notification.recipient == g.principal.subject,
                                           Notification.channel == "in-app")
    if query.unread is not None:
        statement = statement.where(Notification.read_at.is_(None) if query.unread
                                    else Notification.read_at.is_not(None))
    if query.event_type:
        statement = statement.where(Notification.event_type == query.event_type)
    statement = apply_sort(statement, query.sort, INBOX_ORDER, NEWEST_FIRST)
    with read_only() as session:
        return json_response(paginate(session, statement, query, _notification))


@inbox_api.get("/inbox/unread-count", summary="How many of your in-app notifications are unread",
               responses={200: UnreadCount})
@allow(*ANY_STAFF)
def unread_count():
    statement = select(func.count()).select_from(Notification).where(
        Notification.recipient == g.principal.subject, Notification.channel == "in-app", Notification.read_at.is_(None))
    with read_only() as session:
        return json_response({"unread": session.scalar(statement)})


@inbox_api.get("/inbox/stream", summary="Your new in-app notifications as they arrive (Server-Sent Events)",
               description="`text/event-stream`: one `notification` event per new notification, its `id` the "
                           "notification's id (send it back as `Last-Event-ID` to resume: nothing that arrived "
                           "in between is missed), a comment line as a heartbeat, and the stream ends after "
                           "`NOTIFICATIONS_STREAM_SECONDS` (browsers reconnect by themselves after `retry:`). "
                           "When the process already holds `NOTIFICATIONS_MAX_STREAMS` streams the answer is "
                           "503 with `Retry-After`: reconnect then (docs/decisions/0056).",
               responses={200: None, **problem_responses(503)})
@allow(*ANY_STAFF)
def stream_inbox():
    recipient, settings = g.principal.subject, runtime().own_settings
    give_back = take_stream_slot(settings.stream_seconds)
    follower = inbox_arrivals().follow(recipient)  # before the first read: nothing committed after it is missed

    def close() -> None:
        follower.close()
        give_back()

    try:
        with read_only() as session:
            cursor = stream_cursor(session, recipient, request.headers.get("Last-Event-ID"))
            rows = _read(session, recipient, cursor, "opened")
    except BaseException:
        close()
        raise
    response = Response(stream_with_context(_events(follower, cursor, rows, settings)),
                        mimetype="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    response.call_on_close(close)  # the server closes every response, ended or abandoned
    return response


def _events(follower: Follower, cursor: Cursor, rows: list[Notification],
            settings: NotificationSettings) -> Iterator[str]:
    """The stream: what the first read found, then what each wake-up finds (a full batch is followed by the next
    at once), until the stream's seconds have passed. Only while the process's watch is down does a stream look
    every STREAM_POLL_SECONDS by itself."""
    yield f"retry: {STREAM_RETRY_MS}\n\n"
    deadline = time.monotonic() + settings.stream_seconds
    heartbeat_at = time.monotonic() + first_heartbeat_in(settings.stream_heartbeat_seconds)
    cause = "opened"
    while True:
        for row in rows:
            cursor = (row.created_at, row.id)
            yield _server_sent_event(row)
        if len(rows) < NEWER_AT_ONCE:
            if time.monotonic() >= deadline:
                return
            if time.monotonic() >= heartbeat_at:
                heartbeat_at = time.monotonic() + settings.stream_heartbeat_seconds
                yield ": heartbeat\n\n"
            watching = follower.arrivals.watching
            wait = min(deadline, heartbeat_at) - time.monotonic()
            if not follower.wait(wait if watching else min(wait, STREAM_POLL_SECONDS)) and watching:
                rows = []
                continue
            cause = "woken" if watching else "polled"
        with read_only() as session:
            rows = _read(session, follower.recipient, cursor, cause)


def _read(session: Session, recipient: str, cursor: Cursor, cause: str) -> list[Notification]:
    STREAM_READS.labels(cause).inc()
    return newer_than(session, recipient, cursor)


def _server_sent_event(row: Notification) -> str:
    return f"id: {row.id}\nevent: notification\ndata: {json.dumps(_notification(row), ensure_ascii=False)}\n\n"


@inbox_api.post("/inbox/<notification_id>/read", summary="Mark a notification read",
                responses={200: NotificationOut, **problem_responses(404)})
@allow(*ANY_STAFF)
def mark_read(path: NotificationPath):
    with unit_of_work() as uow:
        return json_response(_notification(read(uow, path.notification_id)))
