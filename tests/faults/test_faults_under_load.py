"""All five services under steady load while the broker, the database and the workers fail; the ledger proves
that no successful write and no event was lost, and that no effect was applied twice.

Faults come only from the fault proxies in front of the broker and the database, and from signals to the
suite's own processes. The module shares one suite and one ledger: each test adds its writes and checks
everything written so far.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from shared.fault_points import CONSUMER_AFTER_COMMIT, CONSUMER_BEFORE_COMMIT, ENV, RELAY_AFTER_PUBLISH
from tests.faults.conftest import CONSUMERS, FaultySuite
from tests.support.broker import publish_raw, queue_depth
from tests.support.ledger import SETTLE_SECONDS
from tests.support.metrics import metric
from tests.support.processes import VISIT, Suite, eventually, http

pytestmark = pytest.mark.integration
LOAD_SECONDS = 10
PROBLEM = "application/problem+json"
# Within 10 s of the broker's or the database's return every process is ready again (decision 0070).
BACK_WITHIN = 10
DETECTED_WITHIN = 30
DATABASE_OUTAGE_SECONDS = float(os.environ.get("CHANCERY_FAULTS_DATABASE_OUTAGE_SECONDS", "30"))
CREATED = "chancery.visits.visit.created.v1"


def everywhere(suite: Suite, name: str) -> float:
    return sum(metric(suite, service, name) for service in suite.services)


def dead_letters(suite: Suite) -> dict[str, int]:
    return {service: queue_depth(f"{suite.namespace}.chancery.{service}.dlq") for service in CONSUMERS}


def detected(faults: FaultySuite, processes: list[str], fault: str) -> None:
    """Wait (at most 30 s) until every one of `processes` answers 503 on /readyz."""
    seen: list[dict] = []

    def not_ready() -> bool:
        seen[:] = [faults.readiness()]
        return all(seen[0][process] == 503 for process in processes)

    try:
        eventually(not_ready, timeout=DETECTED_WITHIN, interval=0.5, message=fault)
    except AssertionError as error:
        raise AssertionError(f"{error}; last /readyz statuses: {seen}") from None


def alive(faults: FaultySuite) -> dict[str, int]:
    return {service: http("GET", faults.suite.worker_url(service, "/healthz"), timeout=5).status
            for service in faults.suite.services}


def webs(suite: Suite) -> list[str]:
    return [f"{service} web" for service in suite.services]


def back_within_ten_seconds(faults: FaultySuite) -> None:
    eventually(faults.all_ready, timeout=BACK_WITHIN, interval=0.2,
               message=f"every web and worker ready again within {BACK_WITHIN} s")


def test_steady_load_on_all_five_services_loses_no_write_and_applies_no_event_twice(faults):
    with faults.load() as load:
        load.run_for(LOAD_SECONDS)
    assert set(load.successes) == set(faults.suite.services), load.refusals
    assert load.refusals == Counter()
    faults.ledger.assert_exactly_once()
    assert dead_letters(faults.suite) == dict.fromkeys(CONSUMERS, 0)


def test_the_broker_cut_mid_load_costs_no_request_and_every_process_is_back_within_ten_seconds_of_its_return(
        faults):
    with faults.load() as load:
        load.run_for(2)
        faults.broker.cut()
        detected(faults, webs(faults.suite) + ["visits worker", "notifications worker"], "the cut seen by /readyz")
        load.run_for(3)
        faults.broker.restore()
        back_within_ten_seconds(faults)
        load.run_for(2)
    assert load.refusals == Counter(), "the broker is not on the request path"
    faults.ledger.assert_exactly_once()
    assert dead_letters(faults.suite) == dict.fromkeys(CONSUMERS, 0)


def only_retry_answers(load) -> None:
    """Every write that did not succeed answered 503 problem+json with Retry-After: a pooled database connection
    that a reset broke fails the one transaction that finds it (no pre-ping, shared/db.py)."""
    refused = {(status, content_type, retry_after) for (_, status, content_type, retry_after) in load.refusals}
    assert refused <= {(503, PROBLEM, True)}, load.refusals


def paused_at(faults: FaultySuite, service: str, point: str) -> None:
    """Replace the service's worker with one that pauses at `point`, and wait until it is there."""
    suite = faults.suite
    suite.kill(service, "worker")
    log = suite.workdir / f"{service}-paused.log"
    marker = f"fault point {point} reached"
    seen_before = log.read_text().count(marker) if log.exists() else 0
    suite.start_worker(service, "paused", env={ENV: point})
    eventually(lambda: log.exists() and log.read_text().count(marker) > seen_before, timeout=60, interval=0.2,
               message=f"{service}'s worker at {point}")


def killed_and_replaced(faults: FaultySuite, service: str) -> None:
    faults.suite.kill(service, "paused")  # SIGKILL
    faults.suite.start_worker(service)


# trips' effect (a draft trip per invitation) has no unique constraint behind it: only the inbox keeps it single.
@pytest.mark.parametrize(("service", "point"), [("trips", CONSUMER_AFTER_COMMIT),
                                                ("notifications", CONSUMER_BEFORE_COMMIT)])
def test_a_consumer_killed_with_sigkill_between_its_commit_and_its_ack_or_before_its_commit_applies_each_event_once(
        faults, service, point):
    duplicates_before = metric(faults.suite, service, "chancery_events_duplicate_total")
    with faults.load() as load:
        paused_at(faults, service, point)
        killed_and_replaced(faults, service)
        load.run_for(3)
    faults.ledger.assert_exactly_once()
    if point == CONSUMER_AFTER_COMMIT:
        eventually(lambda: metric(faults.suite, service, "chancery_events_duplicate_total") > duplicates_before,
                   timeout=60, interval=0.5, message="the event committed before the kill back and recognised")
    assert dead_letters(faults.suite) == dict.fromkeys(CONSUMERS, 0)
    assert load.refusals == Counter()


def test_the_relay_killed_with_sigkill_after_publishing_and_before_marking_sent_publishes_again_and_nothing_doubles(
        faults):
    duplicates_before = everywhere(faults.suite, "chancery_events_duplicate_total")
    with faults.load() as load:
        paused_at(faults, "visits", RELAY_AFTER_PUBLISH)
        killed_and_replaced(faults, "visits")
        load.run_for(3)
    faults.ledger.assert_exactly_once()
    # The batch confirmed before the kill was published again; every consumer recognised its copies.
    eventually(lambda: everywhere(faults.suite, "chancery_events_duplicate_total") > duplicates_before, timeout=60,
               interval=0.5, message="the batch published again and recognised")
    assert load.refusals == Counter()


def test_broker_latency_and_a_silent_broker_are_detected_and_no_loop_waits_past_the_confirm_timeout(faults):
    confirm_timeout = float(faults.suite.env("visits")["CHANCERY_CONFIRM_TIMEOUT_SECONDS"])
    relay_log = faults.suite.workdir / "visits-worker.log"
    timeouts_before = relay_log.read_text().count("ConfirmTimeout")
    # A light load: enough for the relay to publish into the fault, little for the consumers to catch up on.
    with faults.load(interval=3.0) as load:
        load.run_for(1)
        faults.broker.slow_down(confirm_timeout + 1)
        detected(faults, webs(faults.suite) + ["visits worker"], "latency beyond the confirm timeout seen by /readyz")
        assert alive(faults) == dict.fromkeys(faults.suite.services, 200), "a loop stuck on the slow broker"
        faults.broker.restore()
        back_within_ten_seconds(faults)

        faults.broker.blackhole()
        detected(faults, webs(faults.suite) + ["visits worker"], "the silent broker seen by /readyz")
        load.run_for(3)
        assert alive(faults) == dict.fromkeys(faults.suite.services, 200), "a loop stuck on the silent broker"
        faults.broker.restore()
        back_within_ten_seconds(faults)
    # The relay gave up on its confirms at the timeout, each time, rather than waiting on.
    assert relay_log.read_text().count("ConfirmTimeout") > timeouts_before
    assert load.refusals == Counter(), "the broker is not on the request path"
    faults.ledger.assert_exactly_once()


def test_connections_to_the_broker_and_the_database_reset_every_few_seconds_lose_nothing(faults):
    resets = Counter()
    with faults.load() as load:
        for _ in range(4):
            load.run_for(2.5)
            resets["broker"] += faults.broker.reset_links()
            resets["database"] += faults.database.reset_links()
        load.run_for(1)
    assert resets["broker"] > 0 and resets["database"] > 0
    # A request whose database connection was reset answers 503 (retry), never 500.
    only_retry_answers(load)
    faults.ledger.assert_exactly_once()
    back_within_ten_seconds(faults)
    assert dead_letters(faults.suite) == dict.fromkeys(CONSUMERS, 0)


def test_with_the_database_away_writes_answer_503_with_retry_after_and_consumers_wait_without_burning_attempts(
        faults):
    retried_before = everywhere(faults.suite, "chancery_events_retried_total")
    with faults.load() as load:
        load.run_for(2)
        faults.database.cut()
        detected(faults, [*webs(faults.suite), *(f"{s} worker" for s in faults.suite.services)],
                 "the database's absence seen by /readyz")
        load.run_for(DATABASE_OUTAGE_SECONDS)
        faults.database.restore()
        back_within_ten_seconds(faults)
        load.run_for(2)
    only_retry_answers(load)
    assert {service for (service, *_) in load.refusals} == set(faults.suite.services), "no write refused"
    faults.ledger.assert_exactly_once()
    assert everywhere(faults.suite, "chancery_events_retried_total") == retried_before, "attempts burnt"
    assert dead_letters(faults.suite) == dict.fromkeys(CONSUMERS, 0)


def cloud_event(data) -> dict:
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": CREATED,
            "time": "2027-01-01T00:00:00Z", "subject": f"raw-{uuid.uuid4()}", "datacontenttype": "application/json",
            "data": data}


def dead_letter_list(suite: Suite, service: str) -> list[dict]:
    answer = suite.call("GET", service, "/api/v1/dead-letters", roles="operator")
    assert answer.status == 200, answer.body
    return answer.json["items"]


def test_a_poison_message_is_dead_lettered_after_its_attempts_with_its_reason_and_replayed_once_its_cause_is_fixed(
        faults):
    suite, max_attempts = faults.suite, int(faults.suite.env("outreach")["CHANCERY_CONSUMER_MAX_ATTEMPTS"])
    # The cause: outreach's database refuses the timeline entry of one delegation (as a bad migration would).
    outreach = create_engine(suite.direct_database_urls["outreach"])
    with outreach.begin() as connection:
        connection.execute(text("ALTER TABLE timeline_entries ADD CONSTRAINT faults_poison "
                                "CHECK (title NOT LIKE 'Poisoned%')"))
    try:
        with faults.load() as load:
            poisoned = suite.call("POST", "visits", "/api/v1/visits",
                                  {**VISIT, "delegation_name": "Poisoned delegation", "partner_id": faults.partner_id},
                                  roles="protocol")
            assert poisoned.status == 201, poisoned.body
            faults.ledger.wrote("visits", "visits", poisoned.json["id"])
            # And messages no attempt can fix: data that is not an object, a body that is not JSON, a
            # malformed attempt counter; they go to the dead letters of the consumers that hear about visits.
            publish_raw(suite.namespace, CREATED, json.dumps(cloud_event("a string")).encode())
            publish_raw(suite.namespace, CREATED, b"\x00not json{")
            publish_raw(suite.namespace, CREATED, json.dumps(cloud_event({"delegation_name": "Miscounted"})).encode(),
                        headers={"x-chancery-attempt": "many"})
            load.run_for(3)
        poisoned_event = next(event_id for event_id, row in faults.ledger.snapshot().outbox["visits"].items()
                              if row["subject"] == poisoned.json["id"] and row["type"] == CREATED)
        letter = eventually(lambda: next((item for item in dead_letter_list(suite, "outreach")
                                          if item["message_id"] == poisoned_event), None),
                            timeout=SETTLE_SECONDS, interval=0.5, message="outreach's dead letter")
        notifications_letters = eventually(lambda: len(letters := dead_letter_list(suite, "notifications")) >= 3
                                           and letters, timeout=SETTLE_SECONDS, interval=0.5,
                                           message="three poison messages")
    finally:
        with outreach.begin() as connection:
            connection.execute(text("ALTER TABLE timeline_entries DROP CONSTRAINT IF EXISTS faults_poison"))
        outreach.dispose()

    assert letter["event_type"] == CREATED
    assert letter["attempts"] == max_attempts
    assert letter["error"].startswith("IntegrityError") and "faults_poison" in letter["error"]
    reasons = sorted((item["attempts"], item["error"].split(":")[0]) for item in notifications_letters)
    assert reasons == [(1, "poison"), (1, "poison"), (max_attempts, "TypeError")]
    # Everything else is applied meanwhile: only the poisoned event is missing, and only from outreach.
    eventually(lambda: faults.ledger.snapshot().unapplied() == {"outreach": {letter["message_id"]}}, timeout=60,
               interval=0.5, message="every other event applied")

    replayed = suite.call("POST", "outreach", "/api/v1/dead-letters/replay", {"message_ids": [letter["message_id"]]},
                          roles="operator")
    assert replayed.status == 200, replayed.body
    assert replayed.json["message_ids"] == [letter["message_id"]]
    snapshot = faults.ledger.assert_exactly_once()
    assert snapshot.timeline[letter["message_id"]] == 1
    for service in ("notifications", "outreach"):  # the messages no attempt can fix, dropped for good
        purged = suite.call("POST", service, "/api/v1/dead-letters/purge", {"message_ids": None}, roles="operator")
        assert purged.status == 200, purged.body
    assert dead_letters(suite) == dict.fromkeys(CONSUMERS, 0)
