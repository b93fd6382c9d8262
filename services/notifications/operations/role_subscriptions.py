"""Role subscriptions: everyone holding a role hears some events (set up by notification admins)."""

from __future__ import annotations

from typing import Any

from services.notifications.operations.registrations import add_registration, require_pattern_allowed
from services.notifications.store.models import RoleSubscription
from shared.db import find
from shared.uow import UnitOfWork


def subscribe_role(uow: UnitOfWork, role: str, pattern: str, scope: str,
                   changes: dict[str, Any]) -> RoleSubscription:
    """Everyone holding `role` hears `pattern` (`scope` "awaiting": only what waits for their decision), within the
    role's own departments; once per pattern."""
    require_pattern_allowed(pattern, frozenset({role}), "pattern")
    row = RoleSubscription(role=role, pattern=pattern, scope=scope, created_by=uow.actor)
    return add_registration(uow, row, "role-subscription", changes,
                            f"{role} already hears {pattern}")


def unsubscribe_role(uow: UnitOfWork, role_subscription_id: str) -> None:
    row = find(uow.session, RoleSubscription, role_subscription_id, "role subscription")
    uow.session.delete(row)
    uow.audit("role-subscription.delete", "role-subscription", row.id, {"role": row.role, "pattern": row.pattern})
