"""A visit's delegation: its people one by one, with one head, taken off the programme and seating when removed."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select

from services.visits.domain.delegation import DelegationRole, ensure_single_head
from services.visits.domain.visa_letters import LetterStatus
from services.visits.events import contents
from services.visits.operations.programme import record_item_change
from services.visits.operations.protocol import reseat_without
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import open_visit
from services.visits.store.models import AgendaItem, AgendaParticipant, DelegationMember, VisaLetter, Visit
from shared.kit.refusals import Conflict
from shared.uow import UnitOfWork


def record_member_change(uow: UnitOfWork, visit: Visit, member: DelegationMember, action: str,
                         changes: dict[str, Any], removed_from: dict[str, list[str]] | None = None) -> None:
    uow.record_change("delegation-member", action, member,
                      partial(contents.delegation_member, visit=visit, removed_from=removed_from), changes,
                      part_of=visit)


def check_single_head(uow: UnitOfWork, visit: Visit, role: DelegationRole, member_id: str | None) -> None:
    others = uow.session.execute(select(DelegationMember.id, DelegationMember.role).where(
        DelegationMember.visit_id == visit.id, DelegationMember.id != (member_id or ""))).all()
    ensure_single_head(role, others)


def find_member(uow: UnitOfWork, visit: Visit, member_id: str, expected_version: frozenset[int] | None
                ) -> DelegationMember:
    return find_current(uow.session, DelegationMember, member_id, "member", expected_version, visit_id=visit.id)


def add_member(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> DelegationMember:
    visit = open_visit(uow.session, visit_id)
    check_single_head(uow, visit, fields["role"], None)
    member = DelegationMember(visit_id=visit.id, **fields, version=1)
    uow.session.add(member)
    record_member_change(uow, visit, member, "added", changes)
    return member


def update_member(uow: UnitOfWork, visit_id: str, member_id: str, fields: dict[str, Any], changes: dict[str, Any],
                  expected_version: frozenset[int] | None) -> DelegationMember:
    visit = open_visit(uow.session, visit_id)
    member = find_member(uow, visit, member_id, expected_version)
    if not fields:
        return member
    if "role" in fields:
        check_single_head(uow, visit, DelegationRole(fields["role"]), member.id)
    set_fields(member, fields)
    member.version += 1
    record_member_change(uow, visit, member, "updated", changes)
    return member


def keep_issued_letters(uow: UnitOfWork, member: DelegationMember) -> None:
    """An issued visa letter is a registry record in the mayor's name: the person it names stays."""
    issued = [number for number in uow.session.scalars(select(VisaLetter.registry_number).where(
        VisaLetter.member_id == member.id, VisaLetter.status == LetterStatus.ISSUED.value)) if number]
    if issued:
        raise Conflict(f"{', '.join(issued)} names them; the register keeps its letters",
                       slug="member-has-issued-letter",
                       registry_numbers=issued)


def take_off_programme(uow: UnitOfWork, visit: Visit, member: DelegationMember) -> list[str]:
    """Take the person off every agenda item they were in, each with its `agenda-item.updated`."""
    items = uow.session.scalars(select(AgendaItem).where(AgendaItem.id.in_(
        select(AgendaParticipant.item_id).where(AgendaParticipant.member_id == member.id)))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).all()
    for item in items:
        item.participants = [p for p in item.participants if p.member_id != member.id]
        item.version += 1
        record_item_change(uow, visit, item, "updated", {"guest_removed": member.id})
    return [item.id for item in items]


def remove_member(uow: UnitOfWork, visit_id: str, member_id: str, expected_version: frozenset[int] | None) -> None:
    """Take a person off the delegation, its programme and its seating plans."""
    visit = open_visit(uow.session, visit_id)
    member = find_member(uow, visit, member_id, expected_version)
    keep_issued_letters(uow, member)
    removed_from = {"agenda_item_ids": take_off_programme(uow, visit, member),
                    "seating_plan_ids": reseat_without(uow, visit, member)}
    record_member_change(uow, visit, member, "removed",
                         {"name_latin": member.name_latin, "role": member.role, **removed_from}, removed_from)
    uow.session.delete(member)
