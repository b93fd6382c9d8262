"""Faults: the broker cut away, workers killed with SIGKILL, poison messages. Nothing is lost, nothing applied twice."""

import json
import threading
import time
import uuid
from collections import Counter

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.broker import CitySystemListener, connection, publish_raw, queue_depth, wait_until_consuming
from tests.support.faultproxy import BLACKHOLE, REFUSE, FaultProxy
from tests.support.processes import BROKER_URL, VISIT, Suite, eventually, http

pytestmark = pytest.mark.integration
CREATED = "chancery.visits.visit.created.v1"
SERVICES = ("visits", "notifications")


def listening(suite: Suite) -> Suite:
    wait_until_consuming(suite.namespace, "notifications")
    return suite


def subscribe(suite: Suite, sub: str, pattern: str = "chancery.visits.#") -> None:
    subscribed = suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": pattern},
                            roles="protocol", sub=sub)
    assert subscribed.status == 201, subscribed.body


def create_visit(suite: Suite, sub: str) -> tuple[int, str | None]:
    created = suite.call("POST", "visits", "/api/v1/visits", VISIT, roles="protocol", sub=sub, timeout=60)
    return created.status, (created.json["id"] if created.status == 201 else None)


def inbox(suite: Suite, sub: str, event_type: str = CREATED) -> list[dict]:
    """Every notification in the inbox of `sub` of one event type, all pages."""
    items, page = [], 1
    while True:
        answer = suite.call("GET", "notifications", f"/api/v1/inbox?event_type={event_type}&page_size=200"
                            f"&page={page}", roles="protocol", sub=sub)
        assert answer.status == 200, answer.body
        items += answer.json["items"]
        if len(items) >= answer.json["total"] or not answer.json["items"]:
            return items
        page += 1


def metric(suite: Suite, service: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples with these labels, from the service's /metrics (every process's)."""
    answer = http("GET", suite.url(service, "/metrics"))
    assert answer.status == 200, answer.body
    return sum(sample.value for family in text_string_to_metric_families(answer.body)
               for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))


def consumed(suite: Suite, event_type: str = CREATED) -> float:
    return metric(suite, "notifications", "chancery_events_consumed_total", type=event_type)


def exactly_once(items: list[dict], visit_ids: list[str]) -> None:
    per_subject = Counter(item["subject"] for item in items)
    assert set(per_subject) == set(visit_ids), "notifications lost or invented"
    assert [subject for subject, count in per_subject.items() if count > 1] == [], "notified twice"


def drain_raw(queue: str) -> list[tuple[bytes, dict]]:
    """Every message in `queue` as (raw body, headers); unlike broker.get_all, bodies need not be JSON."""
    messages = []
    with connection() as conn:
        channel = conn.channel()
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return messages
            messages.append((body, properties.headers or {}))


def dead_letter_queue(suite: Suite) -> str:
    return f"{suite.namespace}.chancery.notifications.dlq"


def delivered(suite: Suite, check, timeout: float, message: str):
    """`eventually`, and when it times out, where the events are stuck and where the logs are."""
    try:
        return eventually(check, timeout=timeout, interval=0.5, message=message)
    except AssertionError as error:
        queue = f"{suite.namespace}.chancery.notifications"
        raise AssertionError(
            f"{error}; visits outbox backlog {metric(suite, 'visits', 'chancery_outbox_backlog')}, "
            f"{queue_depth(queue)} ready in {queue}, {queue_depth(dead_letter_queue(suite))} dead, "
            f"processes exited: {[key for key, p in suite.processes.items() if p.poll() is not None]}, "
            f"logs in {suite.workdir}") from None


# A blackhole (connections that never answer) is the harder cut: it runs on both databases.
@pytest.mark.timeout(240)
@pytest.mark.parametrize(("database", "cut"), [("sqlite", BLACKHOLE), ("postgres", BLACKHOLE), ("sqlite", REFUSE)])
def test_visits_created_while_the_broker_is_cut_for_ten_seconds_each_reach_notifications_once_it_returns(
        database, cut, tmp_path):
    with FaultProxy(5672) as proxy, \
            Suite(SERVICES, tmp_path, database=database, amqp_url=proxy.amqp_url) as suite:
        listening(suite)
        subscribe(suite, "olga")
        proxy.cut(cut)
        cut_at = time.monotonic()
        answers, slowest = [], 0.0
        for number in range(100):  # spread over most of the cut
            time.sleep(max(0.0, cut_at + number * 0.07 - time.monotonic()))
            started = time.monotonic()
            answers.append(create_visit(suite, "olga"))
            slowest = max(slowest, time.monotonic() - started)
        assert [status for status, _ in answers] == [201] * 100
        visit_ids = [visit_id for _, visit_id in answers]
        # Generous: a request that waited for a broker connection attempt (5 s timeout) would take longer.
        assert slowest < 5, f"a request waited {slowest:.1f}s: the broker outage reached the HTTP path"

        time.sleep(max(0.0, cut_at + 10 - time.monotonic()))
        assert metric(suite, "visits", "chancery_outbox_backlog") == 100, "events left visits during the cut"
        assert inbox(suite, "olga") == []
        proxy.restore()

        delivered(suite, lambda: len(inbox(suite, "olga")) >= 100, 60, "100 created visits in the inbox")
        eventually(lambda: consumed(suite) >= 100, timeout=10, message="the consumed counter")
        time.sleep(1)  # room for a redelivery to show up twice
        items = inbox(suite, "olga")
        exactly_once(items, visit_ids)
        assert len(items) == 100
        assert consumed(suite) == 100
        assert metric(suite, "visits", "chancery_outbox_backlog") == 0


class VisitStream(threading.Thread):
    """Creates visits one after another in the background, as a busy office would."""

    def __init__(self, suite: Suite, count: int, sub: str):
        super().__init__(name="visit-stream", daemon=True)
        self.suite, self.count, self.sub = suite, count, sub
        self.answers: list[tuple[int, str | None]] = []

    def run(self) -> None:
        for _ in range(self.count):
            self.answers.append(create_visit(self.suite, self.sub))


@pytest.mark.timeout(300)
def test_workers_killed_with_sigkill_in_the_middle_of_a_stream_lose_no_event_and_notify_none_twice(tmp_path):
    with Suite(SERVICES, tmp_path) as suite:
        listening(suite)
        subscribe(suite, "olga")
        published = CitySystemListener(suite.namespace, CREATED)  # sees every copy the relay publishes
        stream = VisitStream(suite, 200, "olga")
        stream.start()
        try:
            eventually(lambda: len(inbox(suite, "olga")) >= 20, timeout=60, interval=0.05,
                       message="notifications under way")
            suite.kill("notifications", "worker")
            suite.start_worker("notifications")
            eventually(lambda: len(stream.answers) >= 120, timeout=90, interval=0.05, message="120 visits")
            suite.kill("visits", "worker")
            suite.start_worker("visits")
            stream.join(timeout=120)
            assert not stream.is_alive()
            assert [status for status, _ in stream.answers] == [201] * 200
            visit_ids = [visit_id for _, visit_id in stream.answers]

            delivered(suite, lambda: len(inbox(suite, "olga")) >= 200, 90, "200 created visits in the inbox")
            copies = published.receive(count=10_000, timeout=3)
        finally:
            published.close()
        assert {event["subject"] for event, _ in copies} == set(visit_ids), "the relay lost an event"

        # Redeliver a few events as a reconnecting relay would: the inbox must absorb them.
        replayed = [event for event, _ in copies[:5]]
        for event in replayed:
            publish_raw(suite.namespace, CREATED, json.dumps(event).encode())
        relay_duplicates = len(copies) - 200
        eventually(lambda: metric(suite, "notifications", "chancery_events_duplicate_total", type=CREATED)
                   >= relay_duplicates + len(replayed), timeout=30, message="the duplicates counted")
        time.sleep(1)
        exactly_once(inbox(suite, "olga"), visit_ids)
        applied = consumed(suite)
        duplicates = metric(suite, "notifications", "chancery_events_duplicate_total", type=CREATED)
        # A worker killed between its commit and the counter's increment loses that one count; the
        # redelivery of that event then counts as a duplicate. One consumer kill: at most one count.
        assert 199 <= applied <= 200
        assert duplicates >= relay_duplicates + len(replayed) + (200 - applied)
        assert metric(suite, "notifications", "chancery_events_retried_total") == 0
        assert queue_depth(dead_letter_queue(suite)) == 0


def cloud_event(data) -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": CREATED,
            "time": "2027-01-01T00:00:00Z", "subject": f"raw-{uuid.uuid4()}",
            "datacontenttype": "application/json", "data": data}


@pytest.mark.timeout(180)
def test_a_poison_message_ends_in_the_dead_letter_queue_after_the_configured_attempts_while_good_events_pass(
        tmp_path):
    with Suite(SERVICES, tmp_path) as suite:
        listening(suite)
        subscribe(suite, "olga")
        before = [create_visit(suite, "olga") for _ in range(3)]
        poison = cloud_event("a string where an object belongs")
        publish_raw(suite.namespace, CREATED, json.dumps(poison).encode())
        publish_raw(suite.namespace, CREATED, b"\x00not json{")
        after = [create_visit(suite, "olga") for _ in range(3)]
        visit_ids = [visit_id for status, visit_id in before + after if status == 201]
        assert len(visit_ids) == 6

        eventually(lambda: queue_depth(dead_letter_queue(suite)) >= 2, timeout=30, interval=0.2,
                   message="two dead letters")
        eventually(lambda: len(inbox(suite, "olga")) >= 6, timeout=30, message="the good events")
        time.sleep(1)
        dead = drain_raw(dead_letter_queue(suite))
        exactly_once(inbox(suite, "olga"), visit_ids)
        max_attempts = int(suite.env("notifications")["CHANCERY_CONSUMER_MAX_ATTEMPTS"])
        dead_lettered = {event_type: metric(suite, "notifications", "chancery_events_dead_lettered_total",
                                            type=event_type) for event_type in (CREATED, "unparsable")}
        retried = metric(suite, "notifications", "chancery_events_retried_total", type=CREATED)

    assert len(dead) == 2
    by_body = {body: headers for body, headers in dead}
    unparsable = by_body[b"\x00not json{"]
    assert unparsable["x-chancery-attempt"] == 1
    assert unparsable["x-chancery-error"].startswith("poison: body is not JSON")
    poisoned = by_body[json.dumps(poison).encode()]
    assert poisoned["x-chancery-attempt"] == max_attempts == 3
    assert poisoned["x-chancery-error"] == f"TypeError: the data of {CREATED} is not a JSON object but str"
    assert dead_lettered == {CREATED: 1, "unparsable": 1}
    assert retried == max_attempts - 1


@pytest.mark.timeout(180)
def test_malformed_headers_neither_stall_the_consumer_nor_drag_the_events_behind_them_into_the_dead_letters(
        tmp_path):
    with Suite(SERVICES, tmp_path) as suite:
        listening(suite)
        subscribe(suite, "olga")
        good = [cloud_event({"delegation_name": f"Delegation {n}"}) for n in range(4)]
        bad_attempt = cloud_event({"delegation_name": "Miscounted"})
        # Tracing headers are optional: a malformed trace context is ignored, the event is not.
        publish_raw(suite.namespace, CREATED, json.dumps(good[0]).encode(), headers={"traceparent": 5})
        publish_raw(suite.namespace, CREATED, json.dumps(bad_attempt).encode(),
                    headers={"x-chancery-attempt": "many"})
        for event in good[1:]:
            publish_raw(suite.namespace, CREATED, json.dumps(event).encode())

        eventually(lambda: len(inbox(suite, "olga")) >= len(good), timeout=30, message="the good events")
        eventually(lambda: queue_depth(dead_letter_queue(suite)) >= 1, timeout=30, message="a dead letter")
        time.sleep(1)
        exactly_once(inbox(suite, "olga"), [event["subject"] for event in good])
        dead = drain_raw(dead_letter_queue(suite))

    assert [json.loads(body)["id"] for body, _ in dead] == [bad_attempt["id"]]
    assert dead[0][1]["x-chancery-attempt"] == 1
    assert dead[0][1]["x-chancery-error"].startswith("poison: ")


@pytest.mark.timeout(60)
def test_the_fault_proxy_forwards_to_the_broker_and_refuses_while_cut():
    from kombu import Connection

    with FaultProxy(5672) as proxy:
        assert proxy.amqp_url != BROKER_URL
        with Connection(proxy.amqp_url, connect_timeout=2) as forwarded:
            forwarded.connect()
            assert proxy.open_links == 1
            proxy.cut()
            assert proxy.open_links == 0
            with pytest.raises(OSError):
                forwarded.default_channel.basic_qos(0, 1, False)
                forwarded.drain_events(timeout=2)
        with pytest.raises(OSError), Connection(proxy.amqp_url, connect_timeout=2) as refused:
            refused.connect()
        proxy.restore()
        with Connection(proxy.amqp_url, connect_timeout=2) as restored:
            restored.connect()
