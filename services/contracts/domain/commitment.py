"""Commitments to foreign investors and economic agents, and their fulfilment (decision 0036).

open → fulfilled (with evidence), breached (with the reason) or cancelled (with a reason); a breached
commitment may still be fulfilled late. An open commitment is due within the notice period before its
date and overdue after it; each is announced once per due date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle


class CommitmentStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    BREACHED = "breached"
    CANCELLED = "cancelled"


class CounterpartyKind(StrEnum):
    INVESTOR = "investor"
    ECONOMIC_AGENT = "economic_agent"


K = CommitmentStatus
COMMITMENT_LIFECYCLE = Lifecycle(
    record="commitment",
    status_type=CommitmentStatus,
    transitions={
        "fulfil": ((K.OPEN, K.BREACHED), K.FULFILLED),
        "breach": ((K.OPEN,), K.BREACHED),
        "cancel": ((K.OPEN,), K.CANCELLED),
    },
    event_action={"fulfil": "fulfilled", "breach": "breached", "cancel": "cancelled"},
    reason_required=frozenset({"breach", "cancel"}),
)
EDITABLE = (K.OPEN,)


def is_overdue(status: CommitmentStatus, due_on: date, today: date) -> bool:
    return status == K.OPEN and due_on < today


def is_due_soon(status: CommitmentStatus, due_on: date, today: date, notice_days: int) -> bool:
    return status == K.OPEN and 0 <= (due_on - today).days <= notice_days


def needs_notice(already_for: date | None, due_on: date) -> bool:
    """Once per due date: moving the date arms the notice again."""
    return already_for != due_on
