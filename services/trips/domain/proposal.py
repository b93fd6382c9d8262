"""Proposals to take part in international functions, decided by the mayor's office (docs/decisions/0022)."""

from __future__ import annotations

from enum import StrEnum


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# action -> (states it may start from, state it leads to). Decided proposals are kept as they are: an
# approved one lives on as its draft trip request, a rejected one with its reason.
TRANSITIONS: dict[str, tuple[tuple[ProposalStatus, ...], ProposalStatus]] = {
    "approve": ((ProposalStatus.PROPOSED,), ProposalStatus.APPROVED),
    "reject": ((ProposalStatus.PROPOSED,), ProposalStatus.REJECTED),
    "withdraw": ((ProposalStatus.PROPOSED,), ProposalStatus.WITHDRAWN),
}
EVENT_ACTION = {"approve": "approved", "reject": "rejected", "withdraw": "withdrawn"}
REASON_REQUIRED = {"reject", "withdraw"}
DECIDED_BY_MAYOR_OFFICE = ("approve", "reject")


class IllegalTransition(Exception):
    def __init__(self, action: str, status: ProposalStatus):
        self.action, self.status = action, status
        self.allowed = allowed_actions(status)
        super().__init__(f"cannot {action} a proposal that is {status.value}")


class MissingReason(ValueError):
    pass


def allowed_actions(status: ProposalStatus) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(status: ProposalStatus, action: str, reason: str | None) -> ProposalStatus:
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise IllegalTransition(action, status)
    if action in REASON_REQUIRED and not (reason or "").strip():
        raise MissingReason(f"a reason is required to {action} a proposal")
    return target
