"""Inbound CloudEvents made by the official CloudEvents Python SDK, in structured mode and in binary mode (its AMQP
and RabbitMQ bindings), published on the real broker to the namespaced chancery.inbound exchange: visits puts
each invitation in the mayor's inbox, outreach creates each partner, whatever the mode; binary-mode data that is
not JSON is dead-lettered with the reason, under its event type."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.support.broker import publish_raw
from tests.support.cloudevents_sdk import MODES, sdk_event
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
INVITATION = "chancery.inbound.invitation.received.v1"
PARTNER = "chancery.inbound.partner.updated.v1"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "outreach"), tmp_path_factory.mktemp("inbound-modes")) as suite:
        yield suite


def city_system_sends(suite: Suite, mode: str, event_type: str, source: str, subject: str, data: dict) -> None:
    message = MODES[mode](sdk_event(event_type, source, subject, data, datetime.now(UTC)))
    publish_raw(suite.namespace, event_type, message.body, exchange="chancery.inbound", headers=message.headers,
                content_type=message.content_type)


def items(suite: Suite, service: str, path: str, roles: str) -> list[dict]:
    return suite.call("GET", service, path, roles=roles).json["items"]


@pytest.mark.parametrize("mode", MODES)
def test_an_invitation_the_document_system_sends_with_the_sdk_in_this_mode_reaches_the_mayors_inbox(suite, mode):
    document_id = f"SO-{uuid.uuid4().hex[:8]}"
    city_system_sends(suite, mode, INVITATION, "/city/document-system", document_id, {
        "document_id": document_id, "title": "Forum of Black Sea Cities", "inviting_party": "Mayor of Batumi",
        "country": "GE", "city": "Batumi", "location": "abroad", "starts_on": "2027-09-01", "ends_on": "2027-09-03",
        "received_on": "2027-04-02", "partner_id": None})

    def in_inbox() -> list[dict]:
        return [item for item in items(suite, "visits", "/api/v1/invitations?page_size=200", "mayor-office")
                if item["source_document_id"] == document_id]

    [received] = eventually(in_inbox, timeout=15, message=f"the invitation sent in {mode} mode in the inbox")
    assert (received["title"], received["status"]) == ("Forum of Black Sea Cities", "received")


@pytest.mark.parametrize("mode", MODES)
def test_a_partner_the_registry_sends_with_the_sdk_in_this_mode_is_created_in_outreach(suite, mode):
    registry_id = f"REG-{uuid.uuid4().hex[:8]}"
    city_system_sends(suite, mode, PARTNER, "/city/registry", registry_id, {
        "registry_id": registry_id, "updated_at": "2027-03-01T09:00:00Z", "kind": "capital", "name": "Vienna",
        "country": "AT"})

    [partner] = eventually(lambda: items(suite, "outreach", f"/api/v1/partners?registry_id={registry_id}",
                                         "outreach"), timeout=15, message=f"the partner sent in {mode} mode")
    assert (partner["name"], partner["country"], partner["created_by"]) == ("Vienna", "AT", "worker:outreach")


def test_binary_mode_data_that_is_not_json_is_dead_lettered_with_the_reason_under_its_event_type(suite):
    event = sdk_event(PARTNER, "/city/registry", "REG-XML", {"registry_id": "REG-XML"}, datetime.now(UTC))
    message = MODES["binary, RabbitMQ binding"](event)
    publish_raw(suite.namespace, PARTNER, b"<partner registry_id='REG-XML'/>", exchange="chancery.inbound",
                headers=message.headers, content_type="application/xml")

    def dead_letter() -> list[dict]:
        return [item for item in items(suite, "outreach", "/api/v1/dead-letters", "operator")
                if item["message_id"] == event.get_id()]

    [letter] = eventually(dead_letter, timeout=15, message="the XML partner dead-lettered")
    assert letter["event_type"] == PARTNER
    assert letter["error"].startswith("poison:") and "only JSON data" in letter["error"]
