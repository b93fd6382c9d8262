"""A visit's delegation as one unit, and its people one by one."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import READERS, WRITERS
from services.visits.api.delegation_schemas import (
    DelegationOut,
    MemberCreate,
    MemberOut,
    MemberPath,
    MemberQuery,
    MemberUpdate,
)
from services.visits.api.visit_schemas import VisitOut, VisitPath
from services.visits.domain.delegation import DelegationRole
from services.visits.operations import delegation as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import DelegationMember
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by, where_set
from shared.http.work import read_only, unit_of_work

delegation_api = APIBlueprint("delegation", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                              abp_responses=problem_responses(401, 403, 422),
                              abp_tags=[Tag(name="delegation", description="The delegation of a visit as one unit")])


def serialize(member: DelegationMember) -> dict:
    return MemberOut.model_validate(member).model_dump(mode="json")


def member_response(member: DelegationMember):
    return record_response(serialize(member), member.version)


@delegation_api.post("/visits/<visit_id>/members", summary="Add a person to the delegation",
                     responses={201: MemberOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_member(path: VisitPath, body: MemberCreate):
    with unit_of_work() as uow:
        member = operations.add_member(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, serialize(member), f"/api/v1/visits/{path.visit_id}/members/{member.id}",
                       member.version)


@delegation_api.get("/visits/<visit_id>/members", summary="List the people of the delegation",
                    responses={200: Page[MemberOut], **problem_responses(404)})
@allow(*READERS)
def list_members(path: VisitPath, query: MemberQuery):
    statement = select(DelegationMember).where(DelegationMember.visit_id == path.visit_id)
    statement = where_set(statement, DelegationMember, query, ("role", "country"))
    statement = sort_by(statement, query.sort, DelegationMember,
                        ("name_latin", "role", "country", "rank", "created_at"),
                        [DelegationMember.created_at, DelegationMember.id])
    with read_only() as session:
        find_visit(session, path.visit_id)
        return json_response(paginate(session, statement, query, serialize))


@delegation_api.get("/visits/<visit_id>/members/<member_id>", summary="Read a person of the delegation",
                    responses={200: MemberOut, **problem_responses(404)})
@allow(*READERS)
def get_member(path: MemberPath):
    with read_only() as session:
        member = find(session, DelegationMember, path.member_id, "member", visit_id=path.visit_id)
        return member_response(member)


@delegation_api.patch("/visits/<visit_id>/members/<member_id>",
                      summary="Change a person of the delegation (send If-Match)",
                      responses={200: MemberOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_member(path: MemberPath, body: MemberUpdate):
    with unit_of_work() as uow:
        member = operations.update_member(uow, path.visit_id, path.member_id, body.model_dump(exclude_unset=True),
                                          body.model_dump(mode="json", exclude_unset=True), if_match())
        return member_response(member)


@delegation_api.delete("/visits/<visit_id>/members/<member_id>",
                       summary="Take a person off the delegation, its programme and seating plans (send If-Match)",
                       responses={204: None, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def remove_member(path: MemberPath):
    with unit_of_work() as uow:
        operations.remove_member(uow, path.visit_id, path.member_id, if_match())
    return "", 204


@delegation_api.get("/visits/<visit_id>/delegation",
                    summary="The delegation as one unit: head, members, accompanying persons, security detail",
                    responses={200: DelegationOut, **problem_responses(404)})
@allow(*READERS)
def get_delegation(path: VisitPath):
    with read_only() as session:
        visit = find_visit(session, path.visit_id)
        people = session.scalars(select(DelegationMember).where(DelegationMember.visit_id == visit.id)
                                 .order_by(DelegationMember.created_at, DelegationMember.id)).all()
    by_role = {role: [serialize(p) for p in people if p.role == role] for role in DelegationRole}
    heads = by_role[DelegationRole.HEAD]
    return json_response(DelegationOut(
        visit=VisitOut.model_validate(visit), head=heads[0] if heads else None,
        members=by_role[DelegationRole.MEMBER], accompanying=by_role[DelegationRole.ACCOMPANYING],
        security=by_role[DelegationRole.SECURITY], size=len(people)))
