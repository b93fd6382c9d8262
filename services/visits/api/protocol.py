"""Protocol: the rank table, a delegation's order of precedence and forms of address, seating plans, flags."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.visits.api import protocol_schemas as schemas
from services.visits.api.common import READERS, WRITERS
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.delegation import DelegationRole
from services.visits.domain.protocol import DEFAULT_RANK_TABLE, LANGUAGES, form_of_address, precedence
from services.visits.operations import protocol as operations
from services.visits.operations.protocol import delegation, person_of, stored_rank_table
from services.visits.operations.visits import find_visit
from services.visits.store.models import SeatingPlan, Visit
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Items, etag, json_response
from shared.http.views import Resource, blueprint, fields
from shared.http.work import read_only, unit_of_work

protocol_api = blueprint("protocol", __name__, "Precedence, seating, address, flags")


def rank_table(session: Session) -> schemas.RankTableOut:
    stored = stored_rank_table(session)
    if stored is None:
        return schemas.RankTableOut(ranks=DEFAULT_RANK_TABLE, version=0, updated_by=None, updated_at=None)
    return schemas.RankTableOut(ranks=stored.ranks, version=stored.version, updated_by=stored.updated_by,
                        updated_at=stored.updated_at)


def ranks_by_key(table: schemas.RankTableOut) -> dict[str, dict]:
    return {rank.key: rank.model_dump() for rank in table.ranks}


@protocol_api.get("/protocol/rank-table", summary="The rank table that orders precedence and forms of address",
                  responses={200: schemas.RankTableOut})
@allow(*READERS)
def get_rank_table():
    with read_only() as session:
        table = rank_table(session)
    return json_response(table, headers={"ETag": etag(table.version)})


@protocol_api.put("/protocol/rank-table", summary="Replace the rank table (send If-Match)",
                  responses={200: schemas.RankTableOut, **problem_responses(412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def replace_rank_table(body: schemas.RankTableIn):
    with unit_of_work() as uow:
        operations.replace_rank_table(uow, [rank.model_dump() for rank in body.ranks], if_match())
        table = rank_table(uow.session)
    return json_response(table, headers={"ETag": etag(table.version)})


@protocol_api.get("/visits/<visit_id>/precedence",
                  summary="The delegation in order of precedence, with how to address each person in en/ru/bg",
                  responses={200: schemas.PrecedenceOut, **problem_responses(404)})
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


@protocol_api.get("/visits/<visit_id>/seating-plans", summary="The visit's seating plans",
                  responses={200: Items[schemas.SeatingPlanOut], **problem_responses(404)})
@allow(*READERS)
def list_seating_plans(path: VisitPath):
    with read_only() as session:
        find_visit(session, path.visit_id)
        plans = session.scalars(select(SeatingPlan).where(SeatingPlan.visit_id == path.visit_id)
                                .order_by(SeatingPlan.created_at, SeatingPlan.id))
        return json_response({"items": [PLANS.data(plan) for plan in plans]})


PLANS = Resource(protocol_api, "/visits/<visit_id>/seating-plans", "plan_id", SeatingPlan, schemas.SeatingPlanOut,
                 READERS,
                 WRITERS, label="seating plan")
PLANS.create("generate_seating_plan",
             "Generate a seating plan from precedence: principals fixed, hosts and guests alternating",
             schemas.SeatingPlanCreate, fields(operations.generate_seating_plan), path=VisitPath, problems=(404, 409))
PLANS.read("get_seating_plan", "Read a seating plan", schemas.SeatingPlanPath)


def flags_response(visit: Visit):
    return record_response({"flags": visit.flags or [], "version": visit.version}, visit.version)


@protocol_api.get("/visits/<visit_id>/flags", summary="The flags to display, in order",
                  responses={200: schemas.FlagsOut, **problem_responses(404)})
@allow(*READERS)
def get_flags(path: VisitPath):
    with read_only() as session:
        return flags_response(find_visit(session, path.visit_id))


@protocol_api.put("/visits/<visit_id>/flags", summary="Set the flags to display (send If-Match)",
                  responses={200: schemas.FlagsOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def set_flags(path: VisitPath, body: schemas.FlagsIn):
    with unit_of_work() as uow:
        visit = operations.set_flags(uow, path.visit_id, body.flags, if_match())
        return flags_response(visit)
