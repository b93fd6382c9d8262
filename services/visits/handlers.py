"""What the visits service does with messages from outside: invitations from the city's document system."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.visits.domain.invitation import InvitationInvalid, check_event_dates
from services.visits.events import INBOUND_INVITATION, INBOUND_INVITATION_SCHEMA
from services.visits.operations.invitations import receive_document
from shared.bus.consumer import InboundSchema, PoisonMessage, Subscription
from shared.bus.topology import INBOUND
from shared.uow import UnitOfWork

SCHEMA = InboundSchema(INBOUND_INVITATION_SCHEMA)
DATES = ("starts_on", "ends_on", "received_on")


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


SUBSCRIPTIONS = [Subscription(INBOUND, INBOUND_INVITATION, receive_invitation)]
