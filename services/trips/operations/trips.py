"""Trip requests: asking for a trip, changing it and its travellers, and moving it along its approval chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.trips.domain.documents import (
    DocumentKind,
    DocumentsMissing,
    DocumentStatus,
    Papers,
    Recorded,
    missing_documents,
)
from services.trips.domain.invitation import TripDraft
from services.trips.domain.trip import (
    DECIDING_ACTIONS,
    STEP_APPROVED,
    TRAVEL_ORDER_REGISTRY,
    TRIP_LIFECYCLE,
    Approver,
    Step,
    TripStatus,
    approval_chain,
    awaiting_of,
    chain_of,
    check_dates,
    check_editable,
    decide,
    next_status,
    travel_order_number,
    travellers_of,
)
from services.trips.events import contents
from services.trips.operations.coordination import announce_coordination
from services.trips.operations.engagements import refuse_engagements
from services.trips.store.departments import readable_trips
from services.trips.store.models import Decision, Destination, Traveller, Trip, registry
from shared.db import viewer_of, visible_to
from shared.kit.refusals import NotFound, require_version
from shared.kit.withholding import MARKING
from shared.registry import next_in_registry
from shared.uow import UnitOfWork

COORDINATED = ("created", "updated", "reopened")  # the changes that may move a trip's city, dates or department


def find_trip(session: Session, trip_id: str, scope: str | None = None) -> Trip:
    """The trip, if a reader of `scope` may see it: another department's is not found (decision 0080), nor a
    withheld one the session's viewer may not know of (decision 0190)."""
    trip = session.scalar(select(Trip).where(Trip.id == trip_id, readable_trips(scope),
                                             visible_to(Trip, viewer_of(session))))
    if trip is None:
        raise NotFound("trip request", trip_id)
    return trip


def find_traveller(trip: Trip, traveller_id: str) -> Traveller:
    traveller = next((t for t in trip.travellers if t.id == traveller_id), None)
    if traveller is None:
        raise NotFound("traveller", traveller_id)
    return traveller


def record_trip_change(uow: UnitOfWork, trip: Trip, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("trip", action, trip, contents.trip, changes)
    if action in COORDINATED:
        announce_coordination(uow, trip)


def destinations(places: list[dict[str, Any]]) -> list[Destination]:
    return [Destination(position=index, country=place["country"], city=place["city"])
            for index, place in enumerate(places)]


def append_traveller(trip: Trip, traveller: dict[str, Any]) -> Traveller:
    position = max((existing.position for existing in trip.travellers), default=0) + 1
    row = Traveller(**traveller, position=position)
    trip.travellers.append(row)
    return row


def draft_trip(uow: UnitOfWork, fields: dict[str, Any], places: list[dict[str, Any]],
               travellers: list[dict[str, Any]], changes: dict[str, Any]) -> Trip:
    """A new draft request with its event and audit record: from staff, a decided proposal or an invitation."""
    # A new trip has no decisions: saying so spares its serialisation a lazy load (a query) of them.
    trip = Trip(**fields, destinations=destinations(places), decisions=[], status=TripStatus.DRAFT.value,
                version=1, created_by=uow.actor)
    for traveller in travellers:
        append_traveller(trip, traveller)
    uow.session.add(trip)
    record_trip_change(uow, trip, "created", changes)
    return trip


def draft_trip_for_invitation(uow: UnitOfWork, draft: TripDraft, event_id: str | None) -> Trip | None:
    """The draft an accepted invitation calls for, once per invitation whatever event brings it again."""
    existing = uow.session.scalar(select(Trip.id).where(Trip.invitation_id == draft.invitation_id))
    if existing is not None:
        return None
    return draft_trip(uow, draft.fields, [draft.place], [], {"invitation_id": draft.invitation_id,
                                                             "from_event": event_id})


def update_trip(uow: UnitOfWork, trip_id: str, fields: dict[str, Any], changes: dict[str, Any],
                expected_version: frozenset[int] | None) -> Trip:
    """Change a draft or returned request, or any request's marking alone; no fields change nothing (no new
    version, event or audit record)."""
    trip = find_trip(uow.session, trip_id)
    require_version(trip.version, expected_version)
    if not fields:
        return trip
    if not set(fields) <= set(MARKING):
        check_editable(TripStatus(trip.status))
    for name, value in fields.items():
        if name == "destinations":
            trip.destinations = destinations(value)
        else:
            setattr(trip, name, value)
    check_dates(trip.starts_on, trip.ends_on)
    trip.version += 1
    record_trip_change(uow, trip, "updated", changes)
    return trip


def add_traveller(uow: UnitOfWork, trip_id: str, traveller: dict[str, Any],
                  expected_version: frozenset[int] | None) -> tuple[Trip, Traveller]:
    trip = find_trip(uow.session, trip_id)
    require_version(trip.version, expected_version)
    check_editable(TripStatus(trip.status))
    row = append_traveller(trip, traveller)
    trip.version += 1
    record_trip_change(uow, trip, "updated", {"travellers": {"added": row.full_name}})
    return trip, row


def remove_traveller(uow: UnitOfWork, trip_id: str, traveller_id: str,
                     expected_version: frozenset[int] | None) -> Trip:
    trip = find_trip(uow.session, trip_id)
    require_version(trip.version, expected_version)
    traveller = find_traveller(trip, traveller_id)
    check_editable(TripStatus(trip.status))
    trip.travellers.remove(traveller)
    trip.version += 1
    record_trip_change(uow, trip, "updated", {"travellers": {"removed": traveller.full_name}})
    return trip


def change_traveller(uow: UnitOfWork, trip_id: str, traveller_id: str, fields: dict[str, Any],
                     audited: dict[str, Any], expected_version: frozenset[int] | None) -> Trip:
    """Change a traveller's part of a draft or returned request (its category and department decide the chain)."""
    trip = find_trip(uow.session, trip_id)
    require_version(trip.version, expected_version)
    traveller = find_traveller(trip, traveller_id)
    check_editable(TripStatus(trip.status))
    if fields:
        for name, value in fields.items():
            setattr(traveller, name, value)
        trip.version += 1
        record_trip_change(uow, trip, "updated", {"travellers": {"changed": traveller.id, **audited}})
    return trip


def move_trip(uow: UnitOfWork, trip_id: str, action: str, reason: str | None,
              expected_version: frozenset[int] | None, scope: str | None = None,
              override_reason: str | None = None) -> Trip:
    """Take a lifecycle action; approving and sending back decide the awaited step of the chain, by its
    approver only (NotTheApprover). A trip becoming approved is refused over a traveller's engagement in visits
    on its days (OfficialBusy) unless `override_reason` says why, audited (decision 0131)."""
    trip = find_trip(uow.session, trip_id, scope)
    require_version(trip.version, expected_version)
    previous = trip.status
    event_action = decide_step(uow, trip, action, reason) if action in DECIDING_ACTIONS else \
        take_action(uow, trip, action, reason)
    if trip.status == TripStatus.APPROVED and previous != TripStatus.APPROVED:
        refuse_engagements(uow, trip, override_reason)
    trip.status_reason, trip.version = reason, trip.version + 1
    record_trip_change(uow, trip, event_action, {"status": [previous, trip.status], "reason": reason,
                                                 "awaiting": trip.awaiting,
                                                 "awaiting_department": trip.awaiting_department})
    return trip


def decide_step(uow: UnitOfWork, trip: Trip, action: str, reason: str | None) -> str:
    """Approve or send back the awaited step; the event action it leads to."""
    target, next_step = decide(TripStatus(trip.status), action, chain_of(trip), awaiting_of(trip),
                               Approver(uow.roles, uow.department), reason)
    if target == TripStatus.APPROVED:
        require_documents(trip)
    trip.decisions.append(Decision(step=trip.awaiting, department=trip.awaiting_department, comments=reason,
                                   outcome="approved" if action == "approve" else "sent-back",
                                   decided_by=uow.actor))
    await_step(trip, next_step)
    trip.status = target.value
    return STEP_APPROVED if next_step else TRIP_LIFECYCLE.past_tense(action)


def take_action(uow: UnitOfWork, trip: Trip, action: str, reason: str | None) -> str:
    """Any other action; submitting fixes the approval chain and registers the travel order."""
    target = next_status(TripStatus(trip.status), action, reason)
    if action == "submit":
        chain = approval_chain(travellers_of(trip))
        trip.approval_chain = ",".join(dict.fromkeys(step.role.value for step in chain))
        await_step(trip, chain[0])
        register_travel_order(uow, trip)
    elif target != TripStatus.SUBMITTED:
        await_step(trip, None)
    trip.status = target.value
    return TRIP_LIFECYCLE.past_tense(action)


def await_step(trip: Trip, step: Step | None) -> None:
    trip.awaiting = step.role.value if step else None
    trip.awaiting_department = step.department if step else None


def register_travel_order(uow: UnitOfWork, trip: Trip) -> None:
    """The first submission registers the travel order: the next number of the year, kept ever after."""
    if trip.travel_order_number is None:
        year = uow.now().year
        trip.travel_order_number = travel_order_number(year, next_in_registry(uow.session, registry,
                                                                              TRAVEL_ORDER_REGISTRY, year))


def papers_of(traveller: Traveller) -> Papers:
    recorded = {DocumentKind(d.kind): Recorded(DocumentStatus(d.status), d.valid_until) for d in traveller.documents}
    return Papers(traveller.id, traveller.passport_number is not None, traveller.passport_expires_on, recorded)


def trip_missing_documents(trip: Trip) -> list[dict[str, str]]:
    return missing_documents([papers_of(traveller) for traveller in trip.travellers], trip.ends_on)


def require_documents(trip: Trip) -> None:
    """An international trip is approved for departure only with every traveller's documents in order."""
    missing = trip_missing_documents(trip)
    if missing:
        raise DocumentsMissing(missing, TRIP_LIFECYCLE.allowed_actions(trip.status))


def record_refused_decision(uow: UnitOfWork, trip_id: str, action: str, awaiting: Step | None) -> None:
    """A decision by someone the awaited step is not for is kept in the audit trail, also when the trip is
    another department's and so not found (decision 0080)."""
    if uow.session.get(Trip, trip_id) is not None:
        uow.audit("trip.decision-refused", "trip", trip_id, {
            "action": action, "awaiting": awaiting.role.value if awaiting else None,
            "awaiting_department": awaiting.department if awaiting else None, "actor_department": uow.department})
