"""The console's composition root: the office's people sign in here and work through the services' APIs
(decision 0090). Nothing connects at creation time: the session store and the API pool connect on first use."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, render_template, request, session
from flask_babel import Babel
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from services.console.auction_watch import AuctionWatch
from services.console.auth import Auth, auth_pages
from services.console.export import MAX_EXPORT_ROWS
from services.console.formatting import install_formatting
from services.console.live import Relay
from services.console.marking import MARKED_ROLES, UNMARKED, marking_shown
from services.console.pages.desk import desk_pages
from services.console.pages.help import help_pages
from services.console.pages.invitations import invitation_pages
from services.console.pages.language import LANGUAGE_COOKIE, LANGUAGES, language_pages
from services.console.pages.notifications import notification_pages
from services.console.pages.officials import official_pages
from services.console.pages.operators import operator_pages
from services.console.pages.outreach import outreach_pages
from services.console.pages.outreach_plan import plan_pages
from services.console.pages.probes import probe_pages
from services.console.pages.procurement import procurement_pages
from services.console.pages.procurement_work import procurement_work_pages
from services.console.pages.registers import register_pages
from services.console.pages.trip_work import trip_work_pages
from services.console.pages.trips import trip_pages
from services.console.pages.visit_work import visit_work_pages
from services.console.pages.visits import visit_pages
from services.console.sessions import SessionStore, StoredSessionInterface
from services.console.settings import load_console_settings
from services.console.upstream import Api
from services.console.web import SessionExpired, content_security_policy, install_request_hooks, sign_in_again
from shared.observability import init_logging, init_tracing, trace_requests

HERE = Path(__file__).resolve().parent
BLUEPRINTS = (probe_pages, auth_pages, language_pages, desk_pages, visit_pages, visit_work_pages,
              invitation_pages, trip_pages, trip_work_pages, procurement_pages, procurement_work_pages,
              notification_pages, register_pages, operator_pages, outreach_pages, plan_pages, official_pages,
              help_pages)



def create_app(config: dict[str, str] | None = None) -> Flask:
    settings = load_console_settings(config)
    init_logging(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per API call would double the log
    init_tracing(settings.tracing, "console", "web")
    app = Flask("console", root_path=str(HERE))
    trace_requests(app)  # first, so that every other hook runs inside the request's span
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=1024 * 1024, WTF_CSRF_TIME_LIMIT=None,
                      WTF_CSRF_SSL_STRICT=False,  # SameSite=Lax and the token itself guard; no Referer needed
                      BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
                      PREFERRED_URL_SCHEME="https" if settings.is_production else "http",
                      CONTENT_SECURITY_POLICY=content_security_policy(settings.oidc_issuer))
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # behind the Ingress (docs/console.md)
    store = SessionStore(settings.database_url, settings.secret_key, settings.session_idle_minutes * 60)
    app.session_interface = StoredSessionInterface(store, secure=settings.is_production)
    api = Api(settings.service_urls, settings.api_timeout_seconds)
    app.extensions.update({"console.settings": settings, "console.store": store, "console.api": api,
                           "console.relay": Relay(api, settings),
                           "console.auctions": AuctionWatch(api, settings),
                           "console.auth": Auth(app, settings)})
    CSRFProtect(app)
    Babel(app, locale_selector=choose_language)
    install_request_hooks(app)
    install_formatting(app)
    app.jinja_env.globals.update(max_export_rows=MAX_EXPORT_ROWS, marked_roles=MARKED_ROLES, unmarked=UNMARKED,
                                 marking_shown=marking_shown)
    _register_errors(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def choose_language() -> str:
    chosen = session.get("language") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _register_errors(app: Flask) -> None:
    @app.errorhandler(SessionExpired)
    def on_expired(_error):
        session.end()
        return sign_in_again()

    @app.errorhandler(CSRFError)
    def on_csrf(error):
        return render_template("error.html", status=400, message=None), 400

    @app.errorhandler(403)
    @app.errorhandler(404)
    def on_refused_or_missing(error):
        return render_template("error.html", status=error.code, message=None), error.code
