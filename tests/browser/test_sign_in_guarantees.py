"""What the console checks of a sign-in through the real provider (decision 0090): it asks for PKCE (S256) and
a nonce, a callback is accepted once and only in the browser that started it, and no token ever appears in a
URL the browser visits."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Page

from services.console.auth import REFRESH_MARGIN_SECONDS
from tests.browser.conftest import ACCESS_TOKEN_SECONDS
from tests.browser.pages import go

pytestmark = pytest.mark.integration


def callback_url_of(console_url: str, person: str) -> tuple[str, httpx.Client]:
    """Sign in on the provider as a browser would, but keep the code it sends back instead of delivering it:
    the callback's address, and the browser (cookies) that started the sign-in."""
    browser = httpx.Client(follow_redirects=False, timeout=15)
    response = browser.get(f"{console_url}/")
    while "location" in response.headers:
        location = str(response.url.join(response.headers["location"]))
        if location.startswith(f"{console_url}/sign-in/callback"):
            return location, browser
        response = browser.get(location)
        if 'name="login"' in response.text:
            action = re.search(r'action="([^"]+)"', response.text).group(1)
            response = browser.post(str(response.url.join(action)), data={
                "prompt": "login", "login": person, "password": "any password"})
    raise AssertionError(f"the provider did not send the browser back: {response.status_code}")


@pytest.fixture
def fresh_page(chromium, console):
    contexts = []

    def make() -> Page:
        context = chromium.new_context(base_url=console.url(""))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_the_console_asks_the_provider_for_pkce_with_s256_and_a_nonce(fresh_page, provider):
    page = fresh_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    authorize = next(url for url in requests if url.startswith(f"{provider.issuer}/auth"))
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["nonce"][0] and query["state"][0]
    assert "code_verifier" not in query


def test_a_callback_delivered_to_another_browser_is_refused(fresh_page, console):
    callback, _victim = callback_url_of(console.url(""), "olga")
    attacker = fresh_page()
    attacker.goto("/")  # the attacker has a console session of their own, with a state of their own
    response = attacker.goto(callback)
    assert response.status == 400
    assert attacker.locator("h1").text_content() == "The request was refused"
    assert not attacker.goto("/inbox").url.startswith(console.url("/inbox"))  # still not signed in


def test_a_callback_is_accepted_once(console):
    callback, browser = callback_url_of(console.url(""), "olga")
    first = browser.get(callback)
    assert first.status_code == 302 and first.headers["location"] == "/"
    assert browser.get(console.url("/inbox")).status_code == 200
    assert browser.get(callback).status_code == 400  # the same browser, the same code: refused


def test_no_token_appears_in_any_url_the_browser_visits(fresh_page, console, provider):
    page = fresh_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto("/")
    page.fill("input[name=login]", "olga")
    page.fill("input[name=password]", "any password")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(console.url("/")) and "/sign-in" not in url)
    for path in ("/visits", "/inbox"):
        page.goto(path)
    assert urls and not [url for url in urls if "eyJ" in url or "access_token" in url or "id_token=" in url]


def test_an_access_token_about_to_expire_is_refreshed_and_the_person_keeps_working(browse, console):
    olga = browse("olga")
    olga.wait_for_timeout((ACCESS_TOKEN_SECONDS - REFRESH_MARGIN_SECONDS + 2) * 1000)
    go(olga, "/visits")
    assert olga.url == console.url("/visits")  # not sent to sign in: the services took the new token
    assert "access token refreshed for olga" in console.log_path.read_text()
