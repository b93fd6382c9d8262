"""The notifications inbox (mark read, open the record), subscriptions, and the live stream relayed on the
console's own origin for the unread badge (decision 0090)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from services.console.forms import FormState, refusal, send_form, typed
from services.console.web import access_token, api, call, read_all, refuse_expired, signed_in

notification_pages = Blueprint("notifications", __name__)
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
    """The badge's starting point: how many are unread, and the newest notification, after which the live stream
    starts (so that nothing arriving while the stream reconnects is missed)."""
    answers = read_all(count=("notifications", "/inbox/unread-count"),
                       newest=("notifications", "/inbox", {"page_size": 1}))
    newest = answers["newest"].items[0]["id"] if answers["newest"].items else ""
    return {"unread": (answers["count"].body or {}).get("unread") if answers["count"].ok else None, "newest": newest}


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
    """The person's notification stream, relayed byte for byte; the browser reconnects when it ends."""
    last_seen = request.headers.get("Last-Event-ID") or request.args.get("after", "")[:36]
    resume = {"Last-Event-ID": last_seen} if last_seen else {}
    try:
        upstream = api().stream(access_token(), "notifications", "/inbox/stream", resume)
    except Exception:  # noqa: BLE001 - the service is away: the browser retries after `retry`
        return Response("retry: 5000\n\n", mimetype="text/event-stream", headers={"Cache-Control": "no-store"})
    if upstream.status_code != 200:
        upstream.close()
        return Response("retry: 5000\n\n", mimetype="text/event-stream", status=200,
                        headers={"Cache-Control": "no-store"})

    @stream_with_context
    def relay():
        try:
            yield from upstream.iter_raw()
        finally:
            upstream.close()

    return Response(relay(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
