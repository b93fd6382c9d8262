"""Every record type of the notifications catalog: its event contents, built from a real record, are what its
schema says. A schema and its builder that disagree fail here."""

import pytest

from services.notifications.app import SPEC
from services.notifications.events import CATALOG, contents
from services.notifications.operations.waiting import track_decision
from services.notifications.operations.webhooks import register_webhook
from services.notifications.settings import load_notification_settings
from services.notifications.store.models import WaitingDecision
from shared.testing import RecordingUnitOfWork


def a_webhook(uow):
    return register_webhook(uow, "https://8.8.8.8/hooks/chancery?team=protocol", "chancery.visits.#")


def a_decision(uow):
    track_decision(uow, {"id": "e-1", "type": "chancery.trips.trip.submitted.v1", "subject": "t-1",
                         "time": "2027-03-01T09:00:00Z",
                         "data": {"id": "t-1", "title": "Lyon", "status": "submitted", "awaiting": "department-head",
                                  "awaiting_department": "Culture", "version": 2}})
    return uow.session.get(WaitingDecision, "trip:t-1")


# record type -> (a function making such a record through the operations, its contents builder)
RECORDS = {"webhook": (a_webhook, contents.webhook), "decision": (a_decision, contents.decision)}


def record_types() -> set[str]:
    return {event_type.split(".")[2] for event_type in CATALOG.types}


def test_every_record_type_of_the_catalog_has_a_builder_here():
    assert set(RECORDS) == record_types()


@pytest.mark.parametrize("event_type", sorted(CATALOG.types))
def test_the_contents_built_from_a_record_are_valid_against_the_event_schema(event_type):
    uow = RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"protocol"}),
                              own_settings=load_notification_settings({}))
    make, build = RECORDS[event_type.split(".")[2]]
    data = build(make(uow))
    CATALOG.validate(event_type, data)
    assert list(data) == list(CATALOG.schema(event_type)["properties"])


def test_a_webhooks_contents_name_its_host_but_never_its_path_or_secret():
    uow = RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"protocol"}),
                              own_settings=load_notification_settings({}))
    data = contents.webhook(a_webhook(uow))
    assert data["host"] == "8.8.8.8" and data["owner"] == "olga"
    assert "hooks" not in str(data) and "whsec_" not in str(data)
