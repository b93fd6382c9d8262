"""Decisions waiting for someone: kept from the deciding services' events, escalated by the worker's sweep, and
counted per role (decision 0125)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from services.notifications.domain.waiting import (
    Waiting,
    escalation_for,
    record_data,
    record_of,
    title_of,
    waiting_of,
    waits_for,
)
from services.notifications.events import contents
from services.notifications.store.models import WaitingDecision
from shared.uow import UnitOfWork


def track_decision(uow: UnitOfWork, event: dict[str, Any]) -> tuple[bool, Waiting | None]:
    """Keep what the event's record waits for now. Answers whether the event is current (not older than one already
    seen for the record: a late event changes nothing) and what it says the record waits for."""
    key = record_of(event["type"])
    if key is None:
        return True, None
    data, record_type = record_data(event["type"], event["data"]), key[1]
    record_id, version = event.get("subject") or str(data.get("id")), int(data.get("version") or 0)
    row = uow.session.get(WaitingDecision, f"{record_type}:{record_id}")
    if row is not None and row.record_version > version:
        return False, None
    waiting = waiting_of(event["type"], data)
    if row is None and waiting is None:
        return True, None
    if row is None:
        row = WaitingDecision(id=f"{record_type}:{record_id}", record_type=record_type, record_id=record_id)
        uow.session.add(row)
    row.record_version, row.title = version, title_of(event["type"], data)
    if (row.awaiting, row.department) != ((waiting.awaiting, waiting.department) if waiting else (None, None)):
        _wait(uow, row, waiting, _occurred_at(event, uow.now()))
    return True, waiting


def _wait(uow: UnitOfWork, row: WaitingDecision, waiting: Waiting | None, since: datetime) -> None:
    """The record waits for someone else now (or for nobody): its clock and escalation start again."""
    rule = escalation_for(uow.settings.escalations, row.record_type, waiting.awaiting) if waiting else None
    row.awaiting, row.department = (waiting.awaiting, waiting.department) if waiting else (None, None)
    row.since = since if waiting else None
    row.due_at, row.escalate_to = (since + rule.after, rule.escalate_to) if rule else (None, None)
    row.escalated_at = None


def _occurred_at(event: dict[str, Any], default: datetime) -> datetime:
    stamp = event.get("time")
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else default


def escalate_overdue(uow: UnitOfWork, now: datetime) -> None:
    """Tell the next role up about every decision waiting past its due time, once each (the periodic sweep, one
    runner at a time)."""
    overdue = uow.session.execute(
        select(WaitingDecision).where(WaitingDecision.escalated_at.is_(None), WaitingDecision.due_at <= now,
                                      WaitingDecision.awaiting.is_not(None))
        .order_by(WaitingDecision.due_at)).scalars()
    for row in overdue:
        row.escalated_at = now
        uow.record_change("decision", "escalated", row, contents.decision,
                          {"awaiting": row.awaiting, "escalated_to": row.escalate_to})


def waiting_counts(uow: UnitOfWork, now: datetime) -> dict[str, tuple[int, int]]:
    """Per role awaited: the decisions waiting, and how many of them are past their due time at `now`."""
    overdue = func.sum(case((WaitingDecision.due_at <= now, 1), else_=0))
    rows = uow.session.execute(select(WaitingDecision.awaiting, func.count(), overdue)
                               .where(WaitingDecision.awaiting.is_not(None))
                               .group_by(WaitingDecision.awaiting)).all()
    return {role: (count, int(late or 0)) for role, count, late in rows}


def waiting_for_caller(uow: UnitOfWork) -> int:
    """The decisions waiting for the caller: for one of their roles (a department head's, their department's)."""
    rows = uow.session.execute(select(WaitingDecision.awaiting, WaitingDecision.department)
                               .where(WaitingDecision.awaiting.in_(sorted(uow.roles)))).all()
    return sum(waits_for(Waiting(role, department), role, uow.department) for role, department in rows if role)
