"""The suppliers register: domestic and foreign companies, identified by an org-id scheme."""

from __future__ import annotations

from sqlalchemy import Select

from services.contracts.api import supplier_schemas as schemas
from services.contracts.api.common import PROCUREMENT, own_settings
from services.contracts.domain.supplier import is_foreign
from services.contracts.operations import suppliers as operations
from services.contracts.store.models import Supplier
from shared.http.views import Resource, blueprint, changes

suppliers_api = blueprint("suppliers", __name__, "Domestic and foreign suppliers")


def serialize(supplier: Supplier) -> dict:
    return schemas.SupplierOut(
        **{name: getattr(supplier, name) for name in schemas.SupplierOut.model_fields if hasattr(supplier, name)},
        foreign=is_foreign(supplier.country, own_settings().home_country),
        identifier={"scheme": supplier.identifier_scheme, "id": supplier.identifier_id},
    ).model_dump(mode="json")


def found(statement: Select, query: schemas.SupplierQuery) -> Select:
    if query.foreign is not None:
        home = own_settings().home_country
        statement = statement.where(Supplier.country != home if query.foreign else Supplier.country == home)
    if query.scheme:
        statement = statement.where(Supplier.identifier_scheme == query.scheme)
    if query.name:
        statement = statement.where(Supplier.legal_name.icontains(query.name, autoescape=True))
    return statement


SUPPLIERS = Resource(suppliers_api, "/suppliers", "supplier_id", Supplier, schemas.SupplierOut, PROCUREMENT,
                     PROCUREMENT,
                     serialize=serialize)
SUPPLIERS.create("register_supplier", "Register a supplier", schemas.SupplierCreate,
                 lambda uow, ids, body: operations.register_supplier(
                     uow, body.model_dump(exclude={"identifier"}), body.identifier.scheme, body.identifier.id,
                     body.model_dump(mode="json")), problems=(409,))
SUPPLIERS.listing("list_suppliers", "List suppliers", schemas.SupplierQuery, filters=("country",), narrow=(found,),
                  sortable=("legal_name", "country", "created_at"), order=("legal_name",))
SUPPLIERS.read("get_supplier", "Read a supplier", schemas.SupplierPath)
SUPPLIERS.change("update_supplier", "Change a supplier's name or contacts (send If-Match)", schemas.SupplierPath,
                 schemas.SupplierUpdate, changes(operations.update_supplier))
