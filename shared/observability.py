"""Prometheus metrics (multiprocess-safe), OpenTelemetry tracing and JSON logs with the trace id."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeter
from opentelemetry.sdk.resources import OTELResourceDetector, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    ParentBased,
    ParentBasedTraceIdRatio,
    Sampler,
    TraceIdRatioBased,
)
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
from sqlalchemy.engine import Engine

from shared.config import Settings, TracingSettings
from shared.suite import SERVICES, spec_of

if TYPE_CHECKING:
    import httpx
    from flask import Flask

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
REPUBLISH_ABANDONED = Counter("chancery_consumer_republish_abandoned_total",
                              "Retries and dead letters whose confirm did not come in time: the consumer dropped its "
                              "connection and the broker redelivers what it had not acknowledged", ["service"])

# Every metric name shared/ exports; a service lists its own in its spec (`ServiceSpec.metrics`).
SHARED_METRICS = (
    "chancery_http_requests_total", "chancery_http_request_duration_seconds",
    "chancery_events_published_total", "chancery_events_unroutable_total", "chancery_events_consumed_total",
    "chancery_events_duplicate_total", "chancery_events_retried_total", "chancery_events_dead_lettered_total",
    "chancery_outbox_backlog", "chancery_outbox_oldest_age_seconds", "chancery_periodic_task_runs_total",
    "chancery_broker_blocked", "chancery_broker_blocked_seconds_total", "chancery_consumer_republish_abandoned_total",
)
# The console's own (services/console/upstream.py): it has no ServiceSpec.
CONSOLE_METRICS = ("chancery_console_api_call_duration_seconds",)


def exported_metrics() -> tuple[str, ...]:
    """Every metric name the suite exports: the tests of the dashboards and alerts check them against this list,
    and tests/test_deployment_files.py this list against every metric the code defines."""
    return SHARED_METRICS + CONSOLE_METRICS + tuple(name for service in SERVICES for name in spec_of(service).metrics)


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

QUIET_ROUTES = ("/metrics", "/healthz", "/readyz")  # probed every few seconds: neither logged nor traced
_REDACTED = "REDACTED"


def init_tracing(tracing: TracingSettings, service: str, process: str) -> None:
    """Install the tracer provider for this process (call after fork: exporters start threads)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return  # several apps in one process (tests) share the first provider
    trace.set_tracer_provider(tracer_provider(tracing, service, process))


def tracer_provider(tracing: TracingSettings, service: str, process: str) -> TracerProvider:
    """The sampler and exporter `tracing` names; the resource is `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`
    where they say something, `chancery-<service>` and this process otherwise."""
    exporter = tracing.exporter
    from_environment = OTELResourceDetector().detect().attributes
    defaults = {"service.name": f"chancery-{service}", "service.instance.id": f"{process}-{os.getpid()}"}
    # Without an exporter spans are not recorded, but they still get ids: logs carry trace ids and
    # traceparent still travels through the outbox and the broker.
    provider = TracerProvider(
        resource=Resource.create({key: value for key, value in defaults.items() if key not in from_environment}),
        sampler=ALWAYS_OFF if exporter == "none" else _sampler(tracing))
    if exporter == "console":
        out = open(tracing.traces_file, "a", buffering=1) if tracing.traces_file else sys.stdout  # noqa: SIM115
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(
            out=out, formatter=lambda span: span.to_json(indent=None) + "\n")))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def _sampler(tracing: TracingSettings) -> Sampler:
    samplers: dict[str, Callable[[float], Sampler]] = {
        "always_on": lambda _: ALWAYS_ON, "always_off": lambda _: ALWAYS_OFF, "traceidratio": TraceIdRatioBased,
        "parentbased_always_on": lambda _: ParentBased(ALWAYS_ON),
        "parentbased_always_off": lambda _: ParentBased(ALWAYS_OFF),
        "parentbased_traceidratio": ParentBasedTraceIdRatio}
    return samplers[tracing.otel_traces_sampler](tracing.otel_traces_sampler_arg)


def _records_spans() -> bool:
    provider = trace.get_tracer_provider()
    return isinstance(provider, TracerProvider) and provider.sampler is not ALWAYS_OFF


_TRACER = trace.get_tracer("chancery")  # a proxy until init_tracing installs the provider


def tracer() -> trace.Tracer:
    return _TRACER


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def trace_requests(app: Flask) -> None:
    """A server span per request (OpenTelemetry's Flask instrumentation), its parent the caller's
    `traceparent`; the query string is left out (a calendar feed's `?token=`, the sign-in's `?code=`)."""
    # Here, not at the top: the services' workers import this module and serve no Flask app (Flask, Jinja and
    # the instrumentation, about 8 MiB; decision 0195).
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    FlaskInstrumentor.instrument_app(app, response_hook=_target_without_query, excluded_urls=_QUIET_URLS,
                                     enable_commenter=False)


_QUIET_URLS = r"//[^/]+/(metrics|healthz|readyz)(\?|$)"


def _target_without_query(span: trace.Span, _status: str, _headers: list) -> None:
    """Cut the target at `?`. The instrumentation sets it, query and all, as the request starts and again after
    its request hook, so only at the response does the cut stay."""
    if span is not None and span.is_recording():
        target = _attributes(span).get("http.target")
        if isinstance(target, str):
            span.set_attribute("http.target", target.split("?", 1)[0])
        if "url.query" in _attributes(span):  # the stable HTTP conventions, where OTEL_SEMCONV_STABILITY_OPT_IN asks
            span.set_attribute("url.query", _REDACTED)


def trace_calls(client: httpx.Client) -> None:
    """A client span per call and the `traceparent` header (OpenTelemetry's HTTPX instrumentation); the URL's
    query (search terms) is left out."""
    # Here, not at the top: only the console calls out with httpx (about 6 MiB with the rich and pygments its
    # command line imports where installed); the services' webs and workers do not (decision 0195).
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor.instrument_client(client, request_hook=_url_without_query)


@contextmanager
def client_span(method: str, url: str, headers: dict[str, str]) -> Iterator[trace.Span]:
    """A client span around one call, its `traceparent` put into `headers`: the spans of `trace_calls` (the same
    name and `http.*` attributes) without the instrumentation's work per call (decision 0140). `url` is the
    call's URL without its query; an exception is recorded on the span and raised on."""
    span = _TRACER.start_span(method, kind=trace.SpanKind.CLIENT)  # not made current: nothing runs inside it
    if span.is_recording():
        span.set_attributes({"http.method": method, "http.url": url})
    propagate.inject(headers, context=trace.set_span_in_context(span))
    try:
        yield span
    except Exception as error:
        if span.is_recording():
            span.record_exception(error)
            span.set_status(trace.StatusCode.ERROR)
        raise
    finally:
        span.end()


def answered_span(span: trace.Span, status: int) -> None:
    """The call's status on its span; an error from 400 on, as the HTTPX instrumentation marks a client span."""
    if span.is_recording():
        span.set_attribute("http.status_code", status)
        if status >= 400:
            span.set_status(trace.StatusCode.ERROR)


def _url_without_query(span: trace.Span, request: Any) -> None:
    if span.is_recording():
        import httpx  # the console's, loaded already: see trace_calls

        without_query = str(httpx.URL(request.url).copy_with(query=None))
        for key in ("http.url", "url.full"):
            if key in _attributes(span):
                span.set_attribute(key, without_query)


def _attributes(span: trace.Span) -> Mapping[str, Any]:
    return getattr(span, "attributes", None) or {}  # a recording span is the SDK's, which has them


def trace_statements(engine: Engine) -> None:
    """A client span per SQL statement (OpenTelemetry's SQLAlchemy instrumentation), only where spans may be
    recorded (an exporter is set); no SQL comment and no connection-pool metrics (decision 0078)."""
    if _records_spans():
        # EngineTracer itself: SQLAlchemyInstrumentor().instrument(engine=...) works once per process and wraps
        # every create_engine besides.
        EngineTracer(trace.get_tracer("opentelemetry.instrumentation.sqlalchemy"), engine,
                     NoOpMeter("chancery").create_up_down_counter("unused"), enable_commenter=False)


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
