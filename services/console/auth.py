"""Signing a person in and out: OpenID Connect (code flow with PKCE, through authlib) against the city's
identity provider, or in development a sign-in page minting the development token (decision 0090)."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import httpx
import jwt
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from services.console.pages.language import LANGUAGES
from services.console.settings import ConsoleSettings
from services.console.web import SessionExpired, api, safe_next
from shared.http.auth import ROLES, mint_development_token

REFRESH_MARGIN_SECONDS = 60
log = logging.getLogger("chancery.console.auth")
auth_pages = Blueprint("auth", __name__)


class Auth:
    def __init__(self, app, settings: ConsoleSettings):
        self.settings = settings
        self.oauth = OAuth(app)
        if settings.oidc_issuer:
            self.oauth.register(
                "oidc", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret or None,
                server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
                client_kwargs={"scope": "openid profile offline_access", "code_challenge_method": "S256",
                               "token_endpoint_auth_method": "client_secret_basic"
                               if settings.oidc_client_secret else "none"})

    @property
    def provider(self):
        return self.oauth.create_client("oidc")

    def access_token(self) -> str:
        """The person's access token, refreshed first when it is about to expire and a refresh token is held."""
        if session.get("refresh_token") and session.get("expires_at", 0) - time.time() < REFRESH_MARGIN_SECONDS:
            _keep_tokens(self._refreshed(session["refresh_token"]))
            log.info("access token refreshed for %s", session.get("subject"))
        return session.get("access_token", "")

    def _refreshed(self, refresh_token: str) -> dict:
        """A refresh with no `scope`: the grant's own scopes (authlib would resend the sign-in's, which a provider
        may refuse as more than the refresh token holds). A refusal means signing in again."""
        endpoint = self.provider.load_server_metadata()["token_endpoint"]
        try:
            response = httpx.post(endpoint, data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                                  auth=(self.settings.oidc_client_id, self.settings.oidc_client_secret), timeout=10)
        except httpx.HTTPError as error:
            log.warning("the identity provider did not answer a refresh: %s", type(error).__name__)
            raise SessionExpired() from error
        if response.status_code != 200:
            log.warning("the identity provider refused a refresh: %s", response.status_code)
            raise SessionExpired()
        return response.json()


def _keep_tokens(token: dict) -> None:
    session["access_token"] = token["access_token"]
    session["expires_at"] = token.get("expires_at") or time.time() + int(token.get("expires_in", 300))
    if token.get("refresh_token"):
        session["refresh_token"] = token["refresh_token"]
    if token.get("id_token"):
        session["id_token"] = token["id_token"]


def _begin(subject: str, name: str, roles: list[str], department: str | None) -> None:
    """The signed-in session under a new id (no fixation); the language chosen before is kept."""
    language = session.get("language")
    session.clear()
    session.renew()
    session.update(subject=subject, name=name, roles=sorted(set(roles) & set(ROLES)), department=department)
    if language:
        session["language"] = language


def _register_with_notifications(claims: dict) -> None:
    """Tell notifications who signed in, with their own token, so that role subscriptions reach them (decision
    0126). Signing in does not wait on it: a refusal or a silent service is logged, and the next sign-in tries
    again."""
    locale = str(claims.get("locale") or get_locale() or "")[:2]
    body = {"display_name": session["name"], "language": locale if locale in LANGUAGES else None,
            "email": claims.get("email") or None}
    answer = api().call(session["access_token"], "PUT", "notifications", "/people/me", json=body)
    if not answer.ok:
        log.warning("notifications did not register %s: %s", session["subject"], answer.status)


def _auth() -> Auth:
    return current_app.extensions["console.auth"]


@auth_pages.get("/sign-in")
def sign_in():
    target = safe_next(request.args.get("next"))
    if _auth().settings.development_sign_in:
        return render_template("sign_in_development.html", roles=ROLES, next=target)
    session["after_sign_in"] = target
    return _auth().provider.authorize_redirect(url_for("auth.callback", _external=True))


@auth_pages.post("/sign-in/development")
def sign_in_development():
    if not _auth().settings.development_sign_in:
        abort(404)
    name = request.form.get("name", "").strip()
    roles = [role for role in request.form.getlist("roles") if role in ROLES]
    department = request.form.get("department", "").strip() or None
    if not name or not roles:
        error = _("Give your name and at least one role.")
        return render_template("sign_in_development.html", roles=ROLES, next=safe_next(request.form.get("next")),
                               error=error, typed=request.form), 422
    from shared.config import load_settings

    token = mint_development_token(load_settings("console"), name, roles, department=department)
    _begin(name, name, roles, department)
    _keep_tokens({"access_token": token, "expires_in": 8 * 3600})
    _register_with_notifications({})
    return redirect(safe_next(request.form.get("next")))


@auth_pages.get("/sign-in/callback")
def callback():
    if _auth().settings.development_sign_in:
        abort(404)
    target = safe_next(session.pop("after_sign_in", "/"))
    try:  # checks the state, the PKCE verifier (at the provider) and the id token's nonce
        token = _auth().provider.authorize_access_token()
    except OAuthError as error:
        log.warning("sign-in refused: %s", error.error)
        return render_template("error.html", status=400, message=_("Signing in could not be completed. "
                                                                   "Start again from the sign-in page.")), 400
    claims = {**jwt.decode(token["access_token"], options={"verify_signature": False}), **token.get("userinfo", {})}
    roles = claims.get("roles") if isinstance(claims.get("roles"), list) else []
    _begin(str(claims["sub"]), str(claims.get("name") or claims["sub"]), roles, claims.get("department"))
    _keep_tokens(token)
    _register_with_notifications(claims)
    return redirect(target)


@auth_pages.post("/sign-out")
def sign_out():
    id_token = session.get("id_token")
    session.end()
    if not id_token or _auth().settings.development_sign_in:
        return redirect(url_for("auth.signed_out"))
    metadata = _auth().provider.load_server_metadata()
    end_session = metadata.get("end_session_endpoint")
    if not end_session:
        return redirect(url_for("auth.signed_out"))
    return redirect(_end_session_url(end_session, id_token))


def _end_session_url(end_session: str, id_token: str) -> str:
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": url_for("auth.signed_out",
                                                                                      _external=True)})
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"


@auth_pages.get("/signed-out")
def signed_out():
    return render_template("signed_out.html")
