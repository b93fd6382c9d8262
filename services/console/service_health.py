"""What the operators' page reads (decision 0098): each service's web and worker probes, the outbox backlog and the
consumer lag as the exported metrics say. Probes and metrics need no token; a process that does not answer, or
answers something unreadable, is shown as down, never as an error of the page."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import httpx
from prometheus_client.parser import text_string_to_metric_families

from services.console.settings import ConsoleSettings
from services.console.upstream import Api

log = logging.getLogger("chancery.console.service_health")
PROBE_TIMEOUT_SECONDS = 2
OUTBOX_METRICS = ("chancery_outbox_backlog", "chancery_outbox_oldest_age_seconds")
# RabbitMQ's rabbitmq_prometheus plugin: per queue on /metrics/detailed?family=queue_coarse_metrics, or on /metrics
# with per-object metrics on; each node exports only the queues it leads.
QUEUE_READY_METRICS = ("rabbitmq_queue_messages_ready", "rabbitmq_detailed_queue_messages_ready")


@dataclass(frozen=True)
class Reading:
    """One GET of a probe or a metrics page: its status (0 when nothing answered) and text."""

    status: int
    text: str = ""

    @property
    def answered(self) -> bool:
        return self.status != 0


@dataclass(frozen=True)
class Process:
    """A web process or a worker as its probes answered; `configured` is False when the console has no address."""

    configured: bool
    alive: bool = False
    ready: bool = False
    failing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceState:
    name: str
    web: Process
    worker: Process
    outbox: dict[str, float] = field(default_factory=dict)  # OUTBOX_METRICS, the largest any process exports
    lag: float | None = None  # messages ready in the service's queue, when the broker's metrics are read


def read(api: Api, url: str) -> Reading:
    try:
        response = api.client.get(url, timeout=PROBE_TIMEOUT_SECONDS, headers={"Accept": "*/*"})
    except httpx.HTTPError as error:
        log.info("%s did not answer: %s", url, type(error).__name__)
        return Reading(0)
    return Reading(response.status_code, response.text)


def probe_urls(settings: ConsoleSettings) -> dict[str, str]:
    """Every address the page reads, by a name `service:process:probe`."""
    urls = {}
    for service, base in settings.service_urls.items():
        for process, address in (("web", base), ("worker", settings.worker_urls.get(service, ""))):
            if address:
                for probe in ("healthz", "readyz", "metrics"):
                    urls[f"{service}:{process}:{probe}"] = f"{address.rstrip('/')}/{probe}"
    for node, url in enumerate(settings.broker_metrics_urls):
        urls[f"broker:{node}"] = url
    return urls


def service_states(settings: ConsoleSettings, readings: dict[str, Reading]) -> list[ServiceState]:
    queue_depths = _queue_depths(readings)
    states = []
    for service in settings.service_urls:
        outbox: dict[str, float] = {}
        for process in ("web", "worker"):
            metrics = readings.get(f"{service}:{process}:metrics")
            if metrics and metrics.status == 200:
                for name, value in values(metrics.text, OUTBOX_METRICS).items():
                    outbox[name] = max(value, outbox.get(name, 0.0))
        queue = f"{settings.namespace}.chancery.{service}" if settings.namespace else f"chancery.{service}"
        states.append(ServiceState(service, _process(readings, service, "web"), _process(readings, service, "worker"),
                                   outbox, queue_depths.get(queue)))
    return states


def _queue_depths(readings: dict[str, Reading]) -> dict[str, float]:
    """Messages ready in each queue, by its name, over every broker node that answered: a node exports only the
    queues it leads, so a queue's figure is the one node that has it (the largest, should two)."""
    depths: dict[str, float] = {}
    for name, reading in readings.items():
        if name.startswith("broker:") and reading.status == 200:
            for queue, ready in values(reading.text, QUEUE_READY_METRICS, "queue").items():
                depths[queue] = max(ready, depths.get(queue, ready))
    return depths


def _process(readings: dict[str, Reading], service: str, process: str) -> Process:
    health = readings.get(f"{service}:{process}:healthz")
    if health is None:
        return Process(configured=False)
    readiness = readings.get(f"{service}:{process}:readyz", Reading(0))
    return Process(True, alive=health.status == 200, ready=readiness.status == 200,
                   failing=_failing_checks(readiness) if readiness.answered else ())


def _failing_checks(readiness: Reading) -> tuple[str, ...]:
    """The checks a 503 from /readyz names (problem+json with `checks`)."""
    try:
        checks = json.loads(readiness.text).get("checks") or {}
    except (ValueError, AttributeError):
        return ()
    return tuple(f"{name}: {outcome}" for name, outcome in sorted(checks.items()) if outcome != "ok")


def values(text: str, names: tuple[str, ...], by_label: str | None = None) -> dict[str, float]:
    """The largest sample of each metric in `names` from Prometheus text; with `by_label`, keyed by that label's
    value instead (any of the names). Text that does not parse gives nothing."""
    found: dict[str, float] = {}
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name not in names:
                    continue
                key = sample.labels.get(by_label, "") if by_label else sample.name
                found[key] = max(sample.value, found.get(key, sample.value))
    except ValueError as error:
        log.warning("metrics that do not parse: %s", error)
        return {}
    return found
