"""The in-app inbox's live stream on the real notifications process (one gunicorn gevent worker, at most two
streams): a page that reconnects with Last-Event-ID gets what arrived while it was away, and ordinary requests
are still answered while the most streams the process allows are open (decisions 0056 and 0059)."""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
import uuid

import pytest

from tests.support.broker import publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
CONFIRMED = "chancery.visits.visit.confirmed.v1"
STREAM_SECONDS = 10


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("notifications",), tmp_path_factory.mktemp("live-stream"),
               extra_env={"CHANCERY_WEB_WORKERS": "1", "NOTIFICATIONS_MAX_STREAMS": "2",
                          "NOTIFICATIONS_STREAM_SECONDS": str(STREAM_SECONDS)}) as suite:
        yield suite


class Stream:
    """A page's EventSource, by hand: the lines of one text/event-stream response, read in the background."""

    def __init__(self, suite, sub: str, last_event_id: str | None = None):
        self.connection = http.client.HTTPConnection("127.0.0.1", suite.ports["notifications"], timeout=15)
        headers = {"Authorization": f"Bearer {suite.token('protocol', sub)}"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.connection.request("GET", "/api/v1/inbox/stream", headers=headers)
        self.response = self.connection.getresponse()
        self.lines: queue.Queue = queue.Queue()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.response:
                self.lines.put(line.decode().rstrip("\n"))
        except (OSError, ValueError, AttributeError):  # closed by the test
            return

    def notifications(self, count: int, timeout: float = 10) -> list[dict]:
        """The next `count` notification events: their ids and data."""
        received, current_id = [], None
        deadline = time.monotonic() + timeout
        while len(received) < count:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith("id: "):
                current_id = line.removeprefix("id: ")
            elif line.startswith("data: "):
                received.append({"id": current_id, **json.loads(line.removeprefix("data: "))})
        return received

    def close(self) -> None:
        self.connection.close()


def subscribe(suite, sub: str) -> None:
    answer = suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": CONFIRMED},
                        roles="protocol", sub=sub)
    assert answer.status == 201, answer.body


def visit_confirmed(suite, name: str) -> None:
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": CONFIRMED,
             "time": "2027-01-15T09:00:00Z", "subject": str(uuid.uuid4()), "datacontenttype": "application/json",
             "data": {"delegation_name": name}}
    publish_raw(suite.namespace, CONFIRMED, json.dumps(event).encode())


def inbox_titles(suite, sub: str) -> list[str]:
    items = suite.call("GET", "notifications", "/api/v1/inbox?sort=created_at", roles="protocol", sub=sub).json
    return [item["title"] for item in items["items"]]


def accepted(suite, sub: str, last_event_id: str | None = None) -> Stream | None:
    """A stream once the process has a slot for it (pages an earlier test closed hold theirs until their
    stream ends)."""
    page = Stream(suite, sub, last_event_id)
    if page.response.status == 200:
        return page
    page.close()
    return None


def test_a_page_that_reconnects_with_its_last_event_id_gets_what_arrived_while_it_was_away(suite):
    subscribe(suite, "mila")
    page = eventually(lambda: accepted(suite, "mila"), timeout=STREAM_SECONDS + 5, message="a stream")
    assert page.lines.get(timeout=5) == "retry: 1000"
    visit_confirmed(suite, "Lyon")
    [seen] = page.notifications(1)
    assert seen["title"] == "Visit confirmed: Lyon"
    page.close()

    for name in ("Sofia", "Kazan"):
        visit_confirmed(suite, name)
    eventually(lambda: len(inbox_titles(suite, "mila")) == 3, message="both notifications while the page was away")

    again = eventually(lambda: accepted(suite, "mila", seen["id"]), timeout=STREAM_SECONDS + 5, message="a stream")
    missed = again.notifications(2)
    assert [item["title"] for item in missed] == ["Visit confirmed: Sofia", "Visit confirmed: Kazan"]
    again.close()


def test_ordinary_requests_are_answered_while_the_most_streams_a_process_allows_are_open(suite):
    pages = []
    while (page := Stream(suite, "olga")).response.status == 200:
        pages.append(page)
        assert len(pages) <= 2, "more streams than NOTIFICATIONS_MAX_STREAMS"
    try:
        assert page.response.status == 503
        assert page.response.getheader("Content-Type") == "application/problem+json"
        assert 1 <= int(page.response.getheader("Retry-After")) <= STREAM_SECONDS
        assert json.loads(page.response.read())["type"].endswith("/too-many-streams")
        for _ in range(5):  # answered while every stream is still open: no request waits for a stream
            answer = suite.call("GET", "notifications", "/api/v1/inbox/unread-count", roles="protocol", sub="ivan",
                                timeout=STREAM_SECONDS / 2)
            assert answer.status == 200, answer.body
    finally:
        for open_page in [*pages, page]:
            open_page.close()
    eventually(lambda: accepted(suite, "ivan"), timeout=STREAM_SECONDS + 5, message="a slot given back")
