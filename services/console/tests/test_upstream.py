"""The console's calls to a service (decision 0140), against a real HTTP server on a local port: what the service
receives, what the console reads back, and a service that does not answer."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from opentelemetry import trace

from services.console.upstream import PAGES_POOL, Api


class _Recording(BaseHTTPRequestHandler):
    received: list[dict] = []
    streams_end = threading.Event()

    def _answer(self) -> None:
        if self.path.endswith("/stream"):
            return self._stream()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append({"method": self.command, "target": self.path, "headers": dict(self.headers),
                              "body": body})
        answer = json.dumps({"items": [{"name": "Ясен"}], "total": 1}).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("ETag", '"3"')
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def _stream(self) -> None:
        """Headers, then nothing until the test ends: a live stream holding its connection."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.flush()
        self.streams_end.wait(30)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def service() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []
    handler = type("Handler", (_Recording,), {"received": received, "streams_end": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        handler.streams_end.set()
        server.shutdown()
        server.server_close()


def test_a_call_reaches_the_service_with_the_token_the_pages_trace_and_the_query_as_httpx_encodes_it(service):
    url, received = service
    params = {"status": "received", "q": "Sofia & Plovdiv ä", "done": False, "tags": ["a", "b"], "empty": "",
              "none": None, "page": 2}
    page = trace.SpanContext(0x1F0E4C1A, 0x2B, is_remote=False, trace_flags=trace.TraceFlags(1))
    with trace.use_span(trace.NonRecordingSpan(page)):
        answer = Api({"visits": url}, timeout=5).call("the-token", "GET", "visits", "/visits", params=params)
    assert answer.ok and answer.items == [{"name": "Ясен"}]
    assert answer.headers["etag"] == '"3"' and answer.headers["content-type"] == "application/json"
    request = received[0]
    expected = httpx.URL("http://x/api/v1/visits", params={k: v for k, v in params.items() if v not in ("", None)})
    assert request["target"] == expected.raw_path.decode()
    assert request["headers"]["Authorization"] == "Bearer the-token"
    assert request["headers"]["traceparent"].startswith(f"00-{0x1F0E4C1A:032x}-")


def test_a_path_cannot_add_a_query_and_a_body_goes_as_json(service):
    url, received = service
    answer = Api({"visits": url}, timeout=5).call("t", "POST", "visits", "/visits/a?b#c d", json={"name": "Ясен"})
    assert answer.status == 201
    assert received[0]["target"] == "/api/v1/visits/a%3Fb%23c%20d"
    assert received[0]["headers"]["Content-Type"] == "application/json"
    assert json.loads(received[0]["body"]) == {"name": "Ясен"}


def test_a_service_that_does_not_answer_is_unavailable():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    answer = Api({"visits": f"http://127.0.0.1:{port}"}, timeout=5).call("t", "GET", "visits", "/visits")
    assert answer.unavailable and answer.status == 0


def test_a_pages_calls_are_answered_while_live_streams_hold_more_connections_than_the_pages_pool_has(service):
    url, _received = service
    api = Api({"notifications": url}, timeout=2)
    streams = [api.stream("t", "notifications", "/inbox/stream") for _ in range(PAGES_POOL + 1)]
    try:
        assert all(stream.status_code == 200 for stream in streams)
        answer = api.call("t", "GET", "notifications", "/inbox")
        assert answer.ok and not answer.unavailable
    finally:
        for stream in streams:
            stream.close()
