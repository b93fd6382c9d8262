"""Invitations from the city's document system over the real broker: published with pika to the namespaced
chancery.inbound exchange, they reach the mayor's inbox through the visits worker; accepted abroad, they
become a draft trip in trips; a malformed one is dead-lettered with the reason."""

import json
import uuid

import pika
import pytest

from tests.support.broker import connection, get_all, publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
INBOUND_TYPE = "chancery.inbound.invitation.received.v1"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """visits and trips as real processes on PostgreSQL, in their own namespace."""
    with Suite(("visits", "trips"), tmp_path_factory.mktemp("visits-inbound"), database="postgres") as suite:
        eventually(lambda: queue_exists(suite, "visits") and queue_exists(suite, "trips"), timeout=20,
                   message="the visits and trips queues")
        yield suite


def queue_exists(suite, service: str) -> bool:
    try:
        with connection() as conn:
            conn.channel().queue_declare(f"{suite.namespace}.chancery.{service}", passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False


def document_system_sends(suite, data) -> str:
    """What the city's document system does: one CloudEvent on chancery.inbound, the type as routing key."""
    event_id = str(uuid.uuid4())
    body = json.dumps({"specversion": "1.0", "id": event_id, "source": "/city/document-system",
                       "type": INBOUND_TYPE, "time": "2027-04-02T08:15:00Z", "subject": "SO-2027",
                       "datacontenttype": "application/json", "data": data}).encode()
    publish_raw(suite.namespace, INBOUND_TYPE, body, exchange="chancery.inbound")
    return event_id


def invitation(document_id: str) -> dict:
    return {"document_id": document_id, "title": "Forum of Black Sea Cities", "inviting_party": "Mayor of Batumi",
            "country": "GE", "city": "Batumi", "location": "abroad", "starts_on": "2027-09-01",
            "ends_on": "2027-09-03", "received_on": "2027-04-02", "partner_id": None}


def in_inbox(suite, document_id: str) -> list[dict]:
    items = suite.call("GET", "visits", "/api/v1/invitations?page_size=200", roles="mayor-office").json["items"]
    return [item for item in items if item["source_document_id"] == document_id]


def test_an_invitation_from_the_document_system_reaches_the_inbox_and_once_accepted_a_draft_trip(suite):
    document_id = f"SO-{uuid.uuid4().hex[:8]}"
    document_system_sends(suite, invitation(document_id))
    document_system_sends(suite, invitation(document_id))  # sent twice: still one invitation
    [received] = eventually(lambda: in_inbox(suite, document_id), timeout=15, message="the invitation in the inbox")
    assert (received["status"], received["source"], received["created_by"]) == ("received", "city-docs",
                                                                                 "worker:visits")

    path = f"/api/v1/invitations/{received['id']}"
    assert suite.call("POST", "visits", f"{path}/review", {}, roles="protocol").status == 200
    accepted = suite.call("POST", "visits", f"{path}/accept", {"official": "Deputy Mayor for Tourism"},
                          roles="mayor-office")
    assert accepted.status == 200, accepted.body

    def draft_trips():
        answer = suite.call("GET", "trips", f"/api/v1/trips?invitation_id={received['id']}", roles="travel")
        return answer.json["items"] if answer.status == 200 else []

    [trip] = eventually(draft_trips, timeout=15, message="the draft trip in trips")
    assert trip["invitation_id"] == received["id"]
    assert len(in_inbox(suite, document_id)) == 1


def test_an_invitation_that_breaks_its_schema_is_dead_lettered_with_the_reason_and_not_in_the_inbox(suite):
    document_id = f"SO-{uuid.uuid4().hex[:8]}"
    event_id = document_system_sends(suite, {**invitation(document_id), "country": "Georgia"})
    dead = eventually(lambda: get_all(f"{suite.namespace}.chancery.visits.dlq", timeout=1), timeout=15,
                      message="the dead letter")
    [(body, headers)] = [(body, headers) for body, headers in dead if body["id"] == event_id]
    assert body["data"]["document_id"] == document_id
    assert headers["x-chancery-error"].startswith("poison: country:")
    assert in_inbox(suite, document_id) == []
