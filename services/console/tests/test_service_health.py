"""What the operators' page makes of the probes and metrics it reads (decision 0098): the outbox gauges the
largest a process exports, the consumer lag from RabbitMQ's per-queue metrics in the namespace, a process that did
not answer down, one without an address not configured, and text that does not parse read as nothing."""

from __future__ import annotations

import json

from services.console.service_health import Reading, probe_urls, service_states, values
from services.console.settings import load_console_settings

WEB_METRICS = """# HELP chancery_outbox_backlog Events written but not yet published
# TYPE chancery_outbox_backlog gauge
chancery_outbox_backlog{service="visits"} 3.0
# HELP chancery_outbox_oldest_age_seconds Age of the oldest unpublished event
# TYPE chancery_outbox_oldest_age_seconds gauge
chancery_outbox_oldest_age_seconds{service="visits"} 1.5
"""
WORKER_METRICS = WEB_METRICS.replace("3.0", "7.0").replace("1.5", "0.5")
BROKER_METRICS = """# TYPE rabbitmq_detailed_queue_messages_ready gauge
rabbitmq_detailed_queue_messages_ready{vhost="/",queue="ns1.chancery.visits"} 42
rabbitmq_detailed_queue_messages_ready{vhost="/",queue="chancery.visits"} 9
rabbitmq_detailed_queue_messages_ready{vhost="/",queue="ns1.chancery.visits.dlq"} 5
"""


def settings():
    return load_console_settings({"CONSOLE_VISITS_WORKER_URL": "http://127.0.0.1:9100/",
                                  "CONSOLE_BROKER_METRICS_URL": "http://127.0.0.1:15692/metrics/detailed?family=queue_coarse_metrics",
                                  "CHANCERY_NAMESPACE": "ns1"})


def test_every_probe_of_a_worker_with_an_address_is_read_and_none_of_a_worker_without_one():
    urls = probe_urls(settings())
    assert urls["visits:worker:readyz"] == "http://127.0.0.1:9100/readyz"
    assert "trips:web:metrics" in urls and not any(name.startswith("trips:worker") for name in urls)
    assert urls["broker"] == "http://127.0.0.1:15692/metrics/detailed?family=queue_coarse_metrics"


def test_the_outbox_is_the_largest_any_process_exports_and_the_lag_is_the_namespaces_queue():
    not_ready = json.dumps({"checks": {"database": "ok", "EventConsumer": "not connected to the broker"}})
    readings = {"visits:web:healthz": Reading(200), "visits:web:readyz": Reading(200),
                "visits:web:metrics": Reading(200, WEB_METRICS), "visits:worker:healthz": Reading(200),
                "visits:worker:readyz": Reading(503, not_ready), "visits:worker:metrics": Reading(200, WORKER_METRICS),
                "trips:web:healthz": Reading(0), "trips:web:readyz": Reading(0), "trips:web:metrics": Reading(0),
                "broker": Reading(200, BROKER_METRICS)}
    states = {state.name: state for state in service_states(settings(), readings)}
    visits = states["visits"]
    assert visits.outbox == {"chancery_outbox_backlog": 7.0, "chancery_outbox_oldest_age_seconds": 1.5}
    assert visits.lag == 42
    assert visits.web.ready and visits.worker.alive and not visits.worker.ready
    assert visits.worker.failing == ("EventConsumer: not connected to the broker",)
    assert states["trips"].web.configured and not states["trips"].web.alive and states["trips"].lag is None
    assert not states["trips"].worker.configured


def test_metrics_that_do_not_parse_are_read_as_nothing():
    assert values("chancery_outbox_backlog{service=visits 3", ("chancery_outbox_backlog",)) == {}
