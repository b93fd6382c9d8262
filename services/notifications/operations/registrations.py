"""What the registrations (subscriptions, watches, role subscriptions, integrations) share: a pattern must lie
within the roles' departments, and a registration is kept once."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError

from services.notifications.domain.audience import PatternNotAllowed, check_pattern_allowed
from shared.kit.refusals import Conflict, Invalid
from shared.uow import UnitOfWork


class Identified(Protocol):
    @property
    def id(self) -> str: ...


Registration = TypeVar("Registration", bound=Identified)


def require_pattern_allowed(pattern: str, roles: frozenset[str], field: str) -> None:
    """Invalid on `field` (the request's name for what the pattern came from) unless `roles` may hear it."""
    try:
        check_pattern_allowed(pattern, roles)
    except PatternNotAllowed as error:
        raise Invalid(field, str(error)) from error


def add_registration(uow: UnitOfWork, row: Registration, record_type: str, changes: dict[str, Any],
                     already: str) -> Registration:
    """Keep a new registration and its audit record `<record_type>.create`; one that breaks a unique constraint
    is a Conflict (`duplicate`) detailed by `already`, not a database error."""
    uow.session.add(row)
    try:
        uow.session.flush()
    except IntegrityError as error:
        raise Conflict(already, slug="duplicate") from error
    uow.audit(f"{record_type}.create", record_type, row.id, changes)
    return row
