"""`CHANCERY_RATE_LIMIT_STORAGE=redis://…` (decision 0008): web processes count one window per subject together,
on this machine's Redis (127.0.0.1:6379); each test's subjects are its own, and their keys are deleted after."""

import uuid

import pytest
import redis

from shared.http.auth import Principal
from shared.http.problems import Problem
from shared.http.rate_limit import RateLimiter
from tests.support.processes import Suite, eventually, free_port, http

pytestmark = pytest.mark.integration
REDIS = "redis://127.0.0.1:6379/0"
LIMIT = 6


@pytest.fixture
def subject():
    """A subject no other test uses; its windows' keys are gone after the test."""
    name = f"limit-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def two_web_processes(tmp_path_factory):
    """The visits API served by two gunicorn processes of one worker each, on two ports, counting in Redis."""
    suite = Suite(("visits",), tmp_path_factory.mktemp("shared-limit"), extra_env={
        "CHANCERY_RATE_LIMIT": f"{LIMIT}/minute", "CHANCERY_RATE_LIMIT_STORAGE": REDIS, "CHANCERY_WEB_WORKERS": "1"})
    second_port = free_port()
    try:
        suite.prepare()
        suite.start_web("visits")
        suite.start_web("visits", role="web-2", env={"VISITS_PORT": str(second_port)})
        suite.wait_ready()
        second = f"http://127.0.0.1:{second_port}"
        eventually(lambda: http("GET", f"{second}/readyz", timeout=2).status == 200, timeout=60,
                   message="the second web process")
        yield suite, (suite.url("visits", ""), second)
    finally:
        suite.stop()


def test_two_web_processes_share_one_window_so_the_429_comes_after_the_limit_spread_over_both(
        two_web_processes, subject):
    suite, addresses = two_web_processes
    token = suite.token("protocol", sub=subject)
    answers = [http("GET", f"{addresses[number % 2]}/api/v1/visits", token=token) for number in range(LIMIT + 2)]
    assert [answer.status for answer in answers] == [200] * LIMIT + [429, 429]
    # Each process saw only half the limit itself: the refusals count the other process's requests too.
    assert int(answers[LIMIT].headers["retry-after"]) >= 1
    assert answers[LIMIT].json["type"].endswith("/rate-limited")


def test_each_service_counts_its_own_window_in_the_shared_redis(subject):
    visits, trips = RateLimiter("2/minute", REDIS, "visits"), RateLimiter("2/minute", REDIS, "trips")
    person = Principal(subject, frozenset())
    visits.check(person)
    visits.check(person)
    with pytest.raises(Problem):
        visits.check(person)
    trips.check(person)  # the same person's first request to another service
    assert RateLimiter("2/minute", REDIS, "visits").strategy.get_window_stats(
        visits.items[0], f"chancery:visits:subject:{subject}").remaining == 0
