"""Subscriptions and the in-app inbox of the calling user."""

from __future__ import annotations

import json
import time

from flask import Response, g, request, stream_with_context
from sqlalchemy import func, select

from services.notifications.api import inbox_schemas
from services.notifications.api.common import NO_CONTENT, own
from services.notifications.api.inbox_schemas import NotificationOut, NotificationPath, UnreadCount
from services.notifications.api.subscription_schemas import SubscriptionCreate, SubscriptionOut, SubscriptionPath
from services.notifications.operations.inbox import mark_read as read
from services.notifications.operations.subscriptions import subscribe, unsubscribe
from services.notifications.store.inbox import newer_than, stream_cursor
from services.notifications.store.models import Notification, Subscription
from shared.http.auth import ANY_STAFF, allow
from shared.http.problems import problem_responses
from shared.http.resources import Page, PageQuery, apply_sort, json_response, paginate, sorted_by
from shared.http.stream_slots import take_stream_slot
from shared.http.views import Resource, blueprint
from shared.http.work import read_only, runtime, unit_of_work

STREAM_POLL_SECONDS = 0.25
STREAM_HEARTBEAT_SECONDS = 5  # also how soon a closed page's stream notices and frees its slot
STREAM_RETRY_MS = 1000
inbox_api = blueprint("inbox", __name__, "Your subscriptions and in-app notifications")


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
    statement = apply_sort(statement, query.sort, INBOX_ORDER, [Notification.created_at.desc(), Notification.id])
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
    recipient, resume_from = g.principal.subject, request.headers.get("Last-Event-ID")
    settings = runtime().own_settings
    with read_only() as session:
        cursor = stream_cursor(session, recipient, resume_from)
    give_back = take_stream_slot(settings.stream_seconds)

    @stream_with_context
    def events():
        nonlocal cursor
        yield f"retry: {STREAM_RETRY_MS}\n\n"
        deadline, heartbeat_at = time.monotonic() + settings.stream_seconds, time.monotonic()
        while time.monotonic() < deadline:
            with read_only() as session:
                for row in newer_than(session, recipient, cursor):
                    cursor = (row.created_at, row.id)
                    yield _server_sent_event(row)
            if time.monotonic() - heartbeat_at > STREAM_HEARTBEAT_SECONDS:
                heartbeat_at = time.monotonic()
                yield ": heartbeat\n\n"
            time.sleep(STREAM_POLL_SECONDS)

    response = Response(events(), mimetype="text/event-stream",
                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    response.call_on_close(give_back)  # the server closes every response, ended or abandoned
    return response


def _server_sent_event(row: Notification) -> str:
    return f"id: {row.id}\nevent: notification\ndata: {json.dumps(_notification(row), ensure_ascii=False)}\n\n"


@inbox_api.post("/inbox/<notification_id>/read", summary="Mark a notification read",
                responses={200: NotificationOut, **problem_responses(404)})
@allow(*ANY_STAFF)
def mark_read(path: NotificationPath):
    with unit_of_work() as uow:
        return json_response(_notification(read(uow, path.notification_id)))
