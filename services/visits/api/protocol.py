"""Protocol: the rank table, a delegation's order of precedence and forms of address, seating plans, flags."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.visits.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    find,
    find_visit,
    invalid,
    open_visit,
)
from services.visits.api.protocol_schemas import (
    FlagsIn,
    FlagsOut,
    PrecedenceOut,
    RankTableIn,
    RankTableOut,
    SeatingPlanCreate,
    SeatingPlanOut,
    SeatingPlanPath,
)
from services.visits.api.schemas import VisitPath
from services.visits.domain.delegation import DelegationRole
from services.visits.domain.protocol import (
    DEFAULT_RANK_TABLE,
    LANGUAGES,
    Person,
    RankTableInvalid,
    check_rank_table,
    form_of_address,
    level_of,
    precedence,
    seating,
)
from services.visits.store.models import AgendaItem, DelegationMember, RankTable, SeatingPlan, Visit
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import Items, created, etag, idempotent, json_response, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

protocol_api = APIBlueprint("protocol", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="protocol", description="Precedence, seating, address, flags")])
RANK_TABLE_ID = "current"


def rank_table(session: Session) -> RankTableOut:
    stored = session.get(RankTable, RANK_TABLE_ID)
    if stored is None:
        return RankTableOut(ranks=DEFAULT_RANK_TABLE, version=0, updated_by=None, updated_at=None)
    return RankTableOut(ranks=stored.ranks, version=stored.version, updated_by=stored.updated_by,
                        updated_at=stored.updated_at)


def rank_levels(table: RankTableOut) -> dict[str, int]:
    return {rank.key: rank.level for rank in table.ranks}


def ranks_by_key(table: RankTableOut) -> dict[str, dict]:
    return {rank.key: rank.model_dump() for rank in table.ranks}


@protocol_api.get("/protocol/rank-table", summary="The rank table that orders precedence and forms of address",
                  responses={200: RankTableOut})
@allow(*READERS)
def get_rank_table():
    with read_only() as session:
        table = rank_table(session)
    return json_response(table, headers={"ETag": etag(table.version)})


@protocol_api.put("/protocol/rank-table", summary="Replace the rank table (send If-Match)",
                  responses={200: RankTableOut, **problem_responses(412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def replace_rank_table(body: RankTableIn):
    ranks = [rank.model_dump() for rank in body.ranks]
    try:
        check_rank_table(ranks)
    except RankTableInvalid as error:
        raise invalid(error.field, str(error)) from error
    with unit_of_work() as uow:
        stored = uow.session.get(RankTable, RANK_TABLE_ID)
        require_fresh(stored.version if stored else 0)
        if stored is None:
            stored = RankTable(id=RANK_TABLE_ID, ranks=ranks, version=1, updated_by=uow.actor)
            uow.session.add(stored)
        else:
            stored.ranks, stored.version, stored.updated_by = ranks, stored.version + 1, uow.actor
        uow.session.flush()
        uow.emit("chancery.visits.rank-table.replaced.v1", RANK_TABLE_ID,
                 {"ranks": [rank["key"] for rank in ranks], "version": stored.version})
        uow.audit("rank-table.replaced", "rank-table", RANK_TABLE_ID, {"ranks": ranks})
        table = rank_table(uow.session)
    return json_response(table, headers={"ETag": etag(table.version)})


def person_of(member: DelegationMember) -> Person:
    return Person(name=member.name_latin, rank=member.rank, side="guest", member_id=member.id,
                  principal=member.role == DelegationRole.HEAD,
                  accompanying=member.role == DelegationRole.ACCOMPANYING)


def delegation(session: Session, visit_id: str) -> list[DelegationMember]:
    return list(session.scalars(select(DelegationMember).where(DelegationMember.visit_id == visit_id)))


@protocol_api.get("/visits/<visit_id>/precedence",
                  summary="The delegation in order of precedence, with how to address each person in en/ru/bg",
                  responses={200: PrecedenceOut, **problem_responses(404)})
@allow(*READERS)
def get_precedence(path: VisitPath):
    with read_only() as session:
        find_visit(session, path.visit_id)
        table = rank_table(session)
        members = {m.id: m for m in delegation(session, path.visit_id) if m.role != DelegationRole.SECURITY}
    ranks = ranks_by_key(table)
    ordered = precedence([person_of(m) for m in members.values()], rank_levels(table))
    items = []
    for position, person in enumerate(ordered, start=1):
        member = members[person.member_id]
        rank = ranks.get(member.rank or "")
        items.append({
            "position": position, "member_id": member.id, "role": member.role, "name_original": member.name_original,
            "name_latin": member.name_latin, "rank": member.rank, "rank_label": rank["labels"]["en"] if rank else None,
            "level": rank["level"] if rank else None,
            "address": {language: form_of_address(person, language, ranks, member.name_original)
                        for language in LANGUAGES}})
    return json_response({"items": items})


def guests_for(session: Session, visit: Visit, guest_ids: list[str] | None) -> list[DelegationMember]:
    members = {m.id: m for m in delegation(session, visit.id)}
    if guest_ids is None:
        return [m for m in members.values() if m.role != DelegationRole.SECURITY]
    for position, guest_id in enumerate(guest_ids):
        if guest_id not in members:
            raise invalid(f"guest_ids.{position}", f"{guest_id} is not in this visit's delegation")
    return [members[guest_id] for guest_id in dict.fromkeys(guest_ids)]


def hosts_for(body: SeatingPlanCreate, levels: dict[str, int]) -> list[Person]:
    principals = [host for host in body.hosts if host.principal]
    if len(principals) > 1:
        raise invalid("hosts", "at most one host is the principal")
    principal = principals[0] if principals else min(body.hosts, key=lambda h: level_of(h.rank, levels))
    return [Person(name=host.name, rank=host.rank, side="host", principal=host is principal) for host in body.hosts]


def seats_of(hosts: list[Person], guests: list[Person], levels: dict[str, int]) -> list[dict]:
    """The seats of a round table; without the head at the table, the first guest in precedence is principal."""
    if guests and not any(guest.principal for guest in guests):
        guests = precedence(guests, levels)
        guests[0] = Person(**{**guests[0].__dict__, "principal": True})
    return [{"seat": seat, "side": person.side, "name": person.name, "rank": person.rank,
             "member_id": person.member_id, "principal": person.principal}
            for seat, person in seating(hosts, guests, levels)]


def emit_plan(uow: UnitOfWork, visit: Visit, plan: SeatingPlan, changes: dict) -> None:
    uow.session.flush()
    uow.emit("chancery.visits.seating-plan.generated.v1", plan.id, {
        "visit_id": visit.id, "partner_id": visit.partner_id, "country": visit.country,
        "plan": {"id": plan.id, "title": plan.title, "agenda_item_id": plan.agenda_item_id,
                 "seats": len(plan.seats), "version": plan.version}})
    uow.audit("seating-plan.generated", "seating-plan", plan.id, changes)


def reseat_without(uow: UnitOfWork, visit: Visit, member: DelegationMember) -> list[str]:
    """Generate again every plan of the visit that seated `member`, without them: the same hosts, the other
    guests, precedence as it stands. Answers the ids of the plans that changed."""
    levels = rank_levels(rank_table(uow.session))
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
        emit_plan(uow, visit, plan, {"reseated_without": member.id})
        changed.append(plan.id)
    return changed


@protocol_api.post("/visits/<visit_id>/seating-plans",
                   summary="Generate a seating plan from precedence: principals fixed, hosts and guests alternating",
                   responses={201: SeatingPlanOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def generate_seating_plan(path: VisitPath, body: SeatingPlanCreate):
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        if body.agenda_item_id:
            find(uow.session, AgendaItem, body.agenda_item_id, "agenda item", visit_id=visit.id)
        levels = rank_levels(rank_table(uow.session))
        guests = [person_of(m) for m in guests_for(uow.session, visit, body.guest_ids)]
        plan = SeatingPlan(visit_id=visit.id, agenda_item_id=body.agenda_item_id, title=body.title,
                           seats=seats_of(hosts_for(body, levels), guests, levels), version=1, created_by=uow.actor)
        uow.session.add(plan)
        emit_plan(uow, visit, plan, body.model_dump(mode="json"))
        answer = SeatingPlanOut.model_validate(plan).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/visits/{visit.id}/seating-plans/{plan.id}", plan.version)


@protocol_api.get("/visits/<visit_id>/seating-plans", summary="The visit's seating plans",
                  responses={200: Items[SeatingPlanOut], **problem_responses(404)})
@allow(*READERS)
def list_seating_plans(path: VisitPath):
    with read_only() as session:
        find_visit(session, path.visit_id)
        plans = session.scalars(select(SeatingPlan).where(SeatingPlan.visit_id == path.visit_id)
                                .order_by(SeatingPlan.created_at, SeatingPlan.id))
        return json_response({"items": [SeatingPlanOut.model_validate(p).model_dump(mode="json") for p in plans]})


@protocol_api.get("/visits/<visit_id>/seating-plans/<plan_id>", summary="Read a seating plan",
                  responses={200: SeatingPlanOut, **problem_responses(404)})
@allow(*READERS)
def get_seating_plan(path: SeatingPlanPath):
    with read_only() as session:
        plan = find(session, SeatingPlan, path.plan_id, "seating plan", visit_id=path.visit_id)
        return json_response(SeatingPlanOut.model_validate(plan), headers={"ETag": etag(plan.version)})


@protocol_api.get("/visits/<visit_id>/flags", summary="The flags to display, in order",
                  responses={200: FlagsOut, **problem_responses(404)})
@allow(*READERS)
def get_flags(path: VisitPath):
    with read_only() as session:
        visit = find_visit(session, path.visit_id)
        return json_response({"flags": visit.flags or [], "version": visit.version},
                             headers={"ETag": etag(visit.version)})


@protocol_api.put("/visits/<visit_id>/flags", summary="Set the flags to display (send If-Match)",
                  responses={200: FlagsOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def set_flags(path: VisitPath, body: FlagsIn):
    flags = list(dict.fromkeys(body.flags))
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        require_fresh(visit.version)
        if flags and visit.country not in flags:
            raise invalid("flags", f"the delegation's flag ({visit.country}) must be displayed")
        visit.flags, visit.version = flags, visit.version + 1
        uow.session.flush()
        uow.emit("chancery.visits.visit-flags.set.v1", visit.id, {
            "visit_id": visit.id, "partner_id": visit.partner_id, "country": visit.country, "flags": flags,
            "version": visit.version})
        uow.audit("visit-flags.set", "visit", visit.id, {"flags": flags})
        return json_response({"flags": flags, "version": visit.version}, headers={"ETag": etag(visit.version)})
