"""The invitation → trip chain across the real broker: an accepted invitation abroad, published as visits
publishes it, becomes one draft trip request that the trips API shows."""

import json
import uuid

import pika
import pytest

from tests.support.broker import connection, publish_raw
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
ACCEPTED = "chancery.visits.invitation.accepted.v1"


@pytest.fixture(scope="module")
def trips_suite(tmp_path_factory):
    """The trips service alone (web and worker) on PostgreSQL, in its own namespace."""
    with Suite(("trips",), tmp_path_factory.mktemp("trips-invitations"), database="postgres") as suite:
        yield suite


def invitation_accepted(invitation_id: str, location: str = "abroad") -> tuple[str, bytes]:
    event_id = str(uuid.uuid4())
    return event_id, json.dumps({
        "specversion": "1.0", "id": event_id, "source": "/chancery/visits", "type": ACCEPTED,
        "time": "2027-03-01T09:30:00Z", "subject": invitation_id, "datacontenttype": "application/json",
        "data": {"id": invitation_id, "title": "Days of Sofia 2027", "inviting_party": "Mayor of Sofia",
                 "country": "BG", "city": "Sofia", "starts_on": "2027-05-20", "ends_on": "2027-05-23",
                 "location": location, "assigned_official": "Deputy Mayor Petrova", "partner_id": None},
    }).encode()


def trips_queue_is_bound(suite) -> bool:
    try:
        with connection() as conn:
            conn.channel().queue_declare(f"{suite.namespace}.chancery.trips", passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False


def handled(suite) -> int:
    """Accepted-invitation messages the worker consumed or recognised as duplicates, from /metrics."""
    text = suite.call("GET", "trips", "/metrics").body
    total = 0
    for line in text.splitlines():
        counted = line.startswith(("chancery_events_consumed_total{", "chancery_events_duplicate_total{"))
        if counted and ACCEPTED in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def drafts_for(suite, invitation_id: str) -> list[dict]:
    answer = suite.call("GET", "trips", f"/api/v1/trips?invitation_id={invitation_id}", roles="travel")
    assert answer.status == 200, answer.body
    return answer.json["items"]


def test_an_invitation_accepted_abroad_published_on_the_broker_becomes_one_draft_trip(trips_suite):
    eventually(lambda: trips_queue_is_bound(trips_suite), timeout=20, message="the trips queue")
    invitation_id = str(uuid.uuid4())
    event_id, body = invitation_accepted(invitation_id)
    publish_raw(trips_suite.namespace, ACCEPTED, body)
    publish_raw(trips_suite.namespace, ACCEPTED, body)  # a redelivery, as at-least-once allows
    publish_raw(trips_suite.namespace, ACCEPTED, invitation_accepted(invitation_id)[1])  # re-sent, new id
    in_city_id = str(uuid.uuid4())
    publish_raw(trips_suite.namespace, ACCEPTED, invitation_accepted(in_city_id, location="in_city")[1])

    [trip] = eventually(lambda: drafts_for(trips_suite, invitation_id), timeout=15, message="the draft trip")
    assert trip["status"] == "draft"
    assert trip["destinations"] == [{"country": "BG", "city": "Sofia"}]
    assert trip["created_by"] == "worker:trips"

    eventually(lambda: handled(trips_suite) == 4, message="all four messages handled")
    records = trips_suite.call("GET", "trips", "/api/v1/audit-records?action=trip.created", roles="auditor")
    assert [record["changes"]["invitation_id"] for record in records.json["items"]] == [invitation_id]
    assert drafts_for(trips_suite, in_city_id) == []
