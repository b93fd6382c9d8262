"""The audit records of a service, readable by auditors: who changed what, when, within which request."""

from __future__ import annotations

from datetime import datetime

from flask_openapi3 import Tag
from pydantic import BaseModel, Field
from sqlalchemy import select

from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.resources import Page, PageQuery, apply_sort, json_response, paginate
from shared.http.work import read_only, runtime

audit_api = LazyDocBlueprint("audit", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="audit", description="Append-only audit records")])


class AuditQuery(PageQuery):
    sortable = ("at", "id")
    record_id: str | None = Field(None, description="Only records about this record id")
    actor: str | None = Field(None, description="Only changes made by this user")
    action: str | None = Field(None, description="Only this action, e.g. `visit.confirm`")
    request_id: str | None = Field(None, max_length=100,
                                   description="Only what this request did (its X-Request-ID answer header)")


class AuditRecord(BaseModel):
    id: int
    at: datetime
    actor: str
    roles: str
    action: str
    record_type: str
    record_id: str
    changes: dict
    request_id: str | None


def _serialize(row) -> dict:
    return AuditRecord.model_validate(dict(row)).model_dump(mode="json")


@audit_api.get("/audit-records", summary="List audit records", responses={200: Page[AuditRecord]})
@allow("auditor")
def list_audit_records(query: AuditQuery):
    table = runtime().spec.tables.audit
    statement = select(table)
    for name in ("record_id", "actor", "action", "request_id"):
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(table.c[name] == value)
    statement = apply_sort(statement, query.sort, {name: table.c[name] for name in AuditQuery.sortable},
                           [table.c.id.desc()])
    with read_only() as session:
        return json_response(paginate(session, statement, query, _serialize))
