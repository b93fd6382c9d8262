"""The console's live streams at scale (decision 0095): every open page of a person is fed by one upstream
stream, a page coming back with Last-Event-ID gets what it missed, and one stream over the console's limit is
refused with 503 and Retry-After.

Notifications runs one web process allowed one live stream here, so any second upstream stream would be refused:
four pages of one person all receiving the notification prove that they share one.
"""

from __future__ import annotations

import re
import threading
import time

import pytest

from tests.console.people import Person
from tests.support.console import Console
from tests.support.processes import VISIT, Suite

pytestmark = pytest.mark.integration
CONSOLE_STREAMS = 5


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    capped = {"CHANCERY_WEB_WORKERS": "1", "NOTIFICATIONS_MAX_STREAMS": "1"}
    with Suite(("visits", "notifications"), tmp_path_factory.mktemp("live"), extra_env=capped) as running:
        yield running


@pytest.fixture(scope="module")
def console(suite):
    return Console(suite, {"CONSOLE_MAX_STREAMS": str(CONSOLE_STREAMS)}).start()  # stopped with the suite


class Page:
    """One open page's stream, read line by line in a thread of its own."""

    def __init__(self, person: Person, last_event_id: str | None = None):
        self.lines: list[str] = []
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.opened = threading.Event()
        self.stop = threading.Event()
        headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
        self.thread = threading.Thread(target=self._read, args=(person, headers), daemon=True)
        self.thread.start()
        assert self.opened.wait(20), "the stream did not answer"

    def _read(self, person: Person, headers: dict[str, str]) -> None:
        with person.client.stream("GET", "/live/inbox", headers=headers, timeout=40) as response:
            self.status, self.headers = response.status_code, dict(response.headers)
            self.opened.set()
            for line in response.iter_lines():
                self.lines.append(line)
                if self.stop.is_set():
                    return

    def ids(self) -> list[str]:
        return [line[3:].strip() for line in self.lines if line.startswith("id:")]

    def wait_for(self, count: int, seconds: float = 30) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.ids()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.ids()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(15)


def signed_in(console, name: str, roles: list[str]) -> Person:
    person = Person(console.url(""))
    person.sign_in(name, roles)
    return person


def confirm_a_visit(person: Person) -> None:
    page = person.submit("/visits/new", "/visits/new", VISIT).headers["location"]
    version = re.search(r'name="version" value="(\d+)"', person.get(page).text).group(1)
    assert person.submit(page, f"{page}/confirm", {"version": version}).status_code == 302


@pytest.fixture(scope="module")
def people(console):
    ivan, olga = signed_in(console, "ivan", ["protocol"]), signed_in(console, "olga", ["protocol"])
    subscribed = ivan.submit("/inbox/subscriptions", "/inbox/subscriptions",
                             {"pattern": "chancery.visits.visit.confirmed.v1"})
    assert subscribed.status_code == 302
    return ivan, olga


def test_every_open_page_of_a_person_gets_the_notification_through_one_upstream_stream(people):
    ivan, olga = people
    pages = [Page(ivan) for _ in range(4)]
    try:
        assert [page.status for page in pages] == [200] * 4
        confirm_a_visit(olga)
        received = [page.wait_for(1) for page in pages]
        assert all(len(ids) == 1 for ids in received), received
        assert len({ids[0] for ids in received}) == 1
        assert all(any("Lyon" in line for line in page.lines if line.startswith("data:")) for page in pages)
    finally:
        for page in pages:
            page.close()


def test_a_page_coming_back_with_its_last_event_id_first_gets_what_arrived_while_it_was_away(people):
    ivan, olga = people
    staying = Page(ivan)
    try:
        confirm_a_visit(olga)
        first = staying.wait_for(1)[0]
        confirm_a_visit(olga)
        second = staying.wait_for(2)[1]
        returning = Page(ivan, last_event_id=first)
        try:
            assert returning.wait_for(1, seconds=10) == [second]
        finally:
            returning.close()
    finally:
        staying.close()


def test_one_stream_more_than_the_console_holds_is_refused_with_retry_after(people):
    ivan, _olga = people
    pages = [accepted(ivan) for _ in range(CONSOLE_STREAMS)]
    try:
        refused = ivan.get("/live/inbox")
        assert refused.status_code == 503
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("too-many-streams")
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        pages.pop().close()
        # The page that went away is noticed at its next heartbeat and its slot given back.
        deadline, answer = time.monotonic() + 20, refused
        while answer.status_code == 503 and time.monotonic() < deadline:
            time.sleep(1)
            answer = _opened(ivan)
        assert answer.status_code == 200
    finally:
        for page in pages:
            page.close()


def accepted(person: Person) -> Page:
    """A page whose stream the console accepts, once the streams of the tests before have given their slots back
    (at their next heartbeat)."""
    deadline = time.monotonic() + 20
    while True:
        page = Page(person)
        if page.status == 200 or time.monotonic() > deadline:
            assert page.status == 200
            return page
        page.close()
        time.sleep(1)


def _opened(person: Person):
    """A stream's answer, the stream closed at once."""
    with person.client.stream("GET", "/live/inbox", timeout=10) as response:
        return response
