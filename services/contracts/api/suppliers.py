"""The suppliers register: domestic and foreign companies, identified by an org-id scheme."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.common import BODY_PROBLEMS, PROCUREMENT, contracts_settings, find, invalid, record_response
from services.contracts.api.supplier_schemas import (
    SupplierCreate,
    SupplierOut,
    SupplierPath,
    SupplierQuery,
    SupplierUpdate,
)
from services.contracts.domain.supplier import InvalidScheme, check_scheme, is_foreign
from services.contracts.store.models import Supplier
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

suppliers_api = APIBlueprint("suppliers", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="suppliers", description="Domestic and foreign suppliers")])
EVENT_FIELDS = ("id", "legal_name", "country", "foreign", "identifier", "version")  # no contact people


def serialize(supplier: Supplier) -> dict:
    return SupplierOut(
        **{name: getattr(supplier, name) for name in SupplierOut.model_fields if hasattr(supplier, name)},
        foreign=is_foreign(supplier.country, contracts_settings().home_country),
        identifier={"scheme": supplier.identifier_scheme, "id": supplier.identifier_id},
    ).model_dump(mode="json")


def emit(uow: UnitOfWork, supplier: Supplier, action: str, changes: dict) -> None:
    uow.session.flush()
    body = serialize(supplier)
    uow.emit(f"chancery.contracts.supplier.{action}.v1", supplier.id, {name: body[name] for name in EVENT_FIELDS})
    uow.audit(f"supplier.{action}", "supplier", supplier.id, changes)


@suppliers_api.post("/suppliers", summary="Register a supplier",
                    responses={201: SupplierOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def register_supplier(body: SupplierCreate):
    try:
        check_scheme(body.identifier.scheme, body.country)
    except InvalidScheme as error:
        raise invalid("identifier.scheme", error) from error
    fields = body.model_dump(exclude={"identifier"})
    with unit_of_work() as uow:
        duplicate = uow.session.scalar(select(Supplier.id).where(
            Supplier.identifier_scheme == body.identifier.scheme, Supplier.identifier_id == body.identifier.id))
        if duplicate:
            raise Problem(409, "Already registered", f"Supplier {duplicate} has this identifier",
                          slug="duplicate", errors=[{"field": "identifier.id", "message": "already registered"}])
        supplier = Supplier(**fields, identifier_scheme=body.identifier.scheme, identifier_id=body.identifier.id,
                            version=1, created_by=uow.actor)
        uow.session.add(supplier)
        emit(uow, supplier, "registered", body.model_dump(mode="json"))
        return created(uow, serialize(supplier), f"/api/v1/suppliers/{supplier.id}", supplier.version)


@suppliers_api.get("/suppliers", summary="List suppliers", responses={200: Page[SupplierOut]})
@allow(*PROCUREMENT)
def list_suppliers(query: SupplierQuery):
    statement = select(Supplier)
    if query.country:
        statement = statement.where(Supplier.country == query.country)
    if query.foreign is not None:
        home = contracts_settings().home_country
        statement = statement.where(Supplier.country != home if query.foreign else Supplier.country == home)
    if query.scheme:
        statement = statement.where(Supplier.identifier_scheme == query.scheme)
    if query.name:
        statement = statement.where(Supplier.legal_name.icontains(query.name, autoescape=True))
    sortable = {name: getattr(Supplier, name) for name in ("legal_name", "country", "created_at")}
    statement = apply_sort(statement, query.sort, sortable, [Supplier.legal_name, Supplier.id])
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
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        supplier = find(uow.session, Supplier, path.supplier_id, "supplier")
        require_fresh(supplier.version)
        if not changes:
            return record_response(serialize(supplier), supplier.version)
        for name, value in changes.items():
            setattr(supplier, name, value)
        supplier.version += 1
        emit(uow, supplier, "updated", body.model_dump(mode="json", exclude_unset=True))
        return record_response(serialize(supplier), supplier.version)
