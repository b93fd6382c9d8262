"""The notifications inbox (mark read, open the record), subscriptions, and the live stream relayed on the
console's own origin for the unread badge (decision 0090)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import httpx
from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from services.console.forms import FormState, refusal, send_form, typed
from services.console.upstream import Answer
from services.console.web import access_token, api, call, read_all, refuse_expired, signed_in
from shared.http.stream_slots import too_many_streams

notification_pages = Blueprint("notifications", __name__)


def start_watching(record_type: str, record_id: str) -> Answer | None:
    """The person watches a record (already watching it counts as done); the service's refusal, if it refuses."""
    answer = refuse_expired(call("POST", "notifications", "/watches",
                                 json={"record_type": record_type, "record_id": record_id}))
    return None if answer.ok or answer.status == 409 else answer
UNREAD_IDS = 50  # more notifications than this arriving while a page's stream reopens may be counted twice
AWAY = "retry: 5000\n\n"  # notifications did not answer: the browser tries again in 5 s
RECORD_PAGES = {"visit": "visits.visit", "invitation": "invitations.invitation", "trip": "trips.trip"}


def record_link(notification: dict) -> str | None:
    """The console page of the record a notification is about (`chancery.<service>.<record>.<action>.v1`)."""
    parts = notification.get("event_type", "").split(".")
    endpoint = RECORD_PAGES.get(parts[2]) if len(parts) > 3 else None
    data = notification.get("data") or {}
    record_id = data.get("id") or data.get(f"{parts[2]}_id") if endpoint else None
    if not record_id:
        return None
    return url_for(endpoint, **{f"{parts[2]}_id": record_id})


@notification_pages.get("/inbox")
@signed_in
def inbox():
    answer = refuse_expired(call("GET", "notifications", "/inbox", params={"page_size": 50}))
    return render_template("notifications/inbox.html", answer=answer, record_link=record_link)


@notification_pages.get("/inbox/items")
@signed_in
def inbox_items():
    """The inbox list alone: the live script reloads it when its stream comes back after a gap."""
    answer = refuse_expired(call("GET", "notifications", "/inbox", params={"page_size": 50}))
    return render_template("notifications/_items.html", answer=answer, record_link=record_link)


@notification_pages.post("/inbox/<notification_id>/read")
@signed_in
def mark_read(notification_id: str):
    answer = refuse_expired(call("POST", "notifications", f"/inbox/{notification_id}/read"))
    if request.headers.get("HX-Request") and answer.ok:
        return render_template("notifications/_item.html", item=answer.body, record_link=record_link)
    return redirect(url_for("notifications.inbox"))


@notification_pages.get("/inbox/unread")
@signed_in
def unread():
    """The badge's starting point: how many are unread and the ids of the newest unread ones (the badge does not
    count again a notification the stream brings that this count already holds: decision 0095), and the newest
    notification, after which a live stream can start."""
    exact_count = {"unread": "true", "page_size": UNREAD_IDS, "total": "exact"}  # a person's unread: indexed
    answers = read_all(unread=("notifications", "/inbox", exact_count),
                       newest=("notifications", "/inbox", {"page_size": 1}))
    if not answers["unread"].ok:
        return {"unread": None, "recent": [], "newest": ""}
    recent = [item["id"] for item in answers["unread"].items]
    # The count and the page are two queries: the page, read second, may hold one the count missed.
    return {"unread": max(answers["unread"].body.get("total", 0), len(recent)), "recent": recent,
            "newest": answers["newest"].items[0]["id"] if answers["newest"].items else ""}


@notification_pages.get("/inbox/subscriptions")
@signed_in
def subscriptions(form=None, preferences_form=None):
    answers = read_all(subscriptions=("notifications", "/subscriptions"), watches=("notifications", "/watches"),
                       preferences=("notifications", "/preferences"))
    return render_template("notifications/subscriptions.html", answers=answers, form=form,
                           preferences_form=preferences_form), 422 if form or preferences_form else 200


PREFERENCE_FIELDS = ("language", "time_zone", "email", "in_app", "email_channel", "quiet_start", "quiet_end",
                     "digest_at")


def _preferences_body(values: dict) -> dict:
    body = {"language": values["language"], "time_zone": values["time_zone"], "digest_at": values["digest_at"],
            "email": values["email"] or None,
            "channels": {"in-app": values["in_app"], "email": values["email_channel"]}}
    if values["quiet_start"] or values["quiet_end"]:
        body["quiet_hours"] = {"start": values["quiet_start"], "end": values["quiet_end"]}
    return body


@notification_pages.post("/inbox/preferences")
@signed_in
def change_preferences():
    """How the person hears, replaced as a whole over the version the form showed (If-Match)."""
    values = typed(PREFERENCE_FIELDS)
    answer = refuse_expired(call("PUT", "notifications", "/preferences", json=_preferences_body(values),
                                 headers={"If-Match": f'"{request.form.get("version", "")}"'}))
    if answer.ok:
        return redirect(url_for("notifications.subscriptions") + "#h-prefs")
    if answer.status == 412:
        return subscriptions(preferences_form=FormState(values, {}, _(
            "Your preferences were changed meanwhile (in another window?). What you chose is kept below; send "
            "again to keep it.")))
    return subscriptions(preferences_form=refusal(answer, values))


@notification_pages.post("/inbox/subscriptions")
@signed_in
def subscribe():
    values, answer = send_form(("pattern", "language"), "POST", "notifications", "/subscriptions",
                               optional=("language",))
    if answer.ok:
        return redirect(url_for("notifications.subscriptions"))
    return subscriptions(refusal(answer, values))


@notification_pages.post("/inbox/subscriptions/<subscription_id>/delete")
@signed_in
def unsubscribe(subscription_id: str):
    refuse_expired(call("DELETE", "notifications", f"/subscriptions/{subscription_id}"))
    return redirect(url_for("notifications.subscriptions"))


@notification_pages.get("/live/inbox")
@signed_in
def live_inbox():
    """The person's notification stream on the console's origin, fed by the one upstream stream this process
    holds for them (decision 0095); the browser reconnects when it ends."""
    last_seen = request.headers.get("Last-Event-ID") or request.args.get("after", "")[:36] or None
    relay, token = current_app.extensions["console.relay"], access_token()
    give_back = relay.slots.take(relay.stream_seconds)
    if give_back is None:
        return too_many_streams(relay.slots).to_response()
    joined = relay.join(session["subject"], token, last_seen)
    stream = relay.stream(*joined) if joined else _own_stream(token, last_seen)
    response = Response(stream, mimetype="text/event-stream",
                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    response.call_on_close(give_back)  # the server closes every response, ended or abandoned
    if joined:
        response.call_on_close(functools.partial(relay.leave, *joined))
    return response


def _own_stream(token: str, last_seen: str | None) -> Iterator[bytes | str]:
    """A page resuming after an event its person's feed does not know (the feed started after it): an upstream
    stream of its own, relayed byte for byte, so that nothing since `last_seen` is missed."""
    try:
        upstream = api().stream(token, "notifications", "/inbox/stream", {"Last-Event-ID": last_seen})
    except httpx.HTTPError:
        return iter([AWAY])
    if upstream.status_code != 200:
        upstream.close()
        return iter([AWAY])

    def relay():
        try:
            yield from upstream.iter_raw()
        finally:
            upstream.close()

    return relay()
