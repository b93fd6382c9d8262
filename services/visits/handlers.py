"""What the visits service does with messages from outside: invitations from the city's document system, and
trips abroad, kept as the officials' time away (decision 0131)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.visits.domain.invitation import InvitationInvalid, check_event_dates
from services.visits.events import INBOUND_INVITATION, INBOUND_INVITATION_SCHEMA
from services.visits.operations.invitations import receive_document
from services.visits.operations.officials import note_trip
from shared.bus.consumer import InboundSchema, PoisonMessage, Subscription
from shared.bus.topology import EVENTS, INBOUND
from shared.uow import UnitOfWork

SCHEMA = InboundSchema(INBOUND_INVITATION_SCHEMA)
DATES = ("starts_on", "ends_on", "received_on")
TRIP_CHANGED = "chancery.trips.trip.*.v1"
TRIP_FIELDS = ("id", "title", "status", "countries", "starts_on", "ends_on", "version")


def invitation_fields(data: Any) -> dict[str, Any]:
    """The invitation's fields, or PoisonMessage naming everything wrong with the data."""
    SCHEMA.check(data)
    fields = {name: value for name, value in data.items() if name != "document_id"}
    fields.update({name: date.fromisoformat(data[name]) for name in DATES})
    try:
        check_event_dates(fields["starts_on"], fields["ends_on"])
    except InvitationInvalid as error:
        raise PoisonMessage(f"{error.field}: {error}") from error
    return fields


def receive_invitation(work: UnitOfWork, event: dict[str, Any]) -> None:
    receive_document(work, invitation_fields(event.get("data")), event["data"]["document_id"])


def trip_changed(work: UnitOfWork, event: dict[str, Any]) -> None:
    data = event.get("data")
    if not isinstance(data, dict) or any(name not in data for name in TRIP_FIELDS):
        raise PoisonMessage(f"{event.get('type')} {event.get('id')}: a trip's data needs {', '.join(TRIP_FIELDS)}")
    note_trip(work, data)


SUBSCRIPTIONS = [Subscription(INBOUND, INBOUND_INVITATION, receive_invitation),
                 Subscription(EVENTS, TRIP_CHANGED, trip_changed, withheld=True)]  # a withheld trip's time too
