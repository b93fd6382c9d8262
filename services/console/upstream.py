"""The five services' APIs, called on the signed-in person's behalf (decision 0090): their access token, the
trace context of the console's request, pooled connections, and one page's calls in parallel."""

from __future__ import annotations

import logging
import select
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from json import dumps, loads
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpcore
import httpx
from gevent.monkey import get_original
from opentelemetry import context as otel_context
from prometheus_client import Histogram

from shared.observability import answered_span, client_span, trace_calls

log = logging.getLogger("chancery.console.api")
# The console's calls to the services as it waits for them (the services' own histograms leave out the network
# and the console's pool); `status` is "unavailable" when the service did not answer.
API_CALLS = Histogram("chancery_console_api_call_duration_seconds", "The console's calls to a service's API",
                      ["upstream", "method", "status"],
                      buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
PAGES_POOL = 100  # connections the pages' calls may hold at once, every service together
PATH_SAFE = "/%:@!$&'()*+,;=~"  # kept as they are in a path: `?`, `#`, spaces and non-ASCII are escaped
# What httpcore raises when a service did not answer (httpx maps the same ones to its `HTTPError`s).
PAGING = ("cursor", "page")  # how a list's `next` link says where its next page starts (decision 0170)
NOT_ANSWERED = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError,
                httpcore.ConnectionNotAvailable, httpcore.UnsupportedProtocol)


@dataclass
class Answer:
    """What a service said, or that it did not answer (`unavailable`)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    unavailable: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def problem(self) -> dict:
        return self.body if isinstance(self.body, dict) and not self.ok else {}

    @property
    def items(self) -> list:
        return (self.body or {}).get("items", []) if self.ok else []

    @property
    def following(self) -> dict[str, str]:
        """Where a list's next page starts, from its `next` link: the opaque `cursor` (or, for the few lists paged
        by number, `page`); empty on the last page."""
        link = (self.body or {}).get("next") if self.ok else None
        asked = parse_qs(urlsplit(link).query) if link else {}
        return {name: asked[name][0] for name in PAGING if name in asked}


@dataclass(frozen=True)
class Origin:
    """A service's scheme, host and port, parsed once."""

    text: str
    scheme: bytes
    host: bytes
    port: int | None

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urlsplit(url)
        return cls(f"{parts.scheme}://{parts.netloc}", parts.scheme.encode(), (parts.hostname or "").encode(),
                   parts.port)


class ServiceUnavailable(Exception):
    def __init__(self, service: str):
        super().__init__(service)
        self.service = service


class Api:
    """The console's connections to the services, pooled per process; each call names the service, the path and the
    person's token."""

    def __init__(self, service_urls: dict[str, str], timeout: float):
        self.service_urls = service_urls
        self.origins = {service: Origin.of(url) for service, url in service_urls.items()}
        self.timeouts = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
        # The pages' calls have a pool of their own, used directly (decision 0140). The client (the live relay's
        # upstream streams, documents, the probes) has another: the streams, one per person with an open page and
        # held for minutes, would otherwise take the pages' connections (decision 0141). It needs no cap of its
        # own: the streams are capped by CONSOLE_MAX_STREAMS.
        self.connections = pooled_connections(httpx.Limits(max_connections=PAGES_POOL, max_keepalive_connections=20))
        transport = httpx.HTTPTransport()
        transport._pool = pooled_connections(httpx.Limits(max_connections=None, max_keepalive_connections=20))
        self.client = httpx.Client(timeout=timeout, transport=transport)  # httpx has no parameter for the pool
        trace_calls(self.client)  # a span per call, and its traceparent header
        self.threads = ThreadPoolExecutor(max_workers=16, thread_name_prefix="console-api")

    def url(self, service: str, path: str) -> str:
        return f"{self.service_urls[service]}/api/v1{path}"

    def headers(self, token: str, extra: dict | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        headers.update(extra or {})
        return headers

    def call(self, token: str, method: str, service: str, path: str, *, json: Any = None,
             params: dict | None = None, headers: dict | None = None) -> Answer:
        started = time.perf_counter()
        answer = self._call(token, method, service, path, json=json, params=params, headers=headers)
        status = "unavailable" if answer.status == 0 else str(answer.status)
        API_CALLS.labels(service, method, status).observe(time.perf_counter() - started)
        return answer

    def _call(self, token: str, method: str, service: str, path: str, *, json: Any,
              params: dict | None, headers: dict | None) -> Answer:
        """Straight to the pool (decision 0140): the URL made once from the service's parsed origin, no cookie jar,
        one span per call carrying the `traceparent`."""
        origin = self.origins[service]
        quoted = quote(f"/api/v1{path}", safe=PATH_SAFE)
        sent = self.headers(token, headers)
        content = None
        if json is not None:
            content = dumps(json, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
            sent["Content-Type"] = "application/json"
        try:
            with client_span(method, f"{origin.text}{quoted}", sent) as span:  # the span's URL has no query
                response = self.connections.request(
                    method, httpcore.URL(scheme=origin.scheme, host=origin.host, port=origin.port,
                                         target=(quoted + _query(params)).encode()),
                    headers=list(sent.items()), content=content, extensions={"timeout": self.timeouts})
                answered_span(span, response.status)
        except NOT_ANSWERED as error:
            log.warning("%s did not answer %s %s: %s", service, method, path, type(error).__name__)
            return Answer(0, unavailable=True)
        received = _headers(response.headers)
        if response.status >= 500:
            log.warning("%s answered %s to %s %s", service, response.status, method, path)
            return Answer(response.status, _body(received, response.content), received, unavailable=True)
        return Answer(response.status, _body(received, response.content), received)

    def download(self, token: str, service: str, path: str) -> httpx.Response | None:
        """A document (a PDF) as the service serves it, or None when the service does not answer."""
        try:
            return self.client.get(self.url(service, path), headers=self.headers(token, {"Accept": "*/*"}))
        except httpx.HTTPError as error:
            log.warning("%s did not answer GET %s: %s", service, path, type(error).__name__)
            return None

    def parallel(self, calls: dict[str, Callable[[], Answer]]) -> dict[str, Answer]:
        """Run one page's calls side by side, each in the trace context of the page's request."""
        parent = otel_context.get_current()

        def in_context(call: Callable[[], Answer]) -> Answer:
            token = otel_context.attach(parent)
            try:
                return call()
            finally:
                otel_context.detach(token)

        futures = {name: self.threads.submit(in_context, call) for name, call in calls.items()}
        return {name: future.result() for name, future in futures.items()}

    def stream(self, token: str, service: str, path: str, headers: dict | None = None):
        """An upstream streaming response (the live inbox); the caller closes it."""
        request = self.client.build_request("GET", self.url(service, path), headers=self.headers(token, headers),
                                            timeout=httpx.Timeout(10, read=None))
        return self.client.send(request, stream=True)


def pooled_connections(limits: httpx.Limits) -> httpcore.ConnectionPool:
    """The pool httpx would build, its connections asking the kernel directly whether a kept-alive socket was
    closed by the service (`NativeReadability`)."""
    return httpcore.ConnectionPool(
        max_connections=limits.max_connections, max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry, network_backend=NativeReadability())


_poll = get_original("select", "poll")  # the kernel's, even where gevent has patched `select`


def _readable(sock) -> bool:
    if sock is None or sock.fileno() < 0:
        return True
    poller = _poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))


class NativeReadability(httpcore.NetworkBackend):
    """Before each request httpcore asks of every idle pooled connection whether its socket is readable (the
    service closed it). Under gevent `select.poll` is gevent's, which runs a turn of the hub for each answer: a
    sixth of the console's CPU per page. The question never waits (a timeout of 0), so the kernel's own poll
    answers it without blocking the other greenlets."""

    def __init__(self) -> None:
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(self.sockets.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self.sockets.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self.sockets.sleep(seconds)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, timeout)

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _Stream(self.stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str):
        if info == "is_readable":
            return _readable(self.stream.get_extra_info("socket"))
        return self.stream.get_extra_info(info)


def _query(params: dict | None) -> str:
    """`?` and the parameters as httpx would encode them, those without a value left out."""
    kept = {key: _text(value) for key, value in (params or {}).items() if value not in (None, "")}
    return f"?{urlencode(kept, doseq=True)}" if kept else ""


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return [_text(one) for one in value] if isinstance(value, list | tuple) else value


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Names in lower case; a repeated header's values joined, as httpx does."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _body(headers: dict[str, str], content: bytes) -> Any:
    if "json" in headers.get("content-type", ""):
        try:
            return loads(content)
        except ValueError:
            return None
    return None
