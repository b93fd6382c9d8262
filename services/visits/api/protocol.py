"""Protocol: the rank table, a delegation's order of precedence and forms of address, seating plans, flags."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.visits.api.common import READERS, WRITERS
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
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.delegation import DelegationRole
from services.visits.domain.protocol import DEFAULT_RANK_TABLE, LANGUAGES, form_of_address, precedence
from services.visits.operations import protocol as operations
from services.visits.operations.protocol import delegation, person_of, stored_rank_table
from services.visits.operations.visits import find_visit
from services.visits.store.models import SeatingPlan, Visit
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Items, created, etag, idempotent, json_response
from shared.http.work import read_only, unit_of_work

protocol_api = APIBlueprint("protocol", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name="protocol", description="Precedence, seating, address, flags")])


def rank_table(session: Session) -> RankTableOut:
    stored = stored_rank_table(session)
    if stored is None:
        return RankTableOut(ranks=DEFAULT_RANK_TABLE, version=0, updated_by=None, updated_at=None)
    return RankTableOut(ranks=stored.ranks, version=stored.version, updated_by=stored.updated_by,
                        updated_at=stored.updated_at)


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
    with unit_of_work() as uow:
        operations.replace_rank_table(uow, [rank.model_dump() for rank in body.ranks], if_match())
        table = rank_table(uow.session)
    return json_response(table, headers={"ETag": etag(table.version)})


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
    ordered = precedence([person_of(m) for m in members.values()], {rank.key: rank.level for rank in table.ranks})
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


@protocol_api.post("/visits/<visit_id>/seating-plans",
                   summary="Generate a seating plan from precedence: principals fixed, hosts and guests alternating",
                   responses={201: SeatingPlanOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def generate_seating_plan(path: VisitPath, body: SeatingPlanCreate):
    with unit_of_work() as uow:
        plan = operations.generate_seating_plan(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        answer = SeatingPlanOut.model_validate(plan).model_dump(mode="json")
        return created(uow, answer, f"/api/v1/visits/{path.visit_id}/seating-plans/{plan.id}", plan.version)


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


def flags_response(visit: Visit):
    return record_response({"flags": visit.flags or [], "version": visit.version}, visit.version)


@protocol_api.get("/visits/<visit_id>/flags", summary="The flags to display, in order",
                  responses={200: FlagsOut, **problem_responses(404)})
@allow(*READERS)
def get_flags(path: VisitPath):
    with read_only() as session:
        return flags_response(find_visit(session, path.visit_id))


@protocol_api.put("/visits/<visit_id>/flags", summary="Set the flags to display (send If-Match)",
                  responses={200: FlagsOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def set_flags(path: VisitPath, body: FlagsIn):
    with unit_of_work() as uow:
        visit = operations.set_flags(uow, path.visit_id, body.flags, if_match())
        return flags_response(visit)
