"""Protocol: the rank table, seating plans generated from precedence, and the flags a visit displays."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.visits.domain.delegation import DelegationRole
from services.visits.domain.protocol import DEFAULT_RANK_TABLE, Person, check_rank_table, level_of, precedence, seating
from services.visits.events import contents
from services.visits.operations.visits import open_visit
from services.visits.store.models import AgendaItem, DelegationMember, RankTable, SeatingPlan, Visit
from shared.db import find
from shared.kit.refusals import Invalid, require_version
from shared.uow import UnitOfWork

RANK_TABLE_ID = "current"


def stored_rank_table(session: Session) -> RankTable | None:
    return session.get(RankTable, RANK_TABLE_ID)


def rank_levels(session: Session) -> dict[str, int]:
    stored = stored_rank_table(session)
    return {rank["key"]: rank["level"] for rank in (stored.ranks if stored else DEFAULT_RANK_TABLE)}


def replace_rank_table(uow: UnitOfWork, ranks: list[dict[str, Any]], expected_version: frozenset[int] | None
                       ) -> RankTable:
    """The office's own rank table in place of the one in force (version 0 is the built-in table)."""
    check_rank_table(ranks)
    stored = stored_rank_table(uow.session)
    require_version(stored.version if stored else 0, expected_version)
    if stored is None:
        stored = RankTable(id=RANK_TABLE_ID, ranks=ranks, version=1, updated_by=uow.actor)
        uow.session.add(stored)
    else:
        stored.ranks, stored.version, stored.updated_by = ranks, stored.version + 1, uow.actor
    uow.record_change("rank-table", "replaced", stored, contents.rank_table, {"ranks": ranks})
    return stored


def person_of(member: DelegationMember) -> Person:
    return Person(name=member.name_latin, rank=member.rank, side="guest", member_id=member.id,
                  principal=member.role == DelegationRole.HEAD,
                  accompanying=member.role == DelegationRole.ACCOMPANYING)


def delegation(session: Session, visit_id: str) -> list[DelegationMember]:
    return list(session.scalars(select(DelegationMember).where(DelegationMember.visit_id == visit_id)))


def guests_for(session: Session, visit: Visit, guest_ids: list[str] | None) -> list[DelegationMember]:
    members = {m.id: m for m in delegation(session, visit.id)}
    if guest_ids is None:
        return [m for m in members.values() if m.role != DelegationRole.SECURITY]
    for position, guest_id in enumerate(guest_ids):
        if guest_id not in members:
            raise Invalid(f"guest_ids.{position}", f"{guest_id} is not in this visit's delegation")
    return [members[guest_id] for guest_id in dict.fromkeys(guest_ids)]


def hosts_for(hosts: list[dict[str, Any]], levels: dict[str, int]) -> list[Person]:
    """The hosts (name, rank, principal); without a principal named, the highest ranked is."""
    principals = [position for position, host in enumerate(hosts) if host["principal"]]
    if len(principals) > 1:
        raise Invalid("hosts", "at most one host is the principal")
    principal = principals[0] if principals else min(range(len(hosts)),
                                                      key=lambda position: level_of(hosts[position]["rank"], levels))
    return [Person(name=host["name"], rank=host["rank"], side="host", principal=position == principal)
            for position, host in enumerate(hosts)]


def seats_of(hosts: list[Person], guests: list[Person], levels: dict[str, int]) -> list[dict[str, Any]]:
    """The seats of a round table; without the head at the table, the first guest in precedence is principal."""
    if guests and not any(guest.principal for guest in guests):
        guests = precedence(guests, levels)
        guests[0] = Person(**{**guests[0].__dict__, "principal": True})
    return [{"seat": seat, "side": person.side, "name": person.name, "rank": person.rank,
             "member_id": person.member_id, "principal": person.principal}
            for seat, person in seating(hosts, guests, levels)]


def record_plan(uow: UnitOfWork, visit: Visit, plan: SeatingPlan, changes: dict[str, Any]) -> None:
    uow.record_change("seating-plan", "generated", plan, partial(contents.seating_plan, visit=visit), changes,
                      part_of=visit)


def generate_seating_plan(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]
                          ) -> SeatingPlan:
    """`fields`: title, agenda_item_id, hosts (name, rank, principal) and guest_ids (None: everyone but the
    security detail)."""
    visit = open_visit(uow.session, visit_id)
    if fields["agenda_item_id"]:
        find(uow.session, AgendaItem, fields["agenda_item_id"], "agenda item", visit_id=visit.id)
    levels = rank_levels(uow.session)
    guests = [person_of(m) for m in guests_for(uow.session, visit, fields["guest_ids"])]
    plan = SeatingPlan(visit_id=visit.id, agenda_item_id=fields["agenda_item_id"], title=fields["title"],
                       seats=seats_of(hosts_for(fields["hosts"], levels), guests, levels), version=1,
                       created_by=uow.actor)
    uow.session.add(plan)
    record_plan(uow, visit, plan, changes)
    return plan


def reseat_without(uow: UnitOfWork, visit: Visit, member: DelegationMember) -> list[str]:
    """Generate again every plan of the visit that seated `member`, without them: the same hosts, the other
    guests, precedence as it stands. Answers the ids of the plans that changed."""
    levels = rank_levels(uow.session)
    people = {m.id: m for m in delegation(uow.session, visit.id) if m.id != member.id}
    changed = []
    for plan in uow.session.scalars(select(SeatingPlan).where(SeatingPlan.visit_id == visit.id)):
        if not any(seat["member_id"] == member.id for seat in plan.seats):
            continue
        hosts = [Person(name=seat["name"], rank=seat["rank"], side="host", principal=seat["principal"])
                 for seat in plan.seats if seat["side"] == "host"]
        guests = [person_of(people[seat["member_id"]]) for seat in plan.seats
                  if seat["side"] == "guest" and seat["member_id"] in people]
        plan.seats, plan.version = seats_of(hosts, guests, levels), plan.version + 1
        record_plan(uow, visit, plan, {"reseated_without": member.id})
        changed.append(plan.id)
    return changed


def set_flags(uow: UnitOfWork, visit_id: str, flags: list[str], expected_version: frozenset[int] | None) -> Visit:
    """The flags to display, in order (duplicates dropped); the delegation's own is among them."""
    flags = list(dict.fromkeys(flags))
    visit = open_visit(uow.session, visit_id)
    require_version(visit.version, expected_version)
    if flags and visit.country not in flags:
        raise Invalid("flags", f"the delegation's flag ({visit.country}) must be displayed")
    visit.flags, visit.version = flags, visit.version + 1
    uow.session.flush()
    # The flags are part of the visit: the audit record is the visit's, the event the flags' own.
    uow.emit("chancery.visits.visit-flags.set.v1", visit.id, uow.marked(contents.visit_flags(visit), visit))
    uow.audit("visit-flags.set", "visit", visit.id, {"flags": flags})
    return visit
