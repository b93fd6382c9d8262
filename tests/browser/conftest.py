"""The console in Debian's Chromium (Playwright pointed at /usr/bin/chromium), in front of visits, trips,
notifications, contracts and outreach as real processes on the real broker, people signing in through a real OpenID
provider
(`oidc-provider` from npm, tests/browser/provider.mjs) whose RS256 tokens the services verify through
CHANCERY_JWKS_URL. Every page a test opens is checked with axe-core; a failing test keeps a screenshot and the
page's HTML under var/browser-artefacts/."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.console.every_page import EVERY_ROLE
from tests.support.console import Console
from tests.support.processes import REPO, Suite, free_port, http

pytestmark = pytest.mark.integration
HERE = Path(__file__).resolve().parent
ARTEFACTS = REPO / "var" / "browser-artefacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLIENT_ID, CLIENT_SECRET = "chancery-console", "browser-test-client-secret"
ACCESS_TOKEN_SECONDS = 75
PEOPLE = {
    "olga": {"name": "Olga Petrova", "roles": ["protocol"], "department": "International Relations Department"},
    "ivan": {"name": "Ivan Dimitrov", "roles": ["protocol"], "department": "International Relations Department"},
    "maria": {"name": "Maria Georgieva", "roles": ["mayor-office", "protocol"], "department": "Office of the Mayor"},
    "tanya": {"name": "Tanya Ilieva", "roles": ["travel"], "department": "Economic Development Department"},
    "hristo": {"name": "Hristo Kolev", "roles": ["department-head"], "department": "Economic Development Department"},
    "nina": {"name": "Nina Ivanova", "roles": ["protocol"], "department": "International Relations Department"},
    "otto": {"name": "Otto Stoyanov", "roles": ["operator"], "department": "IT Department"},
    "pavel": {"name": "Pavel Marinov", "roles": ["procurement"], "department": "Procurement Department"},
    "oksana": {"name": "Oksana Marinova", "roles": ["outreach"], "department": "International Relations Department"},
    "lena": {"name": "Lena Markova", "roles": EVERY_ROLE, "department": "Culture Department"},
}


class Provider:
    def __init__(self, workdir: Path, console_port: int):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        console = f"http://127.0.0.1:{console_port}"
        self.config = {"issuer": self.issuer, "port": self.port, "audience": "chancery", "clientId": CLIENT_ID,
                       "clientSecret": CLIENT_SECRET, "redirectUris": [f"{console}/sign-in/callback"],
                       "postLogoutRedirectUris": [f"{console}/signed-out"], "people": PEOPLE,
                       # The console refreshes a token with less than a minute left: after 15 s of a session.
                       "accessTokenSeconds": ACCESS_TOKEN_SECONDS}
        self.log_path = workdir / "provider.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Provider:
        if not (HERE / "node_modules" / "oidc-provider").exists():
            raise RuntimeError("tests/browser/node_modules is missing: run `make browser-tools`")
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(["node", str(HERE / "provider.mjs")], cwd=HERE, stdout=log,
                                        stderr=subprocess.STDOUT, env={**os.environ,
                                                                       "PROVIDER_CONFIG": json.dumps(self.config)})
        deadline = time.monotonic() + 30
        while http("GET", f"{self.issuer}/jwks", timeout=2).status != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the OpenID provider did not start; see {self.log_path}")
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture(scope="package")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="package")
def console_port():
    return free_port()


@pytest.fixture(scope="package")
def provider(workdir, console_port):
    started = Provider(workdir, console_port).start()
    yield started
    started.stop()


@pytest.fixture(scope="package")
def suite(workdir, provider):
    env = {"CHANCERY_JWKS_URL": f"{provider.issuer}/jwks", "CHANCERY_JWT_ISSUER": provider.issuer,
           "CHANCERY_JWT_AUDIENCE": "chancery", "CHANCERY_WEB_WORKERS": "1", "NOTIFICATIONS_STREAM_SECONDS": "20",
           "CHANCERY_WEB_THREADS": "24", "NOTIFICATIONS_MAX_STREAMS": "16"}  # a stream for each open page
    with Suite(("visits", "trips", "notifications", "contracts", "outreach"), workdir, extra_env=env) as running:
        yield running


@pytest.fixture(scope="package")
def console(suite, provider, console_port):
    started = Console(suite, env={"CHANCERY_OIDC_ISSUER": provider.issuer, "CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
                                  "CONSOLE_OIDC_CLIENT_SECRET": CLIENT_SECRET, "CONSOLE_PORT": str(console_port),
                                  "CONSOLE_SECRET_KEY": "browser-test-console-secret-key"})
    started.port = console_port
    return started.start()  # stopped with the suite


@pytest.fixture(scope="package")
def chromium():
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is missing: run `make browser-tools`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browse(chromium, console, request):
    """`browse(person)`: a signed-in page of its own for each person (their own cookies), kept as artefacts if
    the test fails."""
    pages: list[tuple[str, Page]] = []

    def open_as(person: str) -> Page:
        context = chromium.new_context(base_url=console.url(""), locale="en-GB")
        page = context.new_page()
        page.csp_violations = []
        page.on("console", lambda message: "Content Security Policy" in message.text
                and page.csp_violations.append(message.text))
        pages.append((person, page))
        sign_in(page, person, console.url(""))
        return page

    yield open_as
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    for person, page in pages:
        if failed:
            keep_artefacts(request.node.name, person, page)
        page.context.close()


def sign_in(page: Page, person: str, console_url: str) -> None:
    """On the provider's own login page, as a person would."""
    page.goto("/")
    page.fill("input[name=login]", person)
    page.fill("input[name=password]", "any password")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(console_url) and "/sign-in" not in url)


def keep_artefacts(test: str, person: str, page: Page) -> None:
    directory = ARTEFACTS / test
    directory.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(directory / f"{person}.png"), full_page=True)
        (directory / f"{person}.html").write_text(page.content())
    except Exception as error:  # noqa: BLE001 - the test's own failure is what matters
        (directory / f"{person}.error.txt").write_text(repr(error))

