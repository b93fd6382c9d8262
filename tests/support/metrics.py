"""A service's Prometheus metrics as a test reads them."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.support.processes import Suite, eventually, http


def metric(suite: Suite, service: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples with these labels, from the service's /metrics (every process's).

    A scrape that fails is tried again, as Prometheus would at its next interval: /metrics reads the outbox's
    backlog, and the first use of a pooled database connection that a fault broke answers 503."""
    answer = eventually(lambda: (scraped := http("GET", suite.url(service, "/metrics"))).status == 200 and scraped,
                        timeout=15, interval=0.5, message=f"{service}'s /metrics")
    return sum(sample.value for family in text_string_to_metric_families(answer.body) for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))
