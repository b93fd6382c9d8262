"""The protocol checklist of a visit: tasks with owners and due dates, and when they fall overdue."""

from __future__ import annotations

from datetime import date, datetime


def is_overdue(due_on: date, done_at: datetime | None, today: date) -> bool:
    """Overdue from the day after the due date until it is done."""
    return done_at is None and due_on < today


def needs_overdue_report(due_on: date, done_at: datetime | None, reported_at: datetime | None, today: date) -> bool:
    """Each overdue task is reported once; moving its due date clears the report (see `reschedule`)."""
    return is_overdue(due_on, done_at, today) and reported_at is None
