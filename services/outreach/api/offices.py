"""The city's representative offices abroad, their reviewed reports and staff, and the contact people of
offices, societies and missions."""

from __future__ import annotations

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.registers import (
    OFFICE_REPORTS,
    OFFICES,
    ORGANISATION_CONTACTS,
    STAFF,
    ActionBody,
    act,
    action_route,
    change,
    change_route,
    create,
    create_route,
    list_records,
    list_route,
    read,
    read_route,
    remove,
    remove_route,
)
from services.outreach.api.relation_schemas import (
    OfficeCreate,
    OfficePath,
    OfficeQuery,
    OfficeReportCreate,
    OfficeReportPath,
    OfficeReportQuery,
    OfficeReportUpdate,
    OfficeUpdate,
    OrganisationContactCreate,
    OrganisationContactPath,
    OrganisationContactQuery,
    OrganisationContactUpdate,
    StaffMemberCreate,
    StaffMemberPath,
    StaffMemberQuery,
    StaffMemberUpdate,
)
from shared.http.auth import allow
from shared.http.resources import idempotent


@create_route(OFFICES)
@allow(*WRITERS)
@idempotent
def create_office(body: OfficeCreate):
    return create(OFFICES, body)


@list_route(OFFICES)
@allow(*READERS)
def list_office(query: OfficeQuery):
    return list_records(OFFICES, query)


@read_route(OFFICES)
@allow(*READERS)
def read_office(path: OfficePath):
    return read(OFFICES, path.record_id)


@change_route(OFFICES)
@allow(*WRITERS)
def change_office(path: OfficePath, body: OfficeUpdate):
    return change(OFFICES, path.record_id, body)


@create_route(OFFICE_REPORTS)
@allow(*WRITERS)
@idempotent
def create_office_report(body: OfficeReportCreate):
    return create(OFFICE_REPORTS, body)


@list_route(OFFICE_REPORTS)
@allow(*READERS)
def list_office_report(query: OfficeReportQuery):
    return list_records(OFFICE_REPORTS, query)


@read_route(OFFICE_REPORTS)
@allow(*READERS)
def read_office_report(path: OfficeReportPath):
    return read(OFFICE_REPORTS, path.record_id)


@change_route(OFFICE_REPORTS)
@allow(*WRITERS)
def change_office_report(path: OfficeReportPath, body: OfficeReportUpdate):
    return change(OFFICE_REPORTS, path.record_id, body)


@action_route(OFFICE_REPORTS, "accept")
@allow(*WRITERS)
def accept_office_report(path: OfficeReportPath, body: ActionBody):
    return act(OFFICE_REPORTS, path.record_id, "accept", body.reason)


@action_route(OFFICE_REPORTS, "return")
@allow(*WRITERS)
def return_office_report(path: OfficeReportPath, body: ActionBody):
    return act(OFFICE_REPORTS, path.record_id, "return", body.reason)


@action_route(OFFICE_REPORTS, "resubmit")
@allow(*WRITERS)
def resubmit_office_report(path: OfficeReportPath, body: ActionBody):
    return act(OFFICE_REPORTS, path.record_id, "resubmit", body.reason)


@create_route(STAFF)
@allow(*WRITERS)
@idempotent
def create_office_staff_member(body: StaffMemberCreate):
    return create(STAFF, body)


@list_route(STAFF)
@allow(*READERS)
def list_office_staff_member(query: StaffMemberQuery):
    return list_records(STAFF, query)


@read_route(STAFF)
@allow(*READERS)
def read_office_staff_member(path: StaffMemberPath):
    return read(STAFF, path.record_id)


@change_route(STAFF)
@allow(*WRITERS)
def change_office_staff_member(path: StaffMemberPath, body: StaffMemberUpdate):
    return change(STAFF, path.record_id, body)


@remove_route(STAFF)
@allow(*WRITERS)
def remove_office_staff_member(path: StaffMemberPath):
    return remove(STAFF, path.record_id)


@create_route(ORGANISATION_CONTACTS)
@allow(*WRITERS)
@idempotent
def create_organisation_contact(body: OrganisationContactCreate):
    return create(ORGANISATION_CONTACTS, body)


@list_route(ORGANISATION_CONTACTS)
@allow(*READERS)
def list_organisation_contact(query: OrganisationContactQuery):
    return list_records(ORGANISATION_CONTACTS, query)


@read_route(ORGANISATION_CONTACTS)
@allow(*READERS)
def read_organisation_contact(path: OrganisationContactPath):
    return read(ORGANISATION_CONTACTS, path.record_id)


@change_route(ORGANISATION_CONTACTS)
@allow(*WRITERS)
def change_organisation_contact(path: OrganisationContactPath, body: OrganisationContactUpdate):
    return change(ORGANISATION_CONTACTS, path.record_id, body)


@remove_route(ORGANISATION_CONTACTS)
@allow(*WRITERS)
def remove_organisation_contact(path: OrganisationContactPath):
    return remove(ORGANISATION_CONTACTS, path.record_id)
