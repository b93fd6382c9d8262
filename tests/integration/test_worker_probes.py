"""The worker's own probes, on its metrics port: a real worker process on the real broker (through a fault
proxy, so that the test can take the broker away without touching the machine's) and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support.faultproxy import FaultProxy
from tests.support.processes import Suite, eventually, free_port, http

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
CONNECTED_LOOPS = ("OutboxRelay", "EventConsumer")


class WorkerOnly(Suite):
    """One service's worker, serving its probes; no web process."""

    def start(self) -> WorkerOnly:
        self.prepare()
        self.start_worker(self.services[0])
        return self


@pytest.fixture(scope="module")
def proxy():
    with FaultProxy(5672) as running:
        yield running


@pytest.fixture(scope="module")
def worker(proxy, tmp_path_factory):
    port = free_port()
    suite = WorkerOnly(("visits",), tmp_path_factory.mktemp("worker-probes"), database="postgres",
                       amqp_url=proxy.amqp_url, extra_env={"CHANCERY_WORKER_METRICS_PORT": str(port)})
    with suite:
        yield f"http://127.0.0.1:{port}"


def probe(worker: str, path: str):
    return http("GET", worker + path, timeout=3)


def test_the_worker_answers_ready_with_its_database_and_each_broker_connection_up(worker):
    ready = eventually(lambda: (answer := probe(worker, "/readyz")).status == 200 and answer, timeout=60,
                       interval=0.2, message="the worker's /readyz")
    assert ready.json == {"status": "ready",
                          "checks": {"database": "ok", **{loop: "ok" for loop in CONNECTED_LOOPS}}}


def test_the_worker_answers_alive_naming_each_of_its_loops(worker):
    alive = probe(worker, "/healthz")
    assert alive.status == 200, alive.body
    assert alive.json["checks"] == {"OutboxRelay": "ok", "EventConsumer": "ok", "PeriodicRunner": "ok"}


def test_the_worker_still_serves_its_metrics_beside_the_probes(worker):
    metrics = probe(worker, "/metrics")
    assert metrics.status == 200
    assert 'chancery_outbox_backlog{service="visits"} 0.0' in metrics.body


def test_without_its_broker_the_worker_is_not_ready_naming_the_connections_but_stays_alive(worker, proxy):
    eventually(lambda: probe(worker, "/readyz").status == 200, timeout=60, message="ready before the cut")
    proxy.cut()
    try:
        not_ready = eventually(lambda: (answer := probe(worker, "/readyz")).status == 503
                               and all(answer.json["checks"][loop] != "ok" for loop in CONNECTED_LOOPS) and answer,
                               timeout=15, interval=0.1, message="503 naming both connections once the broker is gone")
        assert not_ready.headers["content-type"] == PROBLEM
        assert not_ready.json["checks"] == {"database": "ok", **{loop: "not connected to the broker"
                                                                 for loop in CONNECTED_LOOPS}}
        assert not_ready.json["detail"] == f"Failing: {', '.join(sorted(CONNECTED_LOOPS))}"
        assert probe(worker, "/healthz").status == 200, "a broker outage is no reason to restart the worker"
    finally:
        proxy.restore()
    eventually(lambda: probe(worker, "/readyz").status == 200, timeout=30, interval=0.2,
               message="ready again once the broker is back")
    # Counted like the web's answers, which the ReadinessFailing alert reads.
    assert ('chancery_http_requests_total{method="GET",route="/readyz",service="visits",status="503"}'
            in probe(worker, "/metrics").body)
