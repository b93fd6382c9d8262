"""The operators' page (operator role, decision 0098): every service's web and worker health and readiness, its
outbox backlog and consumer lag, its dead letters (list, inspect, replay, purge with the service's name typed) and
links into its Grafana dashboard."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from urllib.parse import quote

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from services.console.service_health import probe_urls, read, service_states
from services.console.web import api, call, has_role, read_all, refuse_expired, signed_in

operator_pages = Blueprint("operators", __name__)
log = logging.getLogger("chancery.console.operators")
LISTED = 200  # dead letters a page lists, oldest first


def operators_only(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not has_role("operator"):
            abort(403)
        if "service" in kwargs and kwargs["service"] not in _settings().service_urls:
            abort(404)
        return view(*args, **kwargs)
    return signed_in(wrapper)


def _settings():
    return current_app.extensions["console.settings"]


def _dashboard(service: str) -> str:
    base = _settings().grafana_url
    return f"{base}/d/chancery-{service}" if base else ""


@operator_pages.get("/operators")
@operators_only
def overview():
    settings = _settings()
    urls = probe_urls(settings)
    readings = api().parallel({name: functools.partial(read, api(), url) for name, url in urls.items()})
    letters = read_all(**{service: (service, "/dead-letters", {"limit": LISTED}) for service in settings.service_urls})
    return render_template("operators/overview.html", states=service_states(settings, readings), letters=letters,
                           dashboard=_dashboard, overview_dashboard=settings.grafana_url
                           and f"{settings.grafana_url}/d/chancery-overview",
                           broker_read=bool(settings.broker_metrics_urls))


@operator_pages.get("/operators/<service>/dead-letters")
@operators_only
def dead_letters(service: str):
    return _dead_letters_page(service)


def _dead_letters_page(service: str, refusal: str = "", status: int = 200):
    answer = refuse_expired(call("GET", service, "/dead-letters", params={"limit": LISTED}))
    done = {action: request.args.get(action, type=int) for action in ("replayed", "purged")}
    return render_template("operators/dead_letters.html", service=service, answer=answer, refusal=refusal,
                           done=done, listed=LISTED, dashboard=_dashboard(service)), status


@operator_pages.get("/operators/<service>/dead-letters/<message_id>")
@operators_only
def dead_letter(service: str, message_id: str):
    return _dead_letter_page(service, message_id)


def _dead_letter_page(service: str, message_id: str, refusal: str = "", status: int = 200):
    answer = refuse_expired(call("GET", service, f"/dead-letters/{quote(message_id, safe='')}"))
    if answer.status == 404:
        abort(404)
    body = json.dumps(answer.body.get("body"), ensure_ascii=False, indent=2) if answer.ok else ""
    headers = json.dumps(answer.body.get("headers"), ensure_ascii=False, indent=2, default=str) if answer.ok else ""
    return render_template("operators/dead_letter.html", service=service, message_id=message_id, answer=answer,
                           letter=answer.body if answer.ok else None, body=body, headers=headers,
                           refusal=refusal), status


@operator_pages.post("/operators/<service>/dead-letters/replay")
@operators_only
def replay(service: str):
    """One dead letter sent back to its service's queue, to be applied once its cause is fixed."""
    message_id = request.form.get("message_id", "")
    if not message_id:
        abort(400)
    answer = refuse_expired(call("POST", service, "/dead-letters/replay", json={"message_ids": [message_id]}))
    if not answer.ok:
        return _dead_letter_page(service, message_id, _("The service did not replay it (%(status)s).",
                                                        status=answer.status or _("no answer")), 503)
    _audit("replayed", service, answer.body["message_ids"])
    return redirect(url_for("operators.dead_letters", service=service, replayed=len(answer.body["message_ids"])))


@operator_pages.post("/operators/<service>/dead-letters/purge")
@operators_only
def purge(service: str):
    """Dead letters dropped for good: one (`message_id`) or every one, only with the service's name typed."""
    message_id = request.form.get("message_id", "")
    if request.form.get("confirmation", "").strip() != service:
        refusal = _("Nothing was purged: type %(service)s to confirm.", service=service)
        if message_id:
            return _dead_letter_page(service, message_id, refusal, 422)
        return _dead_letters_page(service, refusal, 422)
    answer = refuse_expired(call("POST", service, "/dead-letters/purge",
                                 json={"message_ids": [message_id] if message_id else None}))
    if not answer.ok:
        return _dead_letters_page(service, _("The service did not purge them (%(status)s).",
                                             status=answer.status or _("no answer")), 503)
    _audit("purged", service, answer.body["message_ids"])
    return redirect(url_for("operators.dead_letters", service=service, purged=len(answer.body["message_ids"])))


def _audit(action: str, service: str, message_ids: list[str]) -> None:
    """The dead-letter API changes a queue, not a record, so no service writes an audit row: the console logs
    who did what (its log is shipped like the services')."""
    log.info("audit: %s %s %d dead letter(s) of %s", session.get("subject"), action, len(message_ids), service,
             extra={"audit": {"actor": session.get("subject"), "action": f"dead-letters.{action}",
                              "service": service, "message_ids": message_ids}})
