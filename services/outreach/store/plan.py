"""How a plan item is shown and announced, the same for staff's requests and for the worker's feeds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.outreach.domain.plan import ItemStatus, allowed_actions, is_overdue
from services.outreach.store.models import PlanItem

EVENT_FIELDS = ("id", "year", "activity", "responsible_body", "partner_id", "starts_on", "due_on", "budget_amount",
                "budget_currency", "source", "source_id", "source_item_id", "status", "progress", "status_reason",
                "version")


def to_cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


def from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def item_body(item: PlanItem, today: date) -> dict:
    status = ItemStatus(item.status)
    return {
        "id": item.id, "year": item.year, "activity": item.activity, "responsible_body": item.responsible_body,
        "partner_id": item.partner_id, "starts_on": item.starts_on and item.starts_on.isoformat(),
        "due_on": item.due_on.isoformat(), "budget_amount": None if item.budget_cents is None else
        str(from_cents(item.budget_cents)), "budget_currency": item.budget_currency, "source": item.source,
        "source_id": item.source_id, "source_item_id": item.source_item_id, "status": item.status,
        "progress": item.progress, "status_reason": item.status_reason,
        "overdue": is_overdue(status, item.due_on, today), "allowed_actions": allowed_actions(status),
        "version": item.version, "created_by": item.created_by, "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat()}


def item_event(item: PlanItem) -> dict:
    body = item_body(item, date.min)
    return {name: body[name] for name in EVENT_FIELDS}
