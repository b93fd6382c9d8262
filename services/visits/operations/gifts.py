"""The gifts register: gifts given and received, and the declaration a received gift may need (decision 0017)."""

from __future__ import annotations

from functools import partial
from typing import Any

from services.visits.domain.gifts import (
    DeclarationDue,
    Disposition,
    GiftDirection,
    check_declaration,
    check_gift,
    declaration_due,
    declaration_state,
)
from services.visits.events import contents
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import find_visit
from services.visits.store.models import Gift, Visit
from shared.uow import UnitOfWork


def record_gift_change(uow: UnitOfWork, visit: Visit, gift: Gift, action: str, changes: dict[str, Any]) -> None:
    declaration = declaration_state(gift.declaration_reason, gift.declared_on)
    uow.record_change("gift", action, gift, partial(contents.gift, visit=visit, declaration=declaration), changes,
                      part_of=visit)


def checked(uow: UnitOfWork, gift: Gift) -> DeclarationDue | None:
    """Check the gift and apply the declaration rule; the declaration due when the gift has just come to need one."""
    due = declaration_due(uow.settings.gift_rules, GiftDirection(gift.direction), gift.value_amount,
                          gift.value_currency, gift.exchanged_on)
    newly_due = due is not None and gift.declaration_reason is None
    gift.declaration_reason = due.reason.value if due else None
    gift.declaration_threshold = due.threshold if due else None
    gift.declaration_due_on = due.due_on if due else None
    check_gift(GiftDirection(gift.direction), Disposition(gift.disposition), gift.value_amount, gift.value_currency)
    check_declaration(due.reason if due else None, Disposition(gift.disposition), gift.declared_on, gift.exchanged_on)
    return due if newly_due else None


def recorded(uow: UnitOfWork, visit: Visit, gift: Gift, action: str, changes: dict[str, Any],
             newly_due: DeclarationDue | None) -> Gift:
    """The change recorded, followed by `declaration-required` when the gift has just come to need one."""
    record_gift_change(uow, visit, gift, action, changes)
    if newly_due:
        record_gift_change(uow, visit, gift, "declaration-required", {
            "declaration_reason": newly_due.reason.value, "declaration_threshold": newly_due.threshold,
            "declaration_due_on": newly_due.due_on.isoformat()})
    return gift


def register_gift(uow: UnitOfWork, visit_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> Gift:
    visit = find_visit(uow.session, visit_id)
    gift = Gift(visit_id=visit.id, version=1, **fields)
    newly_due = checked(uow, gift)
    uow.session.add(gift)
    return recorded(uow, visit, gift, "registered", changes, newly_due)


def update_gift(uow: UnitOfWork, visit_id: str, gift_id: str, fields: dict[str, Any], changes: dict[str, Any],
                expected_version: frozenset[int] | None) -> Gift:
    """Change a gift's record, e.g. what became of it; the declaration rule is applied again."""
    visit = find_visit(uow.session, visit_id)
    gift = find_current(uow.session, Gift, gift_id, "gift", expected_version, visit_id=visit.id)
    if not fields:
        return gift
    set_fields(gift, fields)
    newly_due = checked(uow, gift)
    gift.version += 1
    return recorded(uow, visit, gift, "updated", changes, newly_due)
