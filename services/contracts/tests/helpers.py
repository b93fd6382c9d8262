"""What the contracts tests share: calling the API as procurement staff, reading the outbox and audit."""

from __future__ import annotations

from sqlalchemy import func, select

PROBLEM = "application/problem+json"
PLAN_LINE = {
    "title": "Venue, catering and interpretation for the International Forum of Twin Cities 2027",
    "budget": {"amount": "185000.00", "currency": "EUR"},
    "cpv_code": "79950000-8",
    "procurement_method": "reverse_auction",
    "planned_tender_on": "2027-02-01",
    "planned_delivery_by": "2027-06-15",
    "programme": "International Forum of Twin Cities 2027",
}


def post(contracts, path, body=None, *, roles="procurement", sub="pavel", etag=None, key=None):
    headers = {}
    if etag:
        headers["If-Match"] = etag
    if key:
        headers["Idempotency-Key"] = key
    return contracts.call("POST", path, {} if body is None else body, roles=roles, sub=sub, headers=headers)


def created(contracts, path, body, **kwargs):
    response = post(contracts, path, body, **kwargs)
    assert response.status_code == 201, response.json
    return response


def outbox(contracts) -> list[tuple[str, dict]]:
    service = contracts.app.extensions["chancery"]
    table = service.spec.tables.outbox
    with service.database.read_session() as session:
        return [(row.type, row.data) for row in session.execute(select(table).order_by(table.c.position))]


def row_counts(contracts, *models) -> dict[str, int]:
    service = contracts.app.extensions["chancery"]
    tables = service.spec.tables
    with service.database.read_session() as session:
        return {**{model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in models},
                **{table.name: session.scalar(select(func.count()).select_from(table))
                   for table in (tables.outbox, tables.audit, tables.idempotency)}}


def audit_records(contracts, record_id):
    response = contracts.call("GET", f"/api/v1/audit-records?page_size=200&record_id={record_id}", roles="auditor")
    assert response.status_code == 200, response.json
    return response.json["items"]


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.json
    assert response.mimetype == PROBLEM
    if field:
        assert field in {error["field"] for error in response.json["errors"]}, response.json
    return response.json

SUPPLIER = {"legal_name": "Eventim Congress Services GmbH", "country": "DE",
            "identifier": {"scheme": "DE-CR", "id": "HRB 123456"}, "contact_name": "Anna Weber",
            "contact_email": "tenders@example.de"}
TENDER = {
    "title": "Venue and services for the International Forum of Twin Cities 2027",
    "main_procurement_category": "services",
    "value": {"amount": "185000.00", "currency": "EUR"},
    "minimum_step": {"amount": "500.00", "currency": "EUR"},
    "enquiry_ends_at": "2027-02-10T15:00:00Z",
    "submission_deadline": "2027-02-20T12:00:00Z",
}


def approved_plan_line(contracts, **changes) -> dict:
    line = created(contracts, "/api/v1/plan-lines", {**PLAN_LINE, **changes}).json
    response = post(contracts, f"/api/v1/plan-lines/{line['id']}/approve")
    assert response.status_code == 200, response.json
    return response.json


def supplier(contracts, identifier="HRB 123456", **changes) -> dict:
    body = {**SUPPLIER, **changes, "identifier": {**SUPPLIER["identifier"], "id": identifier}}
    return created(contracts, "/api/v1/suppliers", body).json


def published_tender(contracts, **changes) -> dict:
    line = approved_plan_line(contracts)
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"], **changes}).json
    response = post(contracts, f"/api/v1/tenders/{tender['id']}/publish")
    assert response.status_code == 200, response.json
    return response.json
