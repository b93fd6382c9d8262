"""One notifications web process (one gevent worker) holds 250 live streams of 250 different people; an event
reaches the streams of its recipients only, woken by the process's one watch of arrivals, while the others stay
quiet and read nothing (decision 0059)."""

from __future__ import annotations

import json
import re
import socket
import time
import uuid

import psycopg
import pytest

from shared.config import load_settings
from shared.http.auth import mint_development_token
from tests.support.broker import publish_raw
from tests.support.metrics import metric
from tests.support.processes import Suite

pytestmark = pytest.mark.integration
CONFIRMED = "chancery.visits.visit.confirmed.v1"
PEOPLE = [f"person-{number}" for number in range(250)]
RECIPIENTS = ("person-7", "person-128", "person-249")
NOTIFICATION = re.compile(rb"id: (\S+)\nevent: notification\ndata: (.*)\n\n")


@pytest.fixture(params=["sqlite", "postgres"])
def suite(request, tmp_path):
    with Suite(("notifications",), tmp_path, database=request.param,
               extra_env={"CHANCERY_WEB_WORKERS": "1", "NOTIFICATIONS_STREAM_SECONDS": "300"}) as suite:
        yield suite


class RawStream:
    """One person's stream, read without a thread: the bytes received so far (chunked, which leaves each event's
    lines together: the server sends an event in one chunk)."""

    def __init__(self, port: int, token: str):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(f"GET /api/v1/inbox/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                          f"Authorization: Bearer {token}\r\n\r\n".encode())
        self.received = b""

    def read_until(self, pattern: re.Pattern | bytes, timeout: float = 30) -> re.Match | None:
        pattern = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        deadline = time.monotonic() + timeout
        while not (found := pattern.search(self.received)) and time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            self.received += self.sock.recv(65536)
        return found

    def drain(self) -> bytes:
        """Whatever has arrived, without waiting."""
        self.sock.setblocking(False)
        try:
            while chunk := self.sock.recv(65536):
                self.received += chunk
        except BlockingIOError:
            pass
        return self.received

    def close(self) -> None:
        self.sock.close()


def reads(suite: Suite, cause: str) -> float:
    return metric(suite, "notifications", "chancery_inbox_stream_reads_total", cause=cause)


def test_250_streams_of_250_people_on_one_process_wake_only_for_their_own_notifications(suite):
    for person in RECIPIENTS:
        answer = suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": CONFIRMED},
                            roles="protocol", sub=person)
        assert answer.status == 201, answer.body
    settings = load_settings("notifications")
    streams = {person: RawStream(suite.ports["notifications"], mint_development_token(settings, person, ["protocol"]))
               for person in PEOPLE}
    try:
        for stream in streams.values():
            assert stream.read_until(b"retry: 1000\n\n"), stream.received[:300]
            assert stream.received.startswith(b"HTTP/1.1 200")
        assert reads(suite, "opened") == len(PEOPLE)
        if suite.database == "postgres":
            assert listeners(suite) == 1, "one watch for the process, not one poller per stream"
        woken, polled = reads(suite, "woken"), reads(suite, "polled")

        event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": CONFIRMED,
                 "time": "2027-01-15T09:00:00Z", "subject": str(uuid.uuid4()),
                 "datacontenttype": "application/json", "data": {"delegation_name": "Lyon"}}
        publish_raw(suite.namespace, CONFIRMED, json.dumps(event).encode())
        for person in RECIPIENTS:
            arrived = streams[person].read_until(NOTIFICATION)
            assert arrived, f"{person}'s stream got nothing: {streams[person].received[-300:]!r}"
            inbox = suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol", sub=person).json["items"]
            assert arrived[1].decode() == inbox[0]["id"]
            assert json.loads(arrived[2])["title"] == "Visit confirmed: Lyon"

        quiet = [person for person, stream in streams.items()
                 if person not in RECIPIENTS and b"event: notification" not in stream.drain()]
        assert len(quiet) == len(PEOPLE) - len(RECIPIENTS)
        assert reads(suite, "woken") - woken == len(RECIPIENTS), "only the recipients' streams read their rows"
        assert reads(suite, "polled") == polled
    finally:
        for stream in streams.values():
            stream.close()


def listeners(suite: Suite) -> int:
    """Connections to the service's database that listen for arrivals."""
    database = suite.direct_database_urls["notifications"].rsplit("/", 1)[1]
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as connection:
        return connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                  "AND query = 'LISTEN chancery_inbox'", (database,)).fetchone()[0]
