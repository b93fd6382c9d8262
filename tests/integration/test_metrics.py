"""Prometheus metrics under gunicorn's multiprocess model: every web worker's requests and the worker
process's events add up in the one /metrics the web serves."""

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from tests.support.broker import CitySystemListener
from tests.support.processes import VISIT, Suite, eventually, http

pytestmark = pytest.mark.integration
WEB_WORKERS = 3
REQUESTS = 60
LIST_ROUTE = {"service": "visits", "route": "/api/v1/visits", "method": "GET"}


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits",), tmp_path_factory.mktemp("metrics"),
               extra_env={"CHANCERY_WEB_WORKERS": str(WEB_WORKERS)}) as suite:
        yield suite


def scrape(suite) -> list:
    answer = http("GET", suite.url("visits", "/metrics"))
    assert answer.status == 200
    return [sample for family in text_string_to_metric_families(answer.body) for sample in family.samples]


def total(samples, name: str, **labels) -> float:
    return sum(sample.value for sample in samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))


def requests_by_process(suite, **labels) -> Counter:
    """How many of the counted requests each web process answered, read from its own multiprocess file."""
    served = Counter()
    for path in (suite.workdir / "metrics" / "visits").glob("counter_*.db"):
        for key, value, _timestamp, _position in MmapedDict.read_all_values_from_file(str(path)):
            _metric, sample, sample_labels, _help = json.loads(key)
            if sample == "chancery_http_requests_total" and all(sample_labels.get(k) == v for k, v in labels.items()):
                served[path.stem.removeprefix("counter_")] += value
    return served


def test_requests_answered_by_every_web_worker_add_up_to_exactly_the_number_sent(suite):
    before = scrape(suite)
    token = suite.token("protocol")

    def list_visits(_):
        # urllib opens a new connection every time, so the kernel hands requests to any of the workers.
        return http("GET", suite.url("visits", "/api/v1/visits"), token=token).status

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(list_visits, range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    after = scrape(suite)

    counted = (total(after, "chancery_http_requests_total", status="200", **LIST_ROUTE)
               - total(before, "chancery_http_requests_total", status="200", **LIST_ROUTE))
    timed = (total(after, "chancery_http_request_duration_seconds_count", **LIST_ROUTE)
             - total(before, "chancery_http_request_duration_seconds_count", **LIST_ROUTE))
    assert counted == REQUESTS
    assert timed == REQUESTS
    by_process = requests_by_process(suite, status="200", **LIST_ROUTE)
    assert sum(by_process.values()) == REQUESTS
    assert 2 <= len(by_process) <= WEB_WORKERS, f"the requests did not spread over the workers: {by_process}"


def test_the_worker_processs_published_events_appear_in_the_webs_metrics(suite):
    created_type = "chancery.visits.visit.created.v1"
    # A city system's queue makes the events routable; without any queue bound they would stay unsent.
    listener = CitySystemListener(suite.namespace, created_type)
    try:
        before = total(scrape(suite), "chancery_events_published_total", service="visits", type=created_type)
        for _ in range(3):
            assert suite.call("POST", "visits", "/api/v1/visits", VISIT, roles="protocol").status == 201
        assert len(listener.receive(count=3, timeout=20)) == 3
    finally:
        listener.close()

    def published() -> float:
        return total(scrape(suite), "chancery_events_published_total", service="visits", type=created_type) - before

    eventually(lambda: published() >= 3, timeout=10, message="the relay's published events in the web's /metrics")
    eventually(lambda: total(scrape(suite), "chancery_outbox_backlog", service="visits") == 0, timeout=10,
               message="an empty outbox backlog")
    assert published() == 3
