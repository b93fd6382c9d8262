"""Limits a client meets on a real visits process: its own request rate, the body size and the page size."""

import pytest

from shared.http.auth import Principal
from shared.http.problems import Problem
from shared.http.rate_limit import RateLimiter
from shared.http.resources import MAX_PAGE_SIZE
from tests.support.processes import Suite, http

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
LIMIT = 8


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    env = {"CHANCERY_RATE_LIMIT": f"{LIMIT}/minute", "CHANCERY_WEB_WORKERS": "1"}
    with Suite(("visits",), tmp_path_factory.mktemp("limits"), extra_env=env) as suite:
        yield suite


def test_a_client_over_its_rate_gets_429_problem_json_with_retry_after_and_others_are_served(visits):
    greedy, patient = visits.token("protocol", sub="greedy"), visits.token("protocol", sub="patient")
    answers = [http("GET", visits.url("visits", "/api/v1/visits"), token=greedy) for _ in range(LIMIT + 2)]

    assert [a.status for a in answers] == [200] * LIMIT + [429, 429]
    refused = answers[-1]
    assert refused.headers["content-type"] == PROBLEM and refused.json["status"] == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert http("GET", visits.url("visits", "/api/v1/visits"), token=patient).status == 200


def test_health_readiness_and_metrics_are_never_rate_limited(visits):
    for _ in range(LIMIT + 2):
        statuses = {path: http("GET", visits.url("visits", path)).status
                    for path in ("/healthz", "/readyz", "/metrics")}
        assert statuses == {"/healthz": 200, "/readyz": 200, "/metrics": 200}


def test_the_openapi_document_tells_clients_every_api_operation_may_answer_429(visits):
    document = http("GET", visits.url("visits", "/openapi.json")).json
    operations = [op for path, ops in document["paths"].items() if path.startswith("/api/") for op in ops.values()]
    assert operations and all("429" in op["responses"] for op in operations)


def test_a_body_over_two_mebibytes_is_413_problem_json_and_stores_nothing(visits):
    token = visits.token("protocol", sub="uploader")
    before = http("GET", visits.url("visits", "/api/v1/visits?page_size=1"), token=token).json["total"]
    answer = http("POST", visits.url("visits", "/api/v1/visits"), token=token,
                  raw=b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert (answer.status, answer.headers["content-type"]) == (413, PROBLEM)
    assert http("GET", visits.url("visits", "/api/v1/visits?page_size=1"), token=token).json["total"] == before


def test_a_page_size_beyond_the_maximum_is_clamped_not_obeyed(visits):
    answer = http("GET", visits.url("visits", "/api/v1/visits?page_size=100000"),
                  token=visits.token("protocol", sub="reader"))
    assert answer.status == 200 and answer.json["page_size"] == MAX_PAGE_SIZE


def test_the_rate_limiter_counts_each_subject_on_its_own_and_names_its_window():
    limiter = RateLimiter("2/minute", "memory://", "visits")
    alice, bob = Principal("alice", frozenset()), Principal("bob", frozenset())
    limiter.check(alice)
    limiter.check(alice)
    limiter.check(bob)
    with pytest.raises(Problem) as refused:
        limiter.check(alice)
    assert refused.value.status == 429 and "2 requests per 1 minute" in refused.value.detail


def test_an_empty_rate_limit_switches_the_limiter_off():
    limiter = RateLimiter("", "memory://", "visits")
    for _ in range(1000):
        limiter.check(Principal("bench", frozenset()))
