"""Export promotion: the city's exporting enterprises and the fairs, missions and forums they go to."""

from __future__ import annotations

from services.outreach.api.common import READERS, WRITERS
from services.outreach.api.registers import (
    ENTERPRISES,
    EXPORT_EVENTS,
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
    EnterpriseCreate,
    EnterprisePath,
    EnterpriseQuery,
    EnterpriseUpdate,
    ExportEventCreate,
    ExportEventPath,
    ExportEventQuery,
    ExportEventUpdate,
)
from shared.http.auth import allow
from shared.http.resources import idempotent


@create_route(ENTERPRISES)
@allow(*WRITERS)
@idempotent
def create_enterprise(body: EnterpriseCreate):
    return create(ENTERPRISES, body)


@list_route(ENTERPRISES)
@allow(*READERS)
def list_enterprise(query: EnterpriseQuery):
    return list_records(ENTERPRISES, query)


@read_route(ENTERPRISES)
@allow(*READERS)
def read_enterprise(path: EnterprisePath):
    return read(ENTERPRISES, path.record_id)


@change_route(ENTERPRISES)
@allow(*WRITERS)
def change_enterprise(path: EnterprisePath, body: EnterpriseUpdate):
    return change(ENTERPRISES, path.record_id, body)


@create_route(EXPORT_EVENTS)
@allow(*WRITERS)
@idempotent
def create_export_event(body: ExportEventCreate):
    return create(EXPORT_EVENTS, body)


@list_route(EXPORT_EVENTS)
@allow(*READERS)
def list_export_event(query: ExportEventQuery):
    return list_records(EXPORT_EVENTS, query)


@read_route(EXPORT_EVENTS)
@allow(*READERS)
def read_export_event(path: ExportEventPath):
    return read(EXPORT_EVENTS, path.record_id)


@change_route(EXPORT_EVENTS)
@allow(*WRITERS)
def change_export_event(path: ExportEventPath, body: ExportEventUpdate):
    return change(EXPORT_EVENTS, path.record_id, body)
