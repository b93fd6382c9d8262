"""An invitation to the mayor accepted in visits, read as the draft of a trip abroad (contract in
docs/decisions/0023)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.trips.domain.budget import DEFAULT_BUDGET_CURRENCY
from services.trips.domain.trip import Funding

# Invitations are addressed to the mayor, so the mayor's office owns the trips they lead to; travel staff
# complete the draft (travellers, funding) before submitting it.
INVITATION_DEPARTMENT = "Office of the Mayor"


class MalformedInvitation(ValueError):
    pass


@dataclass(frozen=True)
class TripDraft:
    invitation_id: str
    fields: dict[str, Any]
    place: dict[str, str]


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise MalformedInvitation(f"{name} is missing or not text")
    return value.strip()[:limit]


def _date(data: dict, name: str) -> date:
    try:
        return date.fromisoformat(data[name])
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedInvitation(f"{name} is not an ISO date") from error


def draft_from_invitation(data: Any) -> TripDraft | None:
    """The trip an accepted invitation calls for, or None when the event takes place in the city."""
    if not isinstance(data, dict):
        raise MalformedInvitation("the event data is not an object")
    if data.get("location") != "abroad":
        return None
    country = _text(data, "country", 2)
    if len(country) != 2 or not country.isascii() or not country.isupper():
        raise MalformedInvitation("country is not an ISO 3166-1 alpha-2 code")
    starts_on, ends_on = _date(data, "starts_on"), _date(data, "ends_on")
    if ends_on < starts_on:
        raise MalformedInvitation("ends_on is before starts_on")
    title, inviting_party = _text(data, "title", 250), _text(data, "inviting_party", 300)
    official = data.get("assigned_official") or "not yet assigned"
    partner_id, invitation_id = data.get("partner_id"), _text(data, "id", 36)
    fields = {
        "title": f"Invitation: {title}",
        "purpose": f"{title}. Invited by {inviting_party}; the official assigned: {official}.",
        "department": INVITATION_DEPARTMENT, "starts_on": starts_on, "ends_on": ends_on,
        "host": inviting_party, "invitation_id": invitation_id, "funding": Funding.CITY.value,
        "partner_id": partner_id[:36] if isinstance(partner_id, str) and partner_id else None,
        "budget_currency": DEFAULT_BUDGET_CURRENCY,
    }
    return TripDraft(invitation_id, fields, {"country": country, "city": _text(data, "city", 200)})
