"""What every page of the console shares: metrics, a span per request, security headers, the signed-in person
and calls to the services with their token."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from services.console.upstream import PAGING, Answer, Api
from shared.observability import QUIET_ROUTES, record_http

log = logging.getLogger("chancery.console")
def content_security_policy(identity_provider: str = "") -> str:
    """No inline script, no framing. Forms post to the console only, but sign-out's answer sends the browser on
    to the provider's logout page, and browsers hold a form's redirects to `form-action` too."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(identity_provider)) if identity_provider else ""
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            f"frame-ancestors 'none'; form-action 'self'{' ' + origin if origin else ''}; base-uri 'none'; "
            "object-src 'none'")


def install_request_hooks(app: Flask) -> None:
    @app.before_request
    def begin_request():
        g.started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        route = request.url_rule.rule if request.url_rule else "unmatched"
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        record_http("console", route, request.method, response.status_code, elapsed)
        _security_headers(response, app.config["CONTENT_SECURITY_POLICY"])
        if route not in QUIET_ROUTES:
            log.info("%s %s %s %.1fms", request.method, route, response.status_code, elapsed * 1000)
        return response


def _security_headers(response, policy: str) -> None:
    response.headers["Content-Security-Policy"] = policy
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"


def safe_next(target: str | None) -> str:
    """A local path to return to after sign-in; anything that could leave the console goes to My desk."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return "/"
    return target


def signed_in(view: Callable) -> Callable:
    """The view needs a signed-in person; otherwise sign-in, then back to this page."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("subject"):
            return sign_in_again()
        return view(*args, **kwargs)
    return wrapper


def sign_in_again():
    target = url_for("auth.sign_in", next=safe_next(request.full_path.rstrip("?")))
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


def person() -> dict:
    return {"subject": session.get("subject"), "name": session.get("name"), "roles": session.get("roles", []),
            "department": session.get("department")}


def has_role(*roles: str) -> bool:
    held = set(session.get("roles", []))
    return "admin" in held or bool(held & set(roles))


def api() -> Api:
    return current_app.extensions["console.api"]


def access_token() -> str:
    return current_app.extensions["console.auth"].access_token()


def page_asked() -> dict[str, str]:
    """The page of a list this request asks for, as the API takes it: the `cursor` of the link the person followed
    (the previous page's `next`), or a page number a list paged by number gave; none for the first page."""
    return {name: request.args[name] for name in PAGING if request.args.get(name)}


def call(method: str, service: str, path: str, **kwargs) -> Answer:
    return api().call(access_token(), method, service, path, **kwargs)


def calls(**named: tuple) -> dict[str, Answer]:
    """Several GETs of one page in parallel: `name=(service, path, params)`."""
    token = access_token()
    return api().parallel({name: functools.partial(api().call, token, "GET", spec[0], spec[1],
                                                   params=spec[2] if len(spec) > 2 else None)
                           for name, spec in named.items()})


def read_all(**named: tuple) -> dict[str, Answer]:
    """`calls`, each answer checked for a token the services no longer accept."""
    return {name: refuse_expired(answer) for name, answer in calls(**named).items()}


class SessionExpired(Exception):
    """A service refused the person's token (401): sign in again."""


def refuse_expired(answer: Answer) -> Answer:
    if answer.status == 401:
        raise SessionExpired()
    return answer


def pass_document(service: str, path: str) -> Response:
    """A document (a PDF) passed on as the service wrote it; the service decides who may open it."""
    response = api().download(access_token(), service, path)
    if response is None or response.status_code >= 500:
        return Response(render_template("error.html", status=503, message=_(
            "The document cannot be shown: the service does not answer right now.")), 503)
    refuse_expired(Answer(response.status_code))
    if response.status_code == 403:
        abort(403)
    if response.status_code != 200:
        abort(404)
    kept = {name: value for name, value in response.headers.items()
            if name.lower() in ("content-type", "content-disposition")}
    return Response(response.content, headers=kept)
