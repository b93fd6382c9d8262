"""Subscriptions: a person hears the events matching a pattern in their inbox."""

from __future__ import annotations

from typing import Any

from services.notifications.domain.delivery_plan import IN_APP
from services.notifications.operations.registrations import add_registration, require_pattern_allowed
from services.notifications.store.models import Subscription
from services.notifications.store.recipients import known_recipient, roles_text
from shared.db import find
from shared.uow import UnitOfWork


def subscribe(uow: UnitOfWork, pattern: str, language: str | None, changes: dict[str, Any]) -> Subscription:
    """The caller hears `pattern` in their inbox (in `language`, or their usual one); once per pattern."""
    require_pattern_allowed(pattern, uow.roles, "pattern")
    known_recipient(uow.session, uow.actor, uow.roles, uow.department)
    subscription = Subscription(subscriber=uow.actor, subscriber_roles=roles_text(uow.roles), pattern=pattern,
                                channel=IN_APP, language=language or "")
    return add_registration(uow, subscription, "subscription", changes,
                            f"You already subscribe to {pattern}")


def unsubscribe(uow: UnitOfWork, subscription_id: str) -> None:
    subscription = find(uow.session, Subscription, subscription_id, "subscription", subscriber=uow.actor)
    uow.session.delete(subscription)
    uow.audit("subscription.delete", "subscription", subscription.id, {"pattern": subscription.pattern})
