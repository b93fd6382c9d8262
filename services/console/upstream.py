"""The five services' APIs, called on the signed-in person's behalf (decision 0090): their access token, the
trace context of the console's request, pooled connections, and one page's calls in parallel."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
from opentelemetry import context as otel_context
from prometheus_client import Histogram

from shared.observability import trace_calls

log = logging.getLogger("chancery.console.api")
# The console's calls to the services as it waits for them (the services' own histograms leave out the network
# and the console's pool); `status` is "unavailable" when the service did not answer.
API_CALLS = Histogram("chancery_console_api_call_duration_seconds", "The console's calls to a service's API",
                      ["upstream", "method", "status"],
                      buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


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


class ServiceUnavailable(Exception):
    def __init__(self, service: str):
        super().__init__(service)
        self.service = service


class Api:
    """One pooled client per process; each call names the service, the path and the person's token."""

    def __init__(self, service_urls: dict[str, str], timeout: float, transport: httpx.BaseTransport | None = None):
        self.service_urls = service_urls
        self.client = httpx.Client(timeout=timeout, transport=transport,
                                   limits=httpx.Limits(max_connections=100, max_keepalive_connections=20))
        trace_calls(self.client)  # a span per call, and its traceparent header
        self.pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="console-api")

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
        try:
            response = self.client.request(method, self.url(service, path), json=json, params=_clean(params),
                                           headers=self.headers(token, headers))
        except httpx.HTTPError as error:
            log.warning("%s did not answer %s %s: %s", service, method, path, type(error).__name__)
            return Answer(0, unavailable=True)
        if response.status_code >= 500:
            log.warning("%s answered %s to %s %s", service, response.status_code, method, path)
            return Answer(response.status_code, _body(response), dict(response.headers), unavailable=True)
        return Answer(response.status_code, _body(response), dict(response.headers))

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

        futures = {name: self.pool.submit(in_context, call) for name, call in calls.items()}
        return {name: future.result() for name, future in futures.items()}

    def stream(self, token: str, service: str, path: str, headers: dict | None = None):
        """An upstream streaming response (the live inbox); the caller closes it."""
        request = self.client.build_request("GET", self.url(service, path), headers=self.headers(token, headers),
                                            timeout=httpx.Timeout(10, read=None))
        return self.client.send(request, stream=True)


def _clean(params: dict | None) -> dict | None:
    return {key: value for key, value in params.items() if value not in (None, "")} if params else None


def _body(response: httpx.Response) -> Any:
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.json()
        except ValueError:
            return None
    return None
