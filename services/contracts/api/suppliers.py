"""The suppliers register: domestic and foreign companies, identified by an org-id scheme."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.common import PROCUREMENT, own_settings
from services.contracts.api.supplier_schemas import (
    SupplierCreate,
    SupplierOut,
    SupplierPath,
    SupplierQuery,
    SupplierUpdate,
)
from services.contracts.domain.supplier import is_foreign
from services.contracts.operations.suppliers import register_supplier as register
from services.contracts.operations.suppliers import update_supplier as update
from services.contracts.store.models import Supplier
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by
from shared.http.work import read_only, unit_of_work

suppliers_api = APIBlueprint("suppliers", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="suppliers", description="Domestic and foreign suppliers")])


def serialize(supplier: Supplier) -> dict:
    return SupplierOut(
        **{name: getattr(supplier, name) for name in SupplierOut.model_fields if hasattr(supplier, name)},
        foreign=is_foreign(supplier.country, own_settings().home_country),
        identifier={"scheme": supplier.identifier_scheme, "id": supplier.identifier_id},
    ).model_dump(mode="json")


@suppliers_api.post("/suppliers", summary="Register a supplier",
                    responses={201: SupplierOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def register_supplier(body: SupplierCreate):
    with unit_of_work() as uow:
        supplier = register(uow, body.model_dump(exclude={"identifier"}), body.identifier.scheme, body.identifier.id,
                            body.model_dump(mode="json"))
        return created(uow, serialize(supplier), f"/api/v1/suppliers/{supplier.id}", supplier.version)


@suppliers_api.get("/suppliers", summary="List suppliers", responses={200: Page[SupplierOut]})
@allow(*PROCUREMENT)
def list_suppliers(query: SupplierQuery):
    statement = select(Supplier)
    if query.country:
        statement = statement.where(Supplier.country == query.country)
    if query.foreign is not None:
        home = own_settings().home_country
        statement = statement.where(Supplier.country != home if query.foreign else Supplier.country == home)
    if query.scheme:
        statement = statement.where(Supplier.identifier_scheme == query.scheme)
    if query.name:
        statement = statement.where(Supplier.legal_name.icontains(query.name, autoescape=True))
    statement = sort_by(statement, query.sort, Supplier, ("legal_name", "country", "created_at"),
                        [Supplier.legal_name, Supplier.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@suppliers_api.get("/suppliers/<supplier_id>", summary="Read a supplier",
                   responses={200: SupplierOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_supplier(path: SupplierPath):
    with read_only() as session:
        supplier = find(session, Supplier, path.supplier_id, "supplier")
        return record_response(serialize(supplier), supplier.version)


@suppliers_api.patch("/suppliers/<supplier_id>", summary="Change a supplier's name or contacts (send If-Match)",
                     responses={200: SupplierOut, **problem_responses(404, 412, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
def update_supplier(path: SupplierPath, body: SupplierUpdate):
    with unit_of_work() as uow:
        supplier = update(uow, path.supplier_id, body.model_dump(exclude_unset=True),
                          body.model_dump(mode="json", exclude_unset=True), if_match())
        return record_response(serialize(supplier), supplier.version)
