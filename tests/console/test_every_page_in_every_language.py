"""Every page of the console in Russian and Bulgarian shows only texts its catalogs translate (issue 16's "Done
means"): the pages of `every_page.py` over seed-like records, opened in-process through Flask's test client in
front of the five services as real processes, while `tests/support/catalogs.py` notes every text looked up that the
language's catalog lacks and every service code a label filter cannot name. Record data (names, titles, codes the
person typed) is never looked up, so it cannot be mistaken for an untranslated text."""

from __future__ import annotations

import re

import pytest

from services.console.app import create_app
from tests.console.every_page import EVERY_ROLE, every_address, seed
from tests.support.catalogs import summary, untranslated
from tests.support.processes import Suite

pytestmark = pytest.mark.integration
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
MISSING = ["/visits/00000000-0000-0000-0000-000000000000", "/no-such-page"]  # the error page, 404


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "trips", "notifications", "contracts", "outreach"),
               tmp_path_factory.mktemp("every-language"), extra_env={"CHANCERY_WEB_WORKERS": "1"}) as running:
        yield running


@pytest.fixture(scope="module")
def console(suite):
    app = create_app({"CONSOLE_DATABASE_URL": f"sqlite:///{suite.workdir / 'console.db'}",
                      "CHANCERY_TRACES_EXPORTER": "none",
                      **{f"CONSOLE_{name.upper()}_URL": f"http://127.0.0.1:{port}"
                         for name, port in suite.ports.items()}})
    yield app
    app.extensions["console.api"].threads.shutdown()


@pytest.fixture(scope="module")
def lena(console):
    client = console.test_client()
    token = CSRF.search(client.get("/sign-in").text).group(1)
    signed_in = client.post("/sign-in/development", data={"csrf_token": token, "name": "Lena Markova",
                                                           "roles": EVERY_ROLE, "department": "Culture Department"})
    assert signed_in.status_code == 302
    return client


def choose(client, language: str) -> None:
    token = CSRF.search(client.get("/").text).group(1)
    assert client.post("/language", data={"csrf_token": token, "language": language}).status_code == 302


def test_every_page_in_russian_and_bulgarian_shows_only_texts_its_catalogs_translate(console, lena):
    token = CSRF.search(lena.get("/").text).group(1)

    def sent(path: str, form: dict[str, str]) -> str:
        answer = lena.post(path, data={**form, "csrf_token": token})
        assert answer.status_code == 302, (path, answer.status_code, answer.text[:2000])
        return answer.headers["location"]

    addresses = every_address(seed(sent, lambda path: lena.get(path).text)) + MISSING
    opened: dict[str, int] = {}
    with untranslated(console) as misses:
        for language in ("ru", "bg"):
            choose(lena, language)
            for path in addresses:
                opened[path] = lena.get(path, follow_redirects=True).status_code
    assert {path: status for path, status in opened.items() if status != 200} == dict.fromkeys(MISSING, 404)
    missing = summary(misses)
    assert missing == [], "\n".join(["not in the catalogs (docs/console.md, step 4):", *missing])
