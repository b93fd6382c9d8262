"""Foreign missions in the country, international organisations and the city's memberships of them."""

from __future__ import annotations

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.registers import (
    MEMBERSHIPS,
    MISSIONS,
    ORGANISATIONS,
    change,
    change_route,
    create,
    create_route,
    list_records,
    list_route,
    read,
    read_route,
)
from services.outreach.api.relation_schemas import (
    MembershipCreate,
    MembershipPath,
    MembershipQuery,
    MembershipUpdate,
    MissionCreate,
    MissionPath,
    MissionQuery,
    MissionUpdate,
    OrganisationCreate,
    OrganisationPath,
    OrganisationQuery,
    OrganisationUpdate,
)
from shared.http.auth import allow
from shared.http.resources import idempotent


@create_route(MISSIONS)
@allow(*WRITERS)
@idempotent
def create_mission(body: MissionCreate):
    return create(MISSIONS, body)


@list_route(MISSIONS)
@allow(*READERS)
def list_mission(query: MissionQuery):
    return list_records(MISSIONS, query)


@read_route(MISSIONS)
@allow(*READERS)
def read_mission(path: MissionPath):
    return read(MISSIONS, path.record_id)


@change_route(MISSIONS)
@allow(*WRITERS)
def change_mission(path: MissionPath, body: MissionUpdate):
    return change(MISSIONS, path.record_id, body)


@create_route(ORGANISATIONS)
@allow(*WRITERS)
@idempotent
def create_organisation(body: OrganisationCreate):
    return create(ORGANISATIONS, body)


@list_route(ORGANISATIONS)
@allow(*READERS)
def list_organisation(query: OrganisationQuery):
    return list_records(ORGANISATIONS, query)


@read_route(ORGANISATIONS)
@allow(*READERS)
def read_organisation(path: OrganisationPath):
    return read(ORGANISATIONS, path.record_id)


@change_route(ORGANISATIONS)
@allow(*WRITERS)
def change_organisation(path: OrganisationPath, body: OrganisationUpdate):
    return change(ORGANISATIONS, path.record_id, body)


@create_route(MEMBERSHIPS)
@allow(*WRITERS)
@idempotent
def create_membership(body: MembershipCreate):
    return create(MEMBERSHIPS, body)


@list_route(MEMBERSHIPS)
@allow(*READERS)
def list_membership(query: MembershipQuery):
    return list_records(MEMBERSHIPS, query)


@read_route(MEMBERSHIPS)
@allow(*READERS)
def read_membership(path: MembershipPath):
    return read(MEMBERSHIPS, path.record_id)


@change_route(MEMBERSHIPS)
@allow(*WRITERS)
def change_membership(path: MembershipPath, body: MembershipUpdate):
    return change(MEMBERSHIPS, path.record_id, body)
