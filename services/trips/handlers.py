"""What the trips service does when other services' events arrive: an accepted invitation abroad becomes a
draft trip request, once per invitation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.trips.api.trips import draft_trip
from services.trips.domain.invitation import MalformedInvitation, draft_from_invitation
from services.trips.store.models import Trip
from shared.bus.consumer import PoisonMessage, Subscription
from shared.bus.topology import EVENTS
from shared.uow import UnitOfWork

INVITATION_ACCEPTED = "chancery.visits.invitation.accepted.v1"


def draft_trip_for_invitation(work: UnitOfWork, event: dict[str, Any]) -> None:
    try:
        draft = draft_from_invitation(event.get("data"))
    except MalformedInvitation as error:
        raise PoisonMessage(f"{INVITATION_ACCEPTED} {event.get('id')}: {error}") from error
    if draft is None:
        return
    existing = work.session.scalar(select(Trip.id).where(Trip.invitation_id == draft.invitation_id))
    if existing is not None:
        return  # one draft per invitation, whatever event brought it again
    draft_trip(work, draft.fields, [draft.place], [], {"invitation_id": draft.invitation_id,
                                                       "from_event": event.get("id")})


SUBSCRIPTIONS = [Subscription(EVENTS, INVITATION_ACCEPTED, draft_trip_for_invitation)]
