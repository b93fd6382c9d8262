"""A visit's delegation as one unit, and its people one by one."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.visits.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    find,
    find_visit,
    open_visit,
    record_response,
)
from services.visits.api.delegation_schemas import (
    DelegationOut,
    MemberCreate,
    MemberOut,
    MemberPath,
    MemberQuery,
    MemberUpdate,
)
from services.visits.api.programme import emit as emit_item
from services.visits.api.protocol import reseat_without
from services.visits.api.schemas import VisitOut, VisitPath
from services.visits.domain.delegation import DelegationRole, SecondHead, ensure_single_head
from services.visits.domain.visa_letters import LetterStatus
from services.visits.store.models import AgendaItem, AgendaParticipant, DelegationMember, VisaLetter, Visit
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

delegation_api = APIBlueprint("delegation", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                              abp_responses=problem_responses(401, 403, 422),
                              abp_tags=[Tag(name="delegation", description="The delegation of a visit as one unit")])
# Dietary and access needs stay out of events: they can reveal health or belief.
EVENT_MEMBER_FIELDS = ("id", "role", "name_original", "name_latin", "title", "rank", "organisation", "country",
                       "languages", "version")


def serialize(member: DelegationMember) -> dict:
    return MemberOut.model_validate(member).model_dump(mode="json")


def emit(uow: UnitOfWork, visit: Visit, member: DelegationMember, action: str, changes: dict,
         **extra: dict) -> None:
    uow.session.flush()
    body = serialize(member)
    uow.emit(f"chancery.visits.delegation-member.{action}.v1", member.id, {
        "visit_id": visit.id, "partner_id": visit.partner_id, "country": visit.country, **extra,
        "member": {name: body[name] for name in EVENT_MEMBER_FIELDS}})
    uow.audit(f"delegation-member.{action}", "delegation-member", member.id, changes)


def check_single_head(uow: UnitOfWork, visit: Visit, role: DelegationRole, member_id: str | None) -> None:
    others = uow.session.execute(select(DelegationMember.id, DelegationMember.role).where(
        DelegationMember.visit_id == visit.id, DelegationMember.id != (member_id or ""))).all()
    try:
        ensure_single_head(role, others)
    except SecondHead as error:
        raise Problem(409, "The delegation already has a head", str(error), slug="second-head",
                      head_id=error.head_id, errors=[{"field": "role", "message": str(error)}]) from error


@delegation_api.post("/visits/<visit_id>/members", summary="Add a person to the delegation",
                     responses={201: MemberOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*WRITERS)
@idempotent
def add_member(path: VisitPath, body: MemberCreate):
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        check_single_head(uow, visit, body.role, None)
        member = DelegationMember(visit_id=visit.id, **body.model_dump(), version=1)
        uow.session.add(member)
        emit(uow, visit, member, "added", body.model_dump(mode="json"))
        return created(uow, serialize(member), f"/api/v1/visits/{visit.id}/members/{member.id}", member.version)


@delegation_api.get("/visits/<visit_id>/members", summary="List the people of the delegation",
                    responses={200: Page[MemberOut], **problem_responses(404)})
@allow(*READERS)
def list_members(path: VisitPath, query: MemberQuery):
    statement = select(DelegationMember).where(DelegationMember.visit_id == path.visit_id)
    for name in ("role", "country"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(DelegationMember, name) == value)
    sortable = {name: getattr(DelegationMember, name) for name in ("name_latin", "role", "country", "rank",
                                                                   "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [DelegationMember.created_at, DelegationMember.id])
    with read_only() as session:
        find_visit(session, path.visit_id)
        return json_response(paginate(session, statement, query, serialize))


@delegation_api.get("/visits/<visit_id>/members/<member_id>", summary="Read a person of the delegation",
                    responses={200: MemberOut, **problem_responses(404)})
@allow(*READERS)
def get_member(path: MemberPath):
    with read_only() as session:
        member = find(session, DelegationMember, path.member_id, "member", visit_id=path.visit_id)
        return record_response(MemberOut, member)


@delegation_api.patch("/visits/<visit_id>/members/<member_id>",
                      summary="Change a person of the delegation (send If-Match)",
                      responses={200: MemberOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})
@allow(*WRITERS)
def update_member(path: MemberPath, body: MemberUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        member = find(uow.session, DelegationMember, path.member_id, "member", visit_id=visit.id)
        require_fresh(member.version)
        if not changes:
            return record_response(MemberOut, member)
        if "role" in changes:
            check_single_head(uow, visit, DelegationRole(changes["role"]), member.id)
        for name, value in changes.items():
            setattr(member, name, value)
        member.version += 1
        emit(uow, visit, member, "updated", body.model_dump(mode="json", exclude_unset=True))
        return record_response(MemberOut, member)


def keep_issued_letters(uow: UnitOfWork, member: DelegationMember) -> None:
    """An issued visa letter is a registry record in the mayor's name: the person it names stays."""
    issued = uow.session.scalars(select(VisaLetter.registry_number).where(
        VisaLetter.member_id == member.id, VisaLetter.status == LetterStatus.ISSUED.value)).all()
    if issued:
        raise Problem(409, "A visa letter was issued for this person", f"{', '.join(issued)} names them; "
                      "the register keeps its letters", slug="member-has-issued-letter", registry_numbers=issued)


def take_off_programme(uow: UnitOfWork, visit: Visit, member: DelegationMember) -> list[str]:
    """Take the person off every agenda item they were in, each with its `agenda-item.updated`."""
    items = uow.session.scalars(select(AgendaItem).where(AgendaItem.id.in_(
        select(AgendaParticipant.item_id).where(AgendaParticipant.member_id == member.id)))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).all()
    for item in items:
        item.participants = [p for p in item.participants if p.member_id != member.id]
        item.version += 1
        emit_item(uow, visit, item, "updated", {"guest_removed": member.id})
    return [item.id for item in items]


@delegation_api.delete("/visits/<visit_id>/members/<member_id>",
                       summary="Take a person off the delegation, its programme and seating plans (send If-Match)",
                       responses={204: None, **problem_responses(404, 409, 412)})
@allow(*WRITERS)
def remove_member(path: MemberPath):
    with unit_of_work() as uow:
        visit = open_visit(uow, path.visit_id)
        member = find(uow.session, DelegationMember, path.member_id, "member", visit_id=visit.id)
        require_fresh(member.version)
        keep_issued_letters(uow, member)
        removed_from = {"agenda_item_ids": take_off_programme(uow, visit, member),
                        "seating_plan_ids": reseat_without(uow, visit, member)}
        emit(uow, visit, member, "removed", {"name_latin": member.name_latin, "role": member.role, **removed_from},
             removed_from=removed_from)
        uow.session.delete(member)
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
