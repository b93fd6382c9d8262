"""What the trips service does when other services' events arrive: an accepted invitation abroad becomes a
draft trip request, once per invitation; officials' engagements in visits are kept to check trips against
(decision 0131)."""

from __future__ import annotations

from typing import Any

from services.trips.domain.invitation import MalformedInvitation, draft_from_invitation
from services.trips.operations.engagements import note_engagement, note_visit_cancelled
from services.trips.operations.trips import draft_trip_for_invitation
from shared.bus.consumer import PoisonMessage, Subscription
from shared.bus.topology import EVENTS
from shared.kit.withholding import MARKING_FIELDS
from shared.uow import UnitOfWork

INVITATION_ACCEPTED = "chancery.visits.invitation.accepted.v1"
VISIT_CANCELLED = "chancery.visits.visit.cancelled.v1"
SEEN = ("id", "title", "starts_at", "ends_at", "version")


def on_invitation_accepted(work: UnitOfWork, event: dict[str, Any]) -> None:
    try:
        draft = draft_from_invitation(event.get("data"))
    except MalformedInvitation as error:
        raise PoisonMessage(f"{INVITATION_ACCEPTED} {event.get('id')}: {error}") from error
    if draft is not None:
        draft_trip_for_invitation(work, draft, event.get("id"))


def engagement(event: dict[str, Any], part: dict[str, Any], officials: list[str], visit_id: Any,
               status: str | None) -> dict[str, Any]:
    """What trips keeps of a meeting, function or agenda item, or PoisonMessage when the event lacks it."""
    if any(name not in part for name in SEEN):
        raise PoisonMessage(f"{event.get('type')} {event.get('id')}: an engagement needs {', '.join(SEEN)}")
    marking = {name: value for name, value in (event.get("data") or {}).items() if name in MARKING_FIELDS}
    return {**{name: part[name] for name in SEEN}, "visit_id": visit_id, "officials": officials, "status": status,
            "time_zone": part.get("time_zone") or "UTC", "official_ids": part.get("official_ids", []), **marking}


def on_meeting(work: UnitOfWork, event: dict[str, Any]) -> None:
    data = event.get("data") or {}
    note_engagement(work, "meeting", engagement(event, data, [data.get("official", "")], data.get("visit_id"),
                                                data.get("status")), removed=False)


def on_function(work: UnitOfWork, event: dict[str, Any]) -> None:
    data = event.get("data") or {}
    note_engagement(work, "function", engagement(event, data, data.get("officials", []), data.get("visit_id"),
                                                 data.get("status")), removed=False)


def on_agenda_item(work: UnitOfWork, event: dict[str, Any]) -> None:
    data = event.get("data") or {}
    item = data.get("item") or {}
    note_engagement(work, "agenda-item", engagement(event, item, item.get("host_participants", []),
                                                    data.get("visit_id"), None),
                    removed=event.get("type", "").split(".")[3] == "removed")


def on_visit_cancelled(work: UnitOfWork, event: dict[str, Any]) -> None:
    data = event.get("data") or {}
    if "id" not in data:
        raise PoisonMessage(f"{VISIT_CANCELLED} {event.get('id')}: no visit id")
    note_visit_cancelled(work, data["id"])


# Engagements withheld too: their time is kept without their title (decision 0190).
SUBSCRIPTIONS = [Subscription(EVENTS, INVITATION_ACCEPTED, on_invitation_accepted),
                 Subscription(EVENTS, "chancery.visits.meeting.*.v1", on_meeting, withheld=True),
                 Subscription(EVENTS, "chancery.visits.function.*.v1", on_function, withheld=True),
                 Subscription(EVENTS, "chancery.visits.agenda-item.*.v1", on_agenda_item, withheld=True),
                 Subscription(EVENTS, VISIT_CANCELLED, on_visit_cancelled, withheld=True)]
