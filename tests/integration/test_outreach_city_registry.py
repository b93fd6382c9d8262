"""The contract with the city's registry, exercised by the pika client of examples/city_system.py against the
real broker and outreach as real processes on PostgreSQL: partners and contacts sent to chancery.inbound are
created or updated by their registry id and seen over outreach's API and as outreach's own events; a
duplicate or an older update changes nothing; an invalid one is dead-lettered with its reason."""

from __future__ import annotations

import contextlib
import io
import json
import uuid

import pytest

from tests.support.broker import PIKA_BROKER_URL, wait_until_consuming
from tests.support.examples import city_system
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
LISTENING = "city-registry.events"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("outreach",), tmp_path_factory.mktemp("city-registry"), database="postgres") as suite:
        wait_until_consuming(suite.namespace, "outreach")
        yield suite


@pytest.fixture
def registry(suite):
    client = city_system.CitySystem(PIKA_BROKER_URL, namespace=suite.namespace, source="/city/registry")
    client.bind(LISTENING, ["chancery.outreach.partner.#", "chancery.outreach.partner-contact.#"])
    yield client
    client.channel.queue_delete(f"{suite.namespace}.{LISTENING}")
    client.close()


def registry_id() -> str:
    return f"REG-{uuid.uuid4().hex[:8]}"


def partner_of(suite, reg_id: str) -> dict | None:
    items = suite.call("GET", "outreach", f"/api/v1/partners?registry_id={reg_id}", roles="outreach").json["items"]
    return items[0] if items else None


def contacts_of(suite, partner: dict) -> list[dict]:
    return suite.call("GET", "outreach", f"/api/v1/partners/{partner['id']}/contacts", roles="outreach").json["items"]


def heard(registry) -> list[str]:
    """The types of outreach's events on the registry's own queue, acknowledged."""
    types = []
    for event, ack in registry.events(LISTENING, timeout=2):
        types.append(event["type"])
        ack()
    return types


def test_a_partner_and_its_contact_from_the_registry_are_created_then_updated_and_seen_over_the_api(suite, registry):
    reg_id, contact_id = registry_id(), registry_id()
    with contextlib.redirect_stdout(io.StringIO()) as printed:  # the command line, as an operator would try it
        city_system.main(["--url", PIKA_BROKER_URL, "--namespace", suite.namespace, "--source", "/city/registry",
                          "send-partner", "--registry-id", reg_id, "--kind", "capital", "--name", "Vienna",
                          "--country", "AT", "--name-in", "de=Wien", "--updated-at", "2027-03-01T09:00:00Z"])
    assert json.loads(printed.getvalue())["type"] == "chancery.inbound.partner.updated.v1"
    registry.send_contact(registry_id=contact_id, partner_registry_id=reg_id, name="Klara Huber",
                          position="Head of Protocol", languages=["de"], updated_at="2027-03-01T09:05:00Z")
    partner = eventually(lambda: partner_of(suite, reg_id), timeout=15, message="the partner in outreach")
    assert (partner["name"], partner["names"], partner["country"], partner["created_by"]) == (
        "Vienna", [{"language": "de", "name": "Wien"}], "AT", "worker:outreach")
    [contact] = eventually(lambda: contacts_of(suite, partner), timeout=15, message="the contact")
    assert (contact["name"], contact["registry_id"]) == ("Klara Huber", contact_id)

    registry.send_partner(registry_id=reg_id, kind="capital", name="City of Vienna", country="AT",
                          updated_at="2027-03-02T09:00:00Z")
    renamed = eventually(lambda: (p := partner_of(suite, reg_id))["name"] == "City of Vienna" and p, timeout=15,
                         message="the partner renamed")
    assert (renamed["version"], renamed["names"]) == (2, [])
    assert sorted(heard(registry)) == ["chancery.outreach.partner-contact.added.v1",
                                       "chancery.outreach.partner.created.v1", "chancery.outreach.partner.updated.v1"]


def test_a_duplicate_or_an_older_update_changes_nothing(suite, registry):
    reg_id = registry_id()
    vienna = {"registry_id": reg_id, "kind": "capital", "name": "Vienna", "country": "AT",
              "updated_at": "2027-03-05T09:00:00Z"}
    sent = registry.send_partner(**vienna)
    eventually(lambda: partner_of(suite, reg_id), timeout=15, message="the partner in outreach")
    registry.send(sent["type"], reg_id, sent["data"], event_id=sent["id"])  # the same message again
    registry.send_partner(**vienna)  # the same change as a new message
    registry.send_partner(**{**vienna, "name": "Vienna (stale)", "updated_at": "2027-03-04T09:00:00Z"})
    marker = registry_id()  # outreach's queue is consumed in order: once this is in, so are those before
    registry.send_partner(**{**vienna, "registry_id": marker})
    eventually(lambda: partner_of(suite, marker), timeout=15, message="the marker partner")
    partner = partner_of(suite, reg_id)
    assert (partner["name"], partner["version"]) == ("Vienna", 1)
    assert heard(registry) == ["chancery.outreach.partner.created.v1"] * 2


def test_an_invalid_update_is_dead_lettered_with_its_reason_and_changes_nothing(suite, registry):
    reg_id = registry_id()
    sent = registry.send_partner(registry_id=reg_id, kind="capital", name="Vienna", country="Austria")

    def dead_letter():
        items = suite.call("GET", "outreach", "/api/v1/dead-letters", roles="operator").json["items"]
        return [item for item in items if item["message_id"] == sent["id"]]

    [letter] = eventually(dead_letter, timeout=15, message="the invalid update dead-lettered")
    assert letter["event_type"] == "chancery.inbound.partner.updated.v1"
    assert letter["error"].startswith("poison:") and "country" in letter["error"]
    assert partner_of(suite, reg_id) is None
    assert heard(registry) == []
    assert suite.call("GET", "outreach", "/readyz").status == 200
