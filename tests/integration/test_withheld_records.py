"""Confidential and embargoed visits across real processes on PostgreSQL and the real broker (issue 18, decision
0190): a withheld visit is absent from another protocol officer's list, read, calendar feed and inbox and from a
city system's queue, while the people it names are told; once its embargo passes (the worker's sweep, run at the
time) or it is made open, it is released once and everyone catches up."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from services.visits.app import SPEC
from services.visits.tasks import PERIODIC_TASKS
from shared.config import load_settings
from shared.periodic import PeriodicRunner
from shared.service import ServiceRuntime
from tests.support.broker import PIKA_BROKER_URL
from tests.support.examples import city_system
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
VISIT = {"delegation_name": "Delegation of the City of Lyon", "country": "FR", "city": "Lyon",
         "starts_on": "2027-03-10", "ends_on": "2027-03-12", "purpose": "Twinning anniversary",
         "host_official": "Deputy Mayor for Culture"}
CITY_QUEUE = "city-docs.events"
RELEASE = next(task for task in PERIODIC_TASKS if task.name == "release-embargoes")


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "notifications"), tmp_path_factory.mktemp("withheld"), database="postgres") as suite:
        for sub in ("mila", "petar"):
            subscribed = suite.call("POST", "notifications", "/api/v1/subscriptions",
                                    {"pattern": "chancery.visits.visit.#"}, roles="protocol", sub=sub)
            assert subscribed.status == 201, subscribed.json
        yield suite


@pytest.fixture(scope="module")
def system(suite):
    client = city_system.CitySystem(PIKA_BROKER_URL, namespace=suite.namespace)
    client.bind(CITY_QUEUE, ["chancery.visits.#"])
    yield client
    client.channel.queue_delete(f"{suite.namespace}.{CITY_QUEUE}")
    client.close()


def create(suite, **marking) -> str:
    created = suite.call("POST", "visits", "/api/v1/visits", {**VISIT, **marking}, roles="protocol", sub="olga")
    assert created.status == 201, created.json
    return created.json["id"]


def listed(suite, sub: str) -> set[str]:
    answer = suite.call("GET", "visits", "/api/v1/visits?page_size=100", roles="protocol", sub=sub)
    assert answer.status == 200, answer.json
    return {item["id"] for item in answer.json["items"]}


def told(suite, sub: str) -> set[tuple[str, str]]:
    answer = suite.call("GET", "notifications", "/api/v1/inbox?page_size=100", roles="protocol", sub=sub)
    assert answer.status == 200, answer.json
    return {(item["event_type"], item["subject"]) for item in answer.json["items"]}


def city_events(system, until_subject: str) -> list[tuple[str, str]]:
    """(type, subject) of what reached the city system's queue, up to the event about `until_subject`: the
    services publish in outbox order, so whatever came before it has arrived."""
    seen: list[tuple[str, str]] = []
    for event, ack in system.events(CITY_QUEUE, timeout=10):
        ack()
        seen.append((event["type"], event["subject"]))
        if event["subject"] == until_subject:
            break
    return seen


def release_embargoes(suite, now: datetime) -> None:
    """The visits worker's sweep of passed embargoes, run at `now` on the service's own database."""
    settings = load_settings("visits", {"VISITS_DATABASE_URL": suite.direct_database_urls["visits"]})
    runtime = ServiceRuntime.build(SPEC, settings)
    try:
        assert PeriodicRunner(runtime, PERIODIC_TASKS).run_once(RELEASE, now)
    finally:
        runtime.database.dispose()


def test_a_confidential_visit_is_known_only_to_those_named_until_it_is_made_open(suite, system):
    secret = create(suite, confidentiality="confidential", need_to_know={"people": ["mila"], "roles": []})
    marker = create(suite)  # an open visit after it: once its events arrive, the secret's would have
    created = "chancery.visits.visit.created.v1"

    eventually(lambda: (created, marker) in told(suite, "petar"), message="petar told of the open visit")
    assert (created, secret) not in told(suite, "petar")
    eventually(lambda: (created, secret) in told(suite, "mila"), message="mila, named, told of the secret")
    assert secret not in listed(suite, "petar") and secret in listed(suite, "mila")
    for path in (f"/api/v1/visits/{secret}", f"/api/v1/visits/{secret}/calendar.ics",
                 f"/api/v1/visits/{secret}/programme"):
        assert suite.call("GET", "visits", path, roles="protocol", sub="petar").status == 404, path
    assert [subject for _, subject in city_events(system, marker)] == [marker]

    opened = suite.call("PATCH", "visits", f"/api/v1/visits/{secret}", {"confidentiality": "open"},
                        roles="protocol", sub="olga", headers={"If-Match": '"1"'})
    assert opened.status == 200, opened.json
    assert city_events(system, secret) == [("chancery.visits.visit.updated.v1", secret)]
    assert city_events(system, secret) == [("chancery.visits.visit.released.v1", secret)]
    assert secret in listed(suite, "petar")
    eventually(lambda: ("chancery.visits.visit.released.v1", secret) in told(suite, "petar"),
               message="petar told of the release")


def test_an_embargoed_visit_appears_once_its_embargo_passes_and_is_released_once(suite, system):
    until = datetime.now(UTC) + timedelta(seconds=3)
    embargoed = create(suite, embargoed_until=until.isoformat())
    assert embargoed not in listed(suite, "petar")
    release_embargoes(suite, datetime.now(UTC))  # before its time: nothing to release
    marker = create(suite)
    assert [subject for _, subject in city_events(system, marker)] == [marker]

    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.5)
    assert embargoed in listed(suite, "petar")
    release_embargoes(suite, datetime.now(UTC))
    release_embargoes(suite, datetime.now(UTC))
    second_marker = create(suite)
    assert city_events(system, second_marker) == [("chancery.visits.visit.released.v1", embargoed),
                                                  ("chancery.visits.visit.created.v1", second_marker)]
    eventually(lambda: ("chancery.visits.visit.released.v1", embargoed) in told(suite, "petar"),
               message="petar told of the release")
