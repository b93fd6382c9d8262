"""An invitation accepted in visits drafts a trip abroad, once per invitation, through the consumer's handle."""

import uuid

import pytest

from services.trips.domain.invitation import MalformedInvitation, draft_from_invitation
from services.trips.handlers import INVITATION_ACCEPTED, SUBSCRIPTIONS
from shared.bus.consumer import EventConsumer, PoisonMessage
from shared.uow import worker_unit_of_work

INVITATION = {"id": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "title": "Days of Sofia 2027",
              "inviting_party": "Mayor of Sofia", "country": "BG", "city": "Sofia", "starts_on": "2027-05-20",
              "ends_on": "2027-05-23", "location": "abroad", "assigned_official": "Deputy Mayor Petrova",
              "partner_id": "b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c"}


def accepted(data=None, event_id=None) -> dict:
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()), "source": "/chancery/visits",
            "type": INVITATION_ACCEPTED, "subject": INVITATION["id"], "data": data or INVITATION}


@pytest.fixture
def consumer(trips):
    service = trips.app.extensions["chancery"]
    return EventConsumer(service.settings, service.database, service.spec.tables, SUBSCRIPTIONS,
                         lambda session, event: worker_unit_of_work(service, session, event["id"]))


def drafts(trips) -> list[dict]:
    return trips.call("GET", f"/api/v1/trips?invitation_id={INVITATION['id']}", roles="travel").json["items"]


def test_an_invitation_accepted_abroad_drafts_a_trip_linked_to_it(trips, consumer):
    assert consumer.handle(accepted()) is True
    [trip] = drafts(trips)
    assert trip["status"] == "draft"
    assert trip["invitation_id"] == INVITATION["id"]
    assert trip["destinations"] == [{"country": "BG", "city": "Sofia"}]
    assert (trip["starts_on"], trip["ends_on"]) == ("2027-05-20", "2027-05-23")
    assert trip["host"] == "Mayor of Sofia"
    assert trip["partner_id"] == INVITATION["partner_id"]
    assert trip["created_by"] == "worker:trips"
    assert trip["travellers"] == []


def test_the_same_event_delivered_twice_drafts_one_trip(trips, consumer):
    event = accepted()
    assert consumer.handle(event) is True
    assert consumer.handle(event) is False
    assert len(drafts(trips)) == 1


def test_another_event_about_the_same_invitation_drafts_no_second_trip(trips, consumer):
    consumer.handle(accepted())
    consumer.handle(accepted({**INVITATION, "title": "Days of Sofia 2027 (re-sent)"}))
    assert len(drafts(trips)) == 1


def test_an_invitation_in_the_city_drafts_no_trip(trips, consumer):
    assert consumer.handle(accepted({**INVITATION, "location": "in_city"})) is True
    assert drafts(trips) == []


def test_the_drafted_trip_emits_its_created_event_and_audit_record_in_the_consumers_transaction(trips, consumer):
    consumer.handle(accepted())
    audit = trips.call("GET", "/api/v1/audit-records?action=trip.created", roles="auditor").json["items"]
    assert [record["actor"] for record in audit] == ["worker:trips"]
    assert audit[0]["changes"]["invitation_id"] == INVITATION["id"]


@pytest.mark.parametrize("change", [{"country": "Bulgaria"}, {"starts_on": "20.05.2027"}, {"ends_on": "2027-05-01"},
                                    {"title": None}, {"id": None}])
def test_a_malformed_invitation_is_poison_and_drafts_nothing(trips, consumer, change):
    with pytest.raises(PoisonMessage):
        consumer.handle(accepted({**INVITATION, **change}))
    assert trips.call("GET", "/api/v1/trips", roles="travel").json["total"] == 0


def test_data_that_is_not_an_object_is_malformed():
    with pytest.raises(MalformedInvitation):
        draft_from_invitation(["abroad"])
