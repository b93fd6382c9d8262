"""The suppliers register: registering a company under its org-id identifier, changing its name or contacts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.contracts.domain.supplier import check_scheme
from services.contracts.events import contents
from services.contracts.operations.versions import set_fields
from services.contracts.store.models import Supplier
from shared.db import find
from shared.kit.refusals import Conflict, require_version
from shared.uow import UnitOfWork


def record_supplier_change(uow: UnitOfWork, supplier: Supplier, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("supplier", action, supplier,
                      lambda record: contents.supplier(record, uow.settings.home_country), changes)


def register_supplier(uow: UnitOfWork, fields: dict[str, Any], scheme: str, identifier: str,
                      changes: dict[str, Any]) -> Supplier:
    """One supplier per identifier; the scheme must be the supplier's country's (or an international list)."""
    check_scheme(scheme, fields["country"])
    duplicate = uow.session.scalar(select(Supplier.id).where(Supplier.identifier_scheme == scheme,
                                                             Supplier.identifier_id == identifier))
    if duplicate:
        raise Conflict(f"Supplier {duplicate} has this identifier", slug="duplicate",
                       errors=[{"field": "identifier.id", "message": "already registered"}])
    supplier = Supplier(**fields, identifier_scheme=scheme, identifier_id=identifier, version=1,
                        created_by=uow.actor)
    uow.session.add(supplier)
    record_supplier_change(uow, supplier, "registered", changes)
    return supplier


def update_supplier(uow: UnitOfWork, supplier_id: str, fields: dict[str, Any], changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> Supplier:
    """No fields change nothing (no new version, event or audit record)."""
    supplier = find(uow.session, Supplier, supplier_id, "supplier")
    require_version(supplier.version, expected_version)
    if not fields:
        return supplier
    set_fields(supplier, fields)
    record_supplier_change(uow, supplier, "updated", changes)
    return supplier
