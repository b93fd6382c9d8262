"""What the operators' page makes of the probes and metrics it reads (decision 0098): the outbox gauges the
largest a process exports, the consumer lag from RabbitMQ's per-queue metrics in the namespace, each queue's from
the broker node that exports it (decision 0216), a process that did not answer down, one without an address not
configured, and text that does not parse read as nothing."""

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


NODE_METRICS = "http://rabbitmq-{}:15692/metrics/detailed?family=queue_coarse_metrics"


def settings(nodes: int = 1):
    return load_console_settings({"CONSOLE_VISITS_WORKER_URL": "http://127.0.0.1:9100/",
                                  "CONSOLE_BROKER_METRICS_URL": " ".join(NODE_METRICS.format(node)
                                                                         for node in range(nodes)),
                                  "CHANCERY_NAMESPACE": "ns1"})


def test_every_probe_of_a_worker_with_an_address_is_read_and_none_of_a_worker_without_one():
    urls = probe_urls(settings())
    assert urls["visits:worker:readyz"] == "http://127.0.0.1:9100/readyz"
    assert "trips:web:metrics" in urls and not any(name.startswith("trips:worker") for name in urls)
    assert urls["broker:0"] == NODE_METRICS.format(0)


def test_every_broker_node_is_read_and_each_queue_has_the_figure_of_the_node_that_exports_it():
    assert [url for name, url in probe_urls(settings(3)).items() if name.startswith("broker:")] == \
        [NODE_METRICS.format(node) for node in range(3)]
    trips_on_node_1 = BROKER_METRICS.replace("ns1.chancery.visits", "ns1.chancery.trips").replace("} 42", "} 17")
    readings = {"broker:0": Reading(200, BROKER_METRICS), "broker:1": Reading(200, trips_on_node_1),
                "broker:2": Reading(0)}
    lags = {state.name: state.lag for state in service_states(settings(3), readings)}
    assert lags == {"visits": 42, "trips": 17, "contracts": None, "outreach": None, "notifications": None}
    del readings["broker:1"]  # the node leading trips' queue does not answer: only trips' figure is unknown
    assert {state.name: state.lag for state in service_states(settings(3), readings)}["trips"] is None


def test_the_outbox_is_the_largest_any_process_exports_and_the_lag_is_the_namespaces_queue():
    not_ready = json.dumps({"checks": {"database": "ok", "EventConsumer": "not connected to the broker"}})
    readings = {"visits:web:healthz": Reading(200), "visits:web:readyz": Reading(200),
                "visits:web:metrics": Reading(200, WEB_METRICS), "visits:worker:healthz": Reading(200),
                "visits:worker:readyz": Reading(503, not_ready), "visits:worker:metrics": Reading(200, WORKER_METRICS),
                "trips:web:healthz": Reading(0), "trips:web:readyz": Reading(0), "trips:web:metrics": Reading(0),
                "broker:0": Reading(200, BROKER_METRICS)}
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
