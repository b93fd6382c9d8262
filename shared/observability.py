"""Prometheus metrics (multiprocess-safe), OpenTelemetry tracing and JSON logs with the trace id."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from pythonjsonlogger.json import JsonFormatter

from shared.config import Settings
from shared.suite import SERVICES, spec_of

HTTP_REQUESTS = Counter("chancery_http_requests_total", "HTTP requests answered",
                        ["service", "route", "method", "status"])
HTTP_DURATION = Histogram("chancery_http_request_duration_seconds", "HTTP request duration",
                          ["service", "route", "method"],
                          buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
EVENTS_PUBLISHED = Counter("chancery_events_published_total", "Events confirmed by the broker",
                           ["service", "type"])
EVENTS_UNROUTABLE = Counter("chancery_events_unroutable_total",
                            "Events the broker returned as unroutable (left unsent)", ["service", "type"])
EVENTS_CONSUMED = Counter("chancery_events_consumed_total", "Events handled and acknowledged",
                          ["service", "type"])
EVENTS_DUPLICATE = Counter("chancery_events_duplicate_total", "Redelivered events that changed nothing",
                           ["service", "type"])
EVENTS_RETRIED = Counter("chancery_events_retried_total", "Events sent back for a delayed retry",
                         ["service", "type"])
EVENTS_DEAD_LETTERED = Counter("chancery_events_dead_lettered_total", "Events moved to the dead-letter queue",
                               ["service", "type"])
PERIODIC_TASK_RUNS = Counter("chancery_periodic_task_runs_total", "Periodic task runs by outcome",
                             ["service", "task", "outcome"])
BROKER_BLOCKED = Gauge("chancery_broker_blocked", "1 while the broker's resource alarm blocks the connection",
                       ["service", "connection"], multiprocess_mode="livemax")
BROKER_BLOCKED_SECONDS = Counter("chancery_broker_blocked_seconds_total",
                                 "Seconds the broker's resource alarm blocked the connection",
                                 ["service", "connection"])

# Every metric name shared/ exports; a service lists its own in its spec (`ServiceSpec.metrics`).
SHARED_METRICS = (
    "chancery_http_requests_total", "chancery_http_request_duration_seconds",
    "chancery_events_published_total", "chancery_events_unroutable_total", "chancery_events_consumed_total",
    "chancery_events_duplicate_total", "chancery_events_retried_total", "chancery_events_dead_lettered_total",
    "chancery_outbox_backlog", "chancery_outbox_oldest_age_seconds", "chancery_periodic_task_runs_total",
    "chancery_broker_blocked", "chancery_broker_blocked_seconds_total",
)


def exported_metrics() -> tuple[str, ...]:
    """Every metric name the suite exports: the tests of the dashboards and alerts check them against this list,
    and tests/test_deployment_files.py this list against every metric the code defines."""
    return SHARED_METRICS + tuple(name for service in SERVICES for name in spec_of(service).metrics)


class OutboxCollector:
    """Reads the outbox backlog and the age of its oldest unsent event at scrape time."""

    def __init__(self, service: str, read_backlog: Callable[[], tuple[int, float]]):
        self.service = service
        self.read_backlog = read_backlog

    def describe(self) -> list:
        return []  # registering must not query the database (that happens at scrape time)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        count, oldest_age = self.read_backlog()
        backlog = GaugeMetricFamily("chancery_outbox_backlog", "Events written but not yet published",
                                    labels=["service"])
        backlog.add_metric([self.service], count)
        age = GaugeMetricFamily("chancery_outbox_oldest_age_seconds", "Age of the oldest unpublished event",
                                labels=["service"])
        age.add_metric([self.service], oldest_age)
        yield backlog
        yield age


def metrics_registry(extra_collectors: list) -> CollectorRegistry:
    """This process's metrics, or every process's sharing PROMETHEUS_MULTIPROC_DIR, plus `extra_collectors`."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    for collector in extra_collectors:
        registry.register(collector)
    return registry


def metrics_payload(registry: CollectorRegistry) -> tuple[bytes, str]:
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _ProcessMetrics:
    """The default registry's metrics, for a single process without PROMETHEUS_MULTIPROC_DIR."""

    def describe(self) -> list:
        return []

    def collect(self):
        yield from REGISTRY.collect()


# --- tracing ---------------------------------------------------------------------------------------------

def init_tracing(settings: Settings, process: str) -> None:
    """Install the tracer provider for this process (call after fork: exporters start threads)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return  # several apps in one process (tests) share the first provider
    exporter = settings.traces_exporter
    # Without an exporter spans are not recorded, but they still get ids: logs carry trace ids and
    # traceparent still travels through the outbox and the broker.
    provider = TracerProvider(
        resource=Resource.create({"service.name": f"chancery-{settings.service}",
                                  "service.instance.id": f"{process}-{os.getpid()}"}),
        sampler=ALWAYS_OFF if exporter == "none" else ParentBased(ALWAYS_ON))
    if exporter == "console":
        out = open(settings.traces_file, "a", buffering=1) if settings.traces_file else sys.stdout  # noqa: SIM115
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(
            out=out, formatter=lambda span: span.to_json(indent=None) + "\n")))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


_TRACER = trace.get_tracer("chancery")  # a proxy until init_tracing installs the provider


def tracer() -> trace.Tracer:
    return _TRACER


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def start_server_span(method: str, route: str, headers: Mapping[str, str]) -> tuple[trace.Span, tuple]:
    """The span of one HTTP request, its parent the caller's `traceparent`, made current; end it with
    `end_server_span` and what this returns."""
    trace_token = context.attach(propagate.extract(dict(headers)))
    span = tracer().start_span(f"{method} {route}", kind=trace.SpanKind.SERVER,
                               attributes={"http.request.method": method, "http.route": route})
    return span, (context.attach(trace.set_span_in_context(span)), trace_token)


def end_server_span(span: trace.Span, tokens: tuple) -> None:
    span_token, trace_token = tokens
    context.detach(span_token)
    span.end()
    context.detach(trace_token)


def record_http(service: str, route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(service, route, method, str(status)).inc()
    HTTP_DURATION.labels(service, route, method).observe(seconds)


@contextmanager
def span_from(carrier: Mapping[str, str], name: str, kind: trace.SpanKind, **attributes) -> Iterator[trace.Span]:
    """A span whose parent is the trace context carried in `carrier` (message headers, an outbox row)."""
    parent = propagate.extract(dict(carrier))
    token = context.attach(parent)
    try:
        with tracer().start_as_current_span(name, kind=kind, attributes=attributes) as span:
            yield span
    finally:
        context.detach(token)


# --- logging ---------------------------------------------------------------------------------------------

class TraceIdFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        span_context = trace.get_current_span().get_span_context()
        record.trace_id = format(span_context.trace_id, "032x") if span_context.is_valid else None
        record.span_id = format(span_context.span_id, "016x") if span_context.is_valid else None
        record.service = self.service
        return True


def init_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(
        "{asctime}{levelname}{name}{message}{service}{trace_id}{span_id}", style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    handler.addFilter(TraceIdFilter(settings.service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for noisy in ("amqp", "kombu", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
