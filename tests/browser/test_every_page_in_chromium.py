"""axe-core over every page of the console, not only the flows' (issue 16's "Done means"): each GET route of the
URL map opened over seed-like records by someone whose roles may see it, with no serious or critical violation
and no Content-Security-Policy violation (`tests/console/every_page.py` says which routes are not pages). The
services here take only the provider's tokens, so the records are made through the console's own forms."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.pages import go
from tests.console.every_page import every_address, seed

pytestmark = pytest.mark.integration


def seed_through_the_console(page: Page) -> dict[str, str]:
    go(page, "/")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")

    def sent(path: str, form: dict[str, str]) -> str:
        answer = page.context.request.post(path, form={**form, "csrf_token": token}, max_redirects=0)
        assert answer.status == 302, (path, answer.status, answer.text()[:2000])
        return answer.headers["location"]

    return seed(sent, lambda path: page.context.request.get(path).text())


def test_every_page_of_the_console_passes_axe_with_seed_like_records(browse):
    lena = browse("lena")
    for path in every_address(seed_through_the_console(lena)):
        go(lena, path)
        assert lena.locator("main").count() == 1, path
