"""A visit's delegation as one unit, and its people one by one."""

from __future__ import annotations

from sqlalchemy import select

from services.visits.api import delegation_schemas as schemas
from services.visits.api.common import READERS, WRITERS
from services.visits.api.visit_schemas import VisitOut, VisitPath
from services.visits.domain.delegation import DelegationRole
from services.visits.operations import delegation as operations
from services.visits.operations.visits import find_visit
from services.visits.store.models import DelegationMember
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import json_response
from shared.http.views import Resource, blueprint, changes, fields, versioned
from shared.http.work import read_only

delegation_api = blueprint("delegation", __name__, "The delegation of a visit as one unit")
MEMBERS = Resource(delegation_api, "/visits/<visit_id>/members", "member_id", DelegationMember, schemas.MemberOut,
                   READERS,
                   WRITERS)

MEMBERS.create("add_member", "Add a person to the delegation", schemas.MemberCreate, fields(operations.add_member),
               path=VisitPath, problems=(404, 409))
MEMBERS.listing("list_members", "List the people of the delegation", schemas.MemberQuery, path=VisitPath,
                parent=find_visit,
                filters=("role", "country"), sortable=("name_latin", "role", "country", "rank", "created_at"),
                order=("created_at",))
MEMBERS.read("get_member", "Read a person of the delegation", schemas.MemberPath)
MEMBERS.change("update_member", "Change a person of the delegation (send If-Match)", schemas.MemberPath,
               schemas.MemberUpdate,
               changes(operations.update_member), problems=(404, 409, 412))
MEMBERS.remove("remove_member", "Take a person off the delegation, its programme and seating plans (send If-Match)",
               schemas.MemberPath, versioned(operations.remove_member), problems=(404, 409, 412))


@delegation_api.get("/visits/<visit_id>/delegation",
                    summary="The delegation as one unit: head, members, accompanying persons, security detail",
                    responses={200: schemas.DelegationOut, **problem_responses(404)})
@allow(*READERS)
def get_delegation(path: VisitPath):
    with read_only() as session:
        visit = find_visit(session, path.visit_id)
        people = session.scalars(select(DelegationMember).where(DelegationMember.visit_id == visit.id)
                                 .order_by(DelegationMember.created_at, DelegationMember.id)).all()
    by_role = {role: [MEMBERS.data(p) for p in people if p.role == role] for role in DelegationRole}
    heads = by_role[DelegationRole.HEAD]
    return json_response(schemas.DelegationOut(
        visit=VisitOut.model_validate(visit), head=heads[0] if heads else None,
        members=by_role[DelegationRole.MEMBER], accompanying=by_role[DelegationRole.ACCOMPANYING],
        security=by_role[DelegationRole.SECURITY], size=len(people)))
