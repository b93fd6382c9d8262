"""What the trips service does when other services' events arrive: an accepted invitation abroad becomes a
draft trip request, once per invitation."""

from __future__ import annotations

from typing import Any

from services.trips.domain.invitation import MalformedInvitation, draft_from_invitation
from services.trips.operations.trips import draft_trip_for_invitation
from shared.bus.consumer import PoisonMessage, Subscription
from shared.bus.topology import EVENTS
from shared.uow import UnitOfWork

INVITATION_ACCEPTED = "chancery.visits.invitation.accepted.v1"


def on_invitation_accepted(work: UnitOfWork, event: dict[str, Any]) -> None:
    try:
        draft = draft_from_invitation(event.get("data"))
    except MalformedInvitation as error:
        raise PoisonMessage(f"{INVITATION_ACCEPTED} {event.get('id')}: {error}") from error
    if draft is not None:
        draft_trip_for_invitation(work, draft, event.get("id"))


SUBSCRIPTIONS = [Subscription(EVENTS, INVITATION_ACCEPTED, on_invitation_accepted)]
