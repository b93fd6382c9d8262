"""The language switch: remembered in the person's session and in a cookie that outlives it."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session

from services.console.web import safe_next

LANGUAGES = ("en", "ru", "bg")
LANGUAGE_COOKIE = "chancery_lang"
language_pages = Blueprint("language", __name__)


@language_pages.post("/language")
def choose():
    language = request.form.get("language")
    response = redirect(safe_next(request.form.get("next")))
    if language in LANGUAGES:
        session["language"] = language
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, httponly=True, samesite="Lax")
    return response
