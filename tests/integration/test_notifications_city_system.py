"""The contract with city systems, exercised by the pika client of examples/city_system.py against the
real broker and the visits service as real processes: listen on the system's own queue, send an
invitation to chancery.inbound, and see an invalid one dead-lettered with its reason."""

from __future__ import annotations

import json
import uuid

import pika
import pytest

from tests.support.broker import PIKA_BROKER_URL
from tests.support.examples import city_system
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits",), tmp_path_factory.mktemp("city-system")) as suite:
        yield suite


@pytest.fixture
def system(suite):
    client = city_system.CitySystem(PIKA_BROKER_URL, namespace=suite.namespace)
    yield client
    client.channel.queue_delete(f"{suite.namespace}.city-docs.events")
    client.close()


def invitation(**changes):
    return {"document_id": f"DOC-{uuid.uuid4().hex[:8]}", "title": "Summit of European Capitals on Urban Mobility",
            "inviting_party": "Mayor of Vienna", "country": "AT", "city": "Vienna", "location": "abroad",
            "starts_on": "2027-06-14", "ends_on": "2027-06-15", "received_on": "2027-03-01", **changes}


def test_an_invitation_sent_by_the_city_system_comes_back_as_an_event_on_its_own_queue(suite, system):
    system.bind("city-docs.events", ["chancery.visits.invitation.#"])
    sent = system.send_invitation(**invitation())
    received = []
    for event, ack in system.events("city-docs.events", timeout=5):
        received.append(event)
        ack()
    [event] = [e for e in received if e["type"] == "chancery.visits.invitation.received.v1"]
    assert event["data"]["title"] == sent["data"]["title"]
    assert event["data"]["source"] == "city-docs"
    listed = suite.call("GET", "visits", "/api/v1/invitations", roles="protocol").json["items"]
    assert [item["title"] for item in listed] == [sent["data"]["title"]]


def test_the_same_event_delivered_twice_is_handled_once_by_the_listener(suite, system):
    system.bind("city-docs.events", ["chancery.visits.invitation.#"])
    system.send_invitation(**invitation())
    [(event, ack)] = list(system.events("city-docs.events", timeout=5))
    ack()
    system.channel.basic_publish(f"{suite.namespace}.chancery.events", event["type"],
                                 json.dumps(event).encode(), pika.BasicProperties(delivery_mode=2))
    assert list(system.events("city-docs.events", timeout=2)) == []


def test_an_invalid_invitation_is_dead_lettered_with_the_reason_and_changes_nothing(suite, system):
    before = suite.call("GET", "visits", "/api/v1/invitations", roles="protocol").json["total"]
    sent = system.send_invitation(**invitation(country="Austria"))

    def dead_letter():
        items = suite.call("GET", "visits", "/api/v1/dead-letters", roles="operator").json["items"]
        return [item for item in items if item["message_id"] == sent["id"]]

    [letter] = eventually(dead_letter, message="the invalid invitation dead-lettered")
    assert letter["event_type"] == "chancery.inbound.invitation.received.v1"
    assert letter["error"].startswith("poison:") and "country" in letter["error"]
    assert suite.call("GET", "visits", "/api/v1/invitations", roles="protocol").json["total"] == before
    assert suite.call("GET", "visits", "/readyz").status == 200


def test_a_type_no_service_consumes_comes_back_unroutable(system):
    with pytest.raises(pika.exceptions.UnroutableError):
        system.send("chancery.inbound.parking-permit.requested.v1", "PP-1", {"plate": "CA 1234 AB"})
