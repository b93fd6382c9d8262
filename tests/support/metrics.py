"""A service's Prometheus metrics as a test reads them."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.support.processes import Suite, http


def metric(suite: Suite, service: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples with these labels, from the service's /metrics (every process's)."""
    answer = http("GET", suite.url(service, "/metrics"))
    assert answer.status == 200, answer.body
    return sum(sample.value for family in text_string_to_metric_families(answer.body) for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))
