"""A visit's programme: agenda items, refused when they would put someone or a venue in two places."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select

from services.visits.domain.programme import check_span, local, normalized, to_utc, zone
from services.visits.events import contents
from services.visits.operations.engagements import agenda_slot, refuse_clashes
from services.visits.operations.officials import names_of
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import open_visit
from services.visits.store.models import AgendaItem, AgendaParticipant, DelegationMember, Visit
from shared.kit.ids import new_id
from shared.kit.refusals import Invalid
from shared.uow import UnitOfWork

TIMES = ("starts_at", "ends_at")
PEOPLE = ("host_participants", "guest_participants")
HOSTS = ("host_participants", "host_official_ids")  # the host side's officials by name, and by id (decision 0192)
OVERRIDE = "override_reason"  # places an official a trip holds abroad, audited (decision 0131)


def record_item_change(uow: UnitOfWork, visit: Visit, item: AgendaItem, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("agenda-item", action, item, partial(contents.agenda_item, visit=visit), changes,
                      part_of=visit)


def check_guests(uow: UnitOfWork, visit: Visit, guests: list[str]) -> None:
    known = set(uow.session.scalars(select(DelegationMember.id).where(
        DelegationMember.visit_id == visit.id, DelegationMember.id.in_(guests))))
    for position, guest in enumerate(guests):
        if guest not in known:
            raise Invalid(f"guest_participants.{position}", f"{guest} is not in this visit's delegation")


def set_participants(item: AgendaItem, officials: list[str], guests: list[str]) -> None:
    item.participants = [
        *(AgendaParticipant(side="host", official=name, official_key=normalized(name), position=position)
          for position, name in enumerate(dict.fromkeys(officials))),
        *(AgendaParticipant(side="guest", member_id=member_id, position=len(officials) + position)
          for position, member_id in enumerate(dict.fromkeys(guests))),
    ]


def place(uow: UnitOfWork, visit: Visit, item: AgendaItem, local_times: dict[str, datetime],
          override_reason: str | None) -> None:
    """Set the item's UTC times from the venue's wall-clock times, and check them against the visit's days."""
    zone(item.time_zone)
    item.starts_at = to_utc(local_times["starts_at"], item.time_zone, "starts_at")
    item.ends_at = to_utc(local_times["ends_at"], item.time_zone, "ends_at")
    check_span(item.starts_at, item.ends_at, visit.starts_on, visit.ends_on, item.time_zone)
    item.venue_key = normalized(item.venue) if item.venue else None
    refuse_clashes(uow, agenda_slot(item), item.time_zone, override_reason)


def find_item(uow: UnitOfWork, visit: Visit, item_id: str, expected_version: frozenset[int] | None) -> AgendaItem:
    return find_current(uow.session, AgendaItem, item_id, "agenda item", expected_version, visit_id=visit.id)


def schedule_item(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> AgendaItem:
    visit = open_visit(uow.session, visit_id)
    check_guests(uow, visit, fields["guest_participants"])
    fields = dict(fields)
    names_of(uow.session, fields, *HOSTS)
    item = AgendaItem(visit_id=visit.id, id=new_id(), version=1,
                      **{name: value for name, value in fields.items() if name not in (*TIMES, *PEOPLE, OVERRIDE)})
    set_participants(item, fields["host_participants"], fields["guest_participants"])
    place(uow, visit, item, {name: fields[name] for name in TIMES}, fields.get(OVERRIDE))
    uow.session.add(item)
    record_item_change(uow, visit, item, "scheduled", changes)
    return item


def update_item(uow: UnitOfWork, visit_id: str, item_id: str, fields: dict[str, Any], changes: dict[str, Any],
                expected_version: frozenset[int] | None) -> AgendaItem:
    """Change or move an item; times not sent keep their wall-clock time at the (perhaps new) venue's zone."""
    visit = open_visit(uow.session, visit_id)
    item = find_item(uow, visit, item_id, expected_version)
    if not fields:
        return item
    fields = dict(fields)
    names_of(uow.session, fields, *HOSTS)
    if "guest_participants" in fields:
        check_guests(uow, visit, fields["guest_participants"])
    local_times = {name: fields.pop(name, None) or local(getattr(item, name), item.time_zone).replace(tzinfo=None)
                   for name in TIMES}
    override_reason = fields.pop(OVERRIDE, None)
    officials = fields.pop("host_participants", item.host_participants)
    guests = fields.pop("guest_participants", item.guest_participants)
    set_fields(item, fields)
    set_participants(item, officials, guests)
    place(uow, visit, item, local_times, override_reason)
    item.version += 1
    record_item_change(uow, visit, item, "updated", changes)
    return item


def remove_item(uow: UnitOfWork, visit_id: str, item_id: str, expected_version: frozenset[int] | None) -> None:
    visit = open_visit(uow.session, visit_id)
    item = find_item(uow, visit, item_id, expected_version)
    record_item_change(uow, visit, item, "removed", {"title": item.title})
    uow.session.delete(item)
